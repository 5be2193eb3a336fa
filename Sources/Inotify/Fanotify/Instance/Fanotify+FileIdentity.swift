import Glibc
import SystemPackage

// A file's identifier as the kernel puts it in fanotify's records, read from
// a path: what an event's FID or DFID record is compared with to tell which
// watched file or directory it is about, with no call per event.

extension Fanotify {
    /// The identifier fanotify's records carry for the file or directory
    /// `path` names (relative to `directory` when given): its filesystem's
    /// id and its handle, in a ``FileID`` of type `FAN_EVENT_INFO_TYPE_FID`
    /// with no name. Needs no privilege. The corresponding C functions are
    /// `name_to_handle_at` and `fstatfs` (`f_fsid`).
    ///
    /// Compare ``FileID/fsid`` and ``FileID/handle`` with a record's: the
    /// kernel makes both the same way for a mark's events. `followingLinks`
    /// identifies what a final symbolic link points to, as a mark without
    /// ``MarkFlags/dontFollow`` does.
    ///
    /// Throws ``Error``: `EOPNOTSUPP` for a filesystem that cannot make
    /// handles (and cannot report file identifiers either), `ENOENT`, `EACCES`.
    public static func fileID(
        of path: FilePath, in directory: FileDescriptor? = nil, followingLinks: Bool = true
    ) throws(Error) -> FileID {
        let at = directory?.rawValue ?? AT_FDCWD
        let handle = path.withPlatformString { Syscalls.handle(of: $0, in: at, followingLinks: followingLinks) }
        let (type, bytes): (CInt, [UInt8])
        switch handle {
        case .success(let made): (type, bytes) = made
        case .failure(let errno):
            throw Error(
                .nameToHandle, errno: errno, path: path,
                advice: errno == .notSupported ? "The filesystem cannot make file handles: fanotify cannot report its"
                    + " file identifiers either" : nil)
        }
        // The filesystem's id of the same object: opened without following
        // what the handle did not follow, and with O_PATH, which reads nothing.
        let flags = Syscalls.pathOnly | O_CLOEXEC | (followingLinks ? 0 : O_NOFOLLOW)
        let opened = path.withPlatformString { Syscalls.open($0, in: at, flags: flags) }
        guard case .success(let fd) = opened else {
            throw Error(.statfs, errno: opened.failure ?? .noSuchFileOrDirectory, path: path)
        }
        defer { _ = Syscalls.close(fd) }
        switch Syscalls.filesystemID(fd) {
        case .success(let (first, second)):
            return FileID(
                type: FAN_EVENT_INFO_TYPE_FID, fsid: FilesystemID(first: first, second: second),
                handle: FileHandle(type: type, bytes: bytes))
        case .failure(let errno):
            throw Error(.statfs, errno: errno, path: path)
        }
    }

    /// The id of the filesystem the descriptor `fd` is open on, as fanotify's
    /// records carry it. The corresponding C function is `fstatfs` (`f_fsid`).
    public static func filesystemID(of fd: FileDescriptor) throws(Error) -> FilesystemID {
        switch Syscalls.filesystemID(fd.rawValue) {
        case .success(let (first, second)): return FilesystemID(first: first, second: second)
        case .failure(let errno): throw Error(.statfs, errno: errno, value: "fd \(fd.rawValue)")
        }
    }
}

extension Result {
    /// The error of a failure; nil for a success.
    fileprivate var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
