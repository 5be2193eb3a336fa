// Directories reached by descriptor, each relative to its parent's, never
// by a path joined from names: a path can lead somewhere else by the time it
// is used (a directory above renamed, another made in its place), and a
// watch or a listing made through it would then be of the wrong directory.
// inotify_add_watch takes only a path, so a watch is added through
// /proc/self/fd, which names exactly the directory a descriptor holds. The
// system calls are the seam's (Syscalls), which retries EINTR.

import Glibc
import Inotify
import SystemPackage

enum DirectoryDescriptor {
    /// openat(2) of `name` in `directory` (AT_FDCWD for a path as given):
    /// for listing (O_RDONLY, which queues IN_OPEN) or only to reach it
    /// (O_PATH). Symbolic links are followed only when `follow`; the
    /// errno when it failed.
    static func open(
        _ name: UnsafePointer<CChar>, in directory: CInt, forListing: Bool, follow: Bool
    ) -> Result<CInt, Errno> {
        // O_PATH reaches a directory without opening it for reading, so it queues no IN_OPEN.
        let flags = (forListing ? O_RDONLY : Syscalls.pathOnly) | O_DIRECTORY | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW)
        return Syscalls.open(name, in: directory, flags: flags)
    }

    static func close(_ fd: CInt) {
        // close(2) releases the number even when it reports an error (Linux),
        // and a listing that has ended has nothing to do with one.
        _ = Syscalls.close(fd)
    }

    /// fstat(2) of an open descriptor.
    static func status(_ fd: CInt) -> stat? {
        try? Syscalls.status(fd).get()
    }

    /// fstatat(2) of `name` in `directory`.
    static func status(of name: UnsafePointer<CChar>, in directory: CInt, follow: Bool) -> stat? {
        try? Syscalls.status(of: name, in: directory, followingLinks: follow).get()
    }

    static func isDirectory(_ info: stat) -> Bool { info.st_mode & S_IFMT == S_IFDIR }

    /// The filesystem's magic number (statfs f_type) of an open descriptor; -1 if unknown.
    static func filesystemType(_ fd: CInt) -> Int64 { (try? Syscalls.filesystemType(fd).get()) ?? -1 }

    /// `/proc/self/fd/N`, or `/proc/self/fd/N/name`: a path that reaches the
    /// directory `fd` holds (or `name` in it) whatever has been renamed above
    /// it, NUL-terminated.
    static func procPath(_ fd: CInt, _ name: UnsafeRawBufferPointer? = nil) -> [CChar] {
        var bytes = Array("/proc/self/fd/\(fd)".utf8CString.dropLast())
        if let name {
            bytes.append(CChar(bitPattern: UInt8(ascii: "/")))
            for byte in name { bytes.append(CChar(bitPattern: byte)) }
        }
        bytes.append(0)
        return bytes
    }

    /// Whether /proc/self/fd paths reach directories here (procfs mounted).
    static func procReaches(_ fd: CInt) -> Bool {
        let path = procPath(fd)
        guard case .success(let info) = path.withUnsafeBufferPointer({ Syscalls.status(of: $0.baseAddress!, followingLinks: true) }),
              let own = status(fd)
        else { return false }
        return info.st_ino == own.st_ino && info.st_dev == own.st_dev
    }
}

/// What a watch is added to: `name` (NUL-terminated) in the directory open as
/// a descriptor, the directory a descriptor holds, or a whole path (where
/// procfs is missing). Made per directory of a scan, so the /proc path is
/// built only when it is the way taken.
enum WatchTarget {
    case name([CChar], in: CInt)
    case directory(CInt)
    case path([CChar])

    /// A path any thread can give the kernel for it, NUL-terminated.
    var absolute: [CChar] {
        switch self {
        case .name(let name, let fd):
            name.withUnsafeBytes { DirectoryDescriptor.procPath(fd, UnsafeRawBufferPointer(rebasing: $0.dropLast())) }
        case .directory(let fd): DirectoryDescriptor.procPath(fd)
        case .path(let bytes): bytes
        }
    }

    /// The descriptor and the name that reach it from a working directory
    /// moved there; nil for a whole path.
    var relative: (directory: CInt, name: [CChar])? {
        switch self {
        case .name(let name, let fd): (fd, name)
        case .directory(let fd): (fd, Self.itself)
        case .path: nil
        }
    }

    private static let itself: [CChar] = [CChar(bitPattern: UInt8(ascii: ".")), 0]
}
