import SystemPackage

// py-inotify's five functions, one to one, on a descriptor the caller owns.
// They own nothing: the caller closes the descriptor. Code that wants the
// descriptor closed for it, a watch table and timed reads uses an instance.

extension Inotify {
    /// Creates an inotify instance and returns its descriptor; the caller closes it.
    /// py-inotify's `init()`. The corresponding C function is `inotify_init`.
    public static func initialize() throws(Error) -> FileDescriptor {
        switch Syscalls.inotifyInit() {
        case .success(let fd): return FileDescriptor(rawValue: fd)
        case .failure(let errno): throw Error(.initialize, errno: errno)
        }
    }

    /// Creates an inotify instance with flags and returns its descriptor; the caller
    /// closes it. py-inotify's `init1(flags)`. The corresponding C function is `inotify_init1`.
    public static func initialize(flags: InitFlags) throws(Error) -> FileDescriptor {
        switch Syscalls.inotifyInit1(flags.rawValue) {
        case .success(let fd): return FileDescriptor(rawValue: fd)
        case .failure(let errno):
            throw Error(.initialize1, errno: errno, value: "flags 0o\(String(flags.rawValue, radix: 8))")
        }
    }

    /// Adds a watch on `path`, or changes the watch already there, and returns its
    /// watch descriptor. py-inotify's `add_watch(fd, pathname, mask)`.
    /// `checks` says whether the library's own checks come first (see
    /// ``WatchChecks``). The corresponding C function is `inotify_add_watch`.
    public static func addWatch(
        _ fd: FileDescriptor, _ path: FilePath, mask: EventMask, checks: WatchChecks = .library
    ) throws(Error) -> Int32 {
        if checks == .library { try validateWatch(path: path, mask: mask) }
        let result = path.withPlatformString { Syscalls.inotifyAddWatch(fd.rawValue, $0, mask.rawValue) }
        return try addWatchResult(result, fd.rawValue, path: path, mask: mask)
    }

    /// ``addWatch(_:_:mask:checks:)-(FileDescriptor,FilePath,_,_)`` for a String
    /// path; a path with a NUL byte is refused rather than cut short.
    public static func addWatch(
        _ fd: FileDescriptor, _ path: String, mask: EventMask, checks: WatchChecks = .library
    ) throws(Error) -> Int32 {
        try addWatch(fd, try validatedPath(path, mask: mask), mask: mask, checks: checks)
    }

    /// Removes a watch. py-inotify's `rm_watch(fd, wd)`.
    /// The corresponding C function is `inotify_rm_watch`.
    public static func removeWatch(_ fd: FileDescriptor, _ wd: Int32) throws(Error) {
        if case .failure(let errno) = Syscalls.inotifyRmWatch(fd.rawValue, wd) {
            throw Error(.removeWatch, errno: errno, value: "wd \(wd)", advice: notInotifyAdvice(fd, errno))
        }
    }

    /// Reads and decodes every event queued on `fd`, in order. py-inotify's
    /// `read_events(fd, max_bytes=0)`.
    ///
    /// On a blocking descriptor with nothing queued it waits for the first
    /// events; on a non-blocking one it returns `[]`. `maxBytes` caps the read
    /// (0: no cap); a cap smaller than the next event is an error.
    /// Throws ``Error`` or, for bytes that are not inotify events, ``DecodingError``.
    public static func readEvents(_ fd: FileDescriptor, maxBytes: Int = 0) throws -> [Event] {
        try validate(maxBytes: maxBytes)
        try requireInotify(fd)
        let buffer = ReadBuffer(capacity: 0)
        let count = try readQueued(fd.rawValue, maxBytes: maxBytes, into: buffer, whenEmpty: .readAnyway)
        return try decode(buffer, count: count)
    }

    /// The wd, or the error that names `path` (made only then) and, for
    /// EINVAL, the descriptor that may not be inotify.
    static func addWatchResult(
        _ result: Result<CInt, Errno>, _ fd: CInt, path: @autoclosure () -> FilePath, mask: EventMask
    ) throws(Error) -> Int32 {
        switch result {
        case .success(let wd):
            return wd
        case .failure(let errno):
            throw Error(
                .addWatch, errno: errno, path: path(), value: "mask \(mask)",
                advice: errno == .invalidArgument
                    ? notInotifyAdvice(FileDescriptor(rawValue: fd), errno) : nil)
        }
    }

    /// Fails unless `fd` is an open inotify descriptor. Reading another kind of
    /// descriptor would decode whatever bytes it holds, or block on a pipe.
    ///
    /// The probe: inotify_add_watch with an empty path checks the descriptor
    /// (EBADF, or EINVAL when it is not inotify) before it looks the path up
    /// (ENOENT); so it answers without ever adding a watch.
    static func requireInotify(_ fd: FileDescriptor) throws(Error) {
        let probe = "".withCString { Syscalls.inotifyAddWatch(fd.rawValue, $0, IN_ACCESS) }
        switch probe {
        case .failure(.noSuchFileOrDirectory):
            return
        case .failure(let errno) where errno == .badFileDescriptor || errno == .invalidArgument:
            throw Error(.read, errno: errno, value: "fd \(fd.rawValue)", advice: notInotifyAdvice(fd, errno))
        case .failure, .success:
            // Any other answer (a watch on "" cannot succeed) means the check
            // itself is not reliable here; the read's own errors will tell.
            return
        }
    }

    private static func notInotifyAdvice(_ fd: FileDescriptor, _ errno: Errno) -> String? {
        switch errno {
        case .badFileDescriptor:
            return "Descriptor \(fd.rawValue) is not open: it was closed, or the number is stale"
        case .invalidArgument:
            return "Either descriptor \(fd.rawValue) is not an inotify instance (make one with"
                + " Inotify.initialize()), or the argument is not valid for it"
        default:
            return nil
        }
    }
}
