import CInotify
import Glibc
import SystemPackage

// What a file is and where: status, directory entries, the filesystem, and
// paths resolved by the C library.

extension Syscalls {
    /// O_PATH, which glibc defines only under _GNU_SOURCE: a descriptor that
    /// names a file without opening it for reading (no IN_OPEN), usable as the
    /// directory of openat(2) and fstatat(2) and in /proc/self/fd paths.
    package static let pathOnly: CInt = cinotify_o_path()

    /// fstat(2) of an open descriptor.
    package static func status(_ fd: CInt) -> Result<stat, Errno> {
        var info = stat()
        return call(.stat, .descriptor(fd)) { fstat(fd, &info) }.map { _ in info }
    }

    /// fstatat(2) of `path` in the directory open as `directory` (AT_FDCWD,
    /// the default, for a path as given: stat(2), or lstat(2) when not
    /// `followingLinks`).
    package static func status(
        of path: UnsafePointer<CChar>, in directory: CInt = AT_FDCWD, followingLinks: Bool
    ) -> Result<stat, Errno> {
        var info = stat()
        let flags = followingLinks ? 0 : AT_SYMLINK_NOFOLLOW
        return call(.stat, .name(path)) { fstatat(directory, path, &info, flags) }.map { _ in info }
    }

    /// getdents64(2): the next entries of the directory open as `fd`, as
    /// struct dirent64 records, into `buffer`; how many bytes, 0 at the end.
    package static func directoryEntries(
        _ fd: CInt, into buffer: UnsafeMutableRawBufferPointer
    ) -> Result<Int, Errno> {
        call(.getdents, .descriptor(fd)) { cinotify_getdents64(fd, buffer.baseAddress, buffer.count) }
    }

    /// fstatfs(2)'s f_type, the filesystem's magic number, of an open descriptor.
    package static func filesystemType(_ fd: CInt) -> Result<Int64, Errno> {
        call(.statfs, .descriptor(fd)) { Int64(cinotify_filesystem_type_of_fd(fd)) }
    }

    /// statfs(2)'s f_type for `path`.
    package static func filesystemType(of path: UnsafePointer<CChar>) -> Result<Int64, Errno> {
        call(.statfs, .name(path)) { Int64(cinotify_filesystem_type(path)) }
    }

    /// realpath(3): `path` with every symbolic link, `.` and `..` resolved.
    package static func realPath(_ path: UnsafePointer<CChar>) -> Result<FilePath, Errno> {
        resolved(.realpath, .name(path)) { realpath(path, nil) }
    }

    /// getcwd(3): the process's working directory (the calling thread's, where it has one of its own).
    package static func currentDirectory() -> Result<FilePath, Errno> {
        resolved(.getcwd, .none) { getcwd(nil, 0) }
    }

    /// A path the C library allocated (NULL and errno when it failed), freed here.
    private static func resolved(
        _ name: Syscall, _ target: FaultTarget, _ body: () -> UnsafeMutablePointer<CChar>?
    ) -> Result<FilePath, Errno> {
        var path: UnsafeMutablePointer<CChar>?
        let result = call(name, target) { () -> Int in
            path = body()
            return path == nil ? -1 : 0
        }
        return result.map { _ in
            defer { free(path) }
            return FilePath(platformString: path!)
        }
    }
}
