import CInotify
import Glibc
import SystemPackage

// A file's identity as fanotify's file identifier records carry it: the
// handle name_to_handle_at(2) gives, and the filesystem's id from fstatfs(2).

extension Syscalls {
    /// MAX_HANDLE_SZ: the largest handle the kernel makes.
    static let maximumHandleSize = 128

    /// name_to_handle_at(2) of `path` in the directory open as `directory`:
    /// the handle's type and bytes. `followingLinks` resolves a final
    /// symbolic link (AT_SYMLINK_FOLLOW).
    static func handle(
        of path: UnsafePointer<CChar>, in directory: CInt = AT_FDCWD, followingLinks: Bool
    ) -> Result<(type: CInt, bytes: [UInt8]), Errno> {
        var bytes = [UInt8](repeating: 0, count: maximumHandleSize)
        var count = UInt32(maximumHandleSize)
        var type: CInt = 0
        let flags = followingLinks ? AT_SYMLINK_FOLLOW : 0
        let result = bytes.withUnsafeMutableBytes { buffer in
            call(.nameToHandle, .name(path)) {
                cinotify_name_to_handle_at(directory, path, buffer.baseAddress, &count, &type, flags)
            }
        }
        return result.map { _ in (type, Array(bytes.prefix(Int(count)))) }
    }

    /// fstatfs(2)'s f_fsid of an open descriptor, as two ints.
    static func filesystemID(_ fd: CInt) -> Result<(CInt, CInt), Errno> {
        var first: CInt = 0
        var second: CInt = 0
        return call(.statfs, .descriptor(fd)) { cinotify_filesystem_id(fd, &first, &second) }.map { _ in (first, second) }
    }
}
