import Synchronization
import SystemPackage

// The instance composes one owner per resource: DescriptorOwner (the
// descriptor, its wake-up lines, the wait), WatchTable (wd -> path),
// EventReader (the one read routine) and EventStream (the async streams).

/// An inotify instance: owns its descriptor (closed exactly once, by
/// ``close()`` or when the instance goes away), the table of its watches
/// (unless made with `tracksPaths: false`), its read buffer and its streams.
///
/// One task may read while others add and remove watches. Reads wait in
/// poll(2) beside a wake-up descriptor, so ``close()`` ends a waiting read at
/// once, and the descriptor number is released only after the last call using
/// it has returned: no call ever reads a closed or reused number.
public final class Inotify: Sendable {
    /// The instance's descriptor, for poll, epoll or Dispatch. Do not close it:
    /// the instance does.
    public let fileDescriptor: FileDescriptor
    /// The flags the instance was made with.
    public let flags: InitFlags
    /// Whether the instance keeps a table of its watches' paths (``watches``,
    /// ``path(of:)-(Inotify.WatchDescriptor)``, ``path(of:)-(Inotify.Event)``).
    public let tracksPaths: Bool

    /// What the watch descriptors of this instance, and its events, carry.
    let identity: UInt64
    let owner: DescriptorOwner
    /// nil when the instance keeps no table.
    let table: WatchTable?
    let reader: EventReader
    /// Made when first asked for (a stream, or a plain read, which must
    /// not overlap one): a program that reads the descriptor itself, as
    /// the command line does, never pays for the channel's generic types,
    /// a fifth of a one-shot command's start (Benchmarks/README).
    private let streamSlot = Lock<EventStream?>(nil)

    private static let identities = Atomic<UInt64>(0)

    /// Creates an instance. py-inotify's `init()`. The corresponding C function is `inotify_init`.
    public convenience init() throws(Error) {
        self.init(descriptor: try Inotify.initialize(), flags: [], tracksPaths: true)
    }

    /// Creates an instance with flags: `[.nonBlocking, .closeOnExec]`.
    /// py-inotify's `init1(flags)`. The corresponding C function is `inotify_init1`.
    public convenience init(flags: InitFlags) throws(Error) {
        self.init(descriptor: try Inotify.initialize(flags: flags), flags: flags, tracksPaths: true)
    }

    /// Creates an instance with flags, and says whether it keeps a table of
    /// its watches' paths.
    ///
    /// Without the table (`tracksPaths: false`), adding a watch makes no
    /// `FilePath` and stores nothing, reads look at no event for
    /// `IN_IGNORED`, and ``watches`` is empty, ``path(of:)-(Inotify.WatchDescriptor)``
    /// and ``path(of:)-(Inotify.Event)`` nil: for a caller that keeps its own table,
    /// such as a tree watcher, which stores a parent and a name per watch.
    /// ``removeWatch(_:)-(Int32)`` then asks the kernel alone whether a watch
    /// exists. The corresponding C function is `inotify_init1`.
    public convenience init(flags: InitFlags = [], tracksPaths: Bool) throws(Error) {
        self.init(descriptor: try Inotify.initialize(flags: flags), flags: flags, tracksPaths: tracksPaths)
    }

    private init(descriptor: FileDescriptor, flags: InitFlags, tracksPaths: Bool) {
        fileDescriptor = descriptor
        self.flags = flags
        self.tracksPaths = tracksPaths
        identity = Inotify.identities.add(1, ordering: .relaxed).newValue
        owner = DescriptorOwner(descriptor: descriptor.rawValue)
        table = tracksPaths ? WatchTable() : nil
        reader = EventReader(owner: owner, instance: identity)
    }

    /// The instance's streams, made on first use.
    var stream: EventStream {
        streamSlot.withLock { slot in
            if let stream = slot { return stream }
            let stream = EventStream(owner: owner, reader: reader, identity: identity)
            slot = stream
            return stream
        }
    }

    deinit {
        // A stream's reader thread may hold the owner a moment longer, as it
        // stops: the descriptor is closed now all the same (which wakes it).
        owner.closeIfOpen()
    }

    // MARK: Watches

    /// Adds a watch on `path`, or changes the watch already there.
    /// py-inotify's `add_watch`. `checks` says whether the library's own
    /// checks come first (see ``WatchChecks``).
    /// The corresponding C function is `inotify_add_watch`.
    @discardableResult
    public func addWatch(_ path: FilePath, mask: EventMask, checks: WatchChecks = .library) throws(Error) -> WatchDescriptor {
        if checks == .library { try Inotify.validateWatch(path: path, mask: mask) }
        let wd = try owner.use(.addWatch, path: path) { (fd) throws(Error) -> Int32 in
            let result = path.withPlatformString { Syscalls.inotifyAddWatch(fd, $0, mask.rawValue) }
            return try Inotify.addWatchResult(result, fd, path: path, mask: mask)
        }
        table?.insert(wd, path: path)
        return WatchDescriptor(rawValue: wd, instance: identity)
    }

    /// ``addWatch(_:mask:checks:)-(FilePath,_,_)`` for a String path; a path
    /// with a NUL byte is refused rather than cut short.
    @discardableResult
    public func addWatch(_ path: String, mask: EventMask, checks: WatchChecks = .library) throws(Error) -> WatchDescriptor {
        try addWatch(try Inotify.validatedPath(path, mask: mask), mask: mask, checks: checks)
    }

    /// ``addWatch(_:mask:checks:)-(FilePath,_,_)`` for a NUL-terminated path,
    /// as the kernel takes it: no `FilePath` is made unless there is an error
    /// to tell or a table to enter the path in. For a caller that adds many
    /// watches by names it keeps as bytes.
    @discardableResult
    public func addWatch(
        cString path: UnsafePointer<CChar>, mask: EventMask, checks: WatchChecks = .library
    ) throws(Error) -> WatchDescriptor {
        if checks == .library {
            if path.pointee == 0 { try Inotify.validateWatch(path: FilePath(), mask: mask) }
            try Inotify.validate(mask: mask, path: FilePath(platformString: path))
        }
        let wd = try owner.use(.addWatch) { (fd) throws(Error) -> Int32 in
            try Inotify.addWatchResult(
                Syscalls.inotifyAddWatch(fd, path, mask.rawValue), fd, path: FilePath(platformString: path), mask: mask)
        }
        table?.insert(wd, path: FilePath(platformString: path))
        return WatchDescriptor(rawValue: wd, instance: identity)
    }

    /// Removes a watch. The kernel then queues an `IN_IGNORED` event for it.
    /// A watch descriptor of another instance (or of none: an event decoded
    /// from plain bytes) is refused. py-inotify's `rm_watch`.
    /// The corresponding C function is `inotify_rm_watch`.
    public func removeWatch(_ wd: WatchDescriptor) throws(Error) {
        guard wd.instance == identity else {
            throw Error(
                .removeWatch, errno: .invalidArgument, value: "wd \(wd.rawValue)",
                advice: wd.hasInstance
                    ? "This watch descriptor belongs to another Inotify instance:"
                        + " remove it through the instance that made it"
                    : "This watch descriptor belongs to no instance (its event was decoded from bytes"
                        + " or read from a plain descriptor): remove the watch by its number")
        }
        try removeWatch(wd.rawValue)
    }

    /// Removes the watch numbered `wd`, for a caller that keeps the kernel's
    /// numbers. With a table, a number it does not hold is refused as the
    /// kernel would refuse it (`EINVAL`). The kernel's `EINVAL` (the watch
    /// ended already) takes the entry out of the table too; any other
    /// failure leaves it there, as the kernel leaves the watch.
    /// py-inotify's `rm_watch(fd, wd)`. The corresponding C function is `inotify_rm_watch`.
    public func removeWatch(_ wd: Int32) throws(Error) {
        try owner.use(.removeWatch) { (fd) throws(Error) in
            let path = table?.remove(wd)
            if table != nil && path == nil {
                throw Error(.removeWatch, errno: .invalidArgument, value: "wd \(wd)")
            }
            // Out of the table on success, and on EINVAL, where the kernel
            // holds no such watch either. Any other failure leaves the watch
            // where it was, in the kernel and so in the table.
            if case .failure(let errno) = Syscalls.inotifyRmWatch(fd, wd) {
                if errno != .invalidArgument, let path { table?.insert(wd, path: path) }
                throw Error(.removeWatch, errno: errno, path: path, value: "wd \(wd)")
            }
        }
    }

    /// The path a watch was added with; nil once the watch is gone, for a
    /// watch of another instance, and without a table.
    public func path(of wd: WatchDescriptor) -> FilePath? {
        guard wd.instance == identity else { return nil }
        return table?.path(of: wd.rawValue)
    }

    /// The path of the live watch numbered `wd`; nil for -1 (overflow), for
    /// watches already gone, and without a table.
    public func path(forWD wd: Int32) -> FilePath? {
        table?.path(of: wd)
    }

    /// The full path an event is about: its watch's path joined with its
    /// name, or the watch's own path when the name is empty (an event on the
    /// watched object itself). nil for wd -1 (overflow), for an event of
    /// another instance (or of none), for a watch already gone, without a
    /// table, and for a name that is not one path component (see
    /// ``Event/nameComponent``). A watch's entry answers for the events read
    /// with its `IN_IGNORED` until the next read delivers events.
    public func path(of event: Event) -> FilePath? {
        guard event.wd.instance == identity, let watch = table?.pathForEvent(event.wd.rawValue) else { return nil }
        guard event.hasName else { return watch }
        return event.nameComponent.map { watch.appending($0) }
    }

    /// Every live watch and its path (empty without a table). Entries leave
    /// the table when the watch is removed or when a read delivers its
    /// `IN_IGNORED`.
    public var watches: [WatchDescriptor: FilePath] {
        guard let table else { return [:] }
        return Dictionary(uniqueKeysWithValues: table.live.map {
            (WatchDescriptor(rawValue: $0.key, instance: identity), $0.value)
        })
    }

    // MARK: Reading

    /// Reads every queued event, in order. py-inotify's `read_events(fd, max_bytes)`.
    ///
    /// A blocking instance waits for the first event and then returns
    /// everything queued; a `.nonBlocking` one returns `[]` when nothing is
    /// queued. `maxBytes` caps one read (0: no cap); a cap smaller than the
    /// next event is an error. Throws ``Error`` (also when the instance is
    /// closed, before or during the wait, and `EBUSY` while a task iterates
    /// ``events``) or ``DecodingError``.
    public func readEvents(maxBytes: Int = 0) throws -> [Event] {
        try read(maxBytes: maxBytes, wait: flags.contains(.nonBlocking) ? .no : .forever)
    }

    /// Like ``readEvents(maxBytes:)``, waiting at most `timeout` for the first
    /// event, whatever the instance's flags; `[]` when none came in time.
    public func readEvents(timeout: Duration, maxBytes: Int = 0) throws -> [Event] {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        return try read(maxBytes: maxBytes, wait: .until(deadline))
    }

    /// How many bytes of events the kernel holds for this instance now
    /// (FIONREAD): 0 means a read would find nothing. Events are read in
    /// the order they were queued, so a reader that counts the bytes it has
    /// read can tell where in the stream something it does now will show.
    public func queuedByteCount() throws(Error) -> Int {
        try owner.use(.read) { (fd) throws(Error) -> Int in
            switch Syscalls.bytesQueued(fd) {
            case .success(let count): return count
            case .failure(let errno): throw Error(.read, errno: errno, value: "FIONREAD")
            }
        }
    }

    /// A plain read: what a stream read and did not deliver comes first;
    /// otherwise the kernel's queue, through the one read routine.
    private func read(maxBytes: Int, wait: Wait) throws -> [Event] {
        try Inotify.validate(maxBytes: maxBytes)
        let leftovers = try stream.beginPlainRead()
        defer { stream.endPlainRead() }
        let events = leftovers.isEmpty
            ? try reader.read(.queued(maxBytes: maxBytes), wait: wait)?.events ?? []
            : leftovers.flatMap(\.events)
        table?.delivered(events)
        return events
    }

    // MARK: Closing

    /// Closes the descriptor. A read waiting in another thread ends at once with
    /// an error, and a stream's iteration ends after what it holds; the
    /// descriptor number is released when the last call using it returns.
    /// Calling it again is an error.
    public func close() throws(Error) {
        table?.close()
        try owner.close()
    }

    /// Whether ``close()`` was called.
    public var isClosed: Bool {
        owner.isClosed
    }
}
