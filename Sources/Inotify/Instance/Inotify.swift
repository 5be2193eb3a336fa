import Glibc
import Synchronization
import SystemPackage

/// An inotify instance: owns its descriptor (closed exactly once, by
/// ``close()`` or when the instance goes away), its read buffer and the table
/// of its watches.
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

    let identity: UInt64
    private let state: Lock<State>
    /// Held for the whole of a read, so concurrent reads take turns instead of
    /// racing for the same bytes and the same buffer.
    private let reader: Lock<ReadBuffer>
    /// The state of `events` and `eventBatches`.
    let streamCore = StreamCore()

    private static let identities = Atomic<UInt64>(0)

    /// Creates an instance. py-inotify's `init()`. The corresponding C function is `inotify_init`.
    public convenience init() throws(Error) {
        self.init(descriptor: try Inotify.initialize(), flags: [])
    }

    /// Creates an instance with flags: `[.nonBlocking, .closeOnExec]`.
    /// py-inotify's `init1(flags)`. The corresponding C function is `inotify_init1`.
    public convenience init(flags: InitFlags) throws(Error) {
        self.init(descriptor: try Inotify.initialize(flags: flags), flags: flags)
    }

    private init(descriptor: FileDescriptor, flags: InitFlags) {
        fileDescriptor = descriptor
        self.flags = flags
        identity = Inotify.identities.add(1, ordering: .relaxed).newValue
        state = Lock(State())
        reader = Lock(ReadBuffer())
    }

    deinit {
        // No call can be under way: each holds a reference to the instance.
        let descriptors = state.withLock { $0.takeDescriptors(main: fileDescriptor.rawValue) }
        for fd in descriptors { _ = Syscalls.close(fd) }
    }

    // MARK: Watches

    /// Adds a watch on `path`, or changes the watch already there.
    /// py-inotify's `add_watch`. The corresponding C function is `inotify_add_watch`.
    @discardableResult
    public func addWatch(_ path: FilePath, mask: EventMask) throws(Error) -> WatchDescriptor {
        let wd = try addWatchUntracked(path, mask: mask)
        // A close() in between has emptied the table for good: keep it empty.
        state.withLock { if $0.lifecycle != .closed { $0.watches[wd] = path } }
        return WatchDescriptor(rawValue: wd, instance: identity)
    }

    /// ``addWatch(_:mask:)-(FilePath,_)`` for a String path; a path with a NUL
    /// byte is refused rather than cut short.
    @discardableResult
    public func addWatch(_ path: String, mask: EventMask) throws(Error) -> WatchDescriptor {
        try addWatch(try Inotify.validatedPath(path, mask: mask), mask: mask)
    }

    /// Removes a watch. The kernel then queues an `IN_IGNORED` event for it.
    /// py-inotify's `rm_watch`. The corresponding C function is `inotify_rm_watch`.
    public func removeWatch(_ wd: WatchDescriptor) throws(Error) {
        guard wd.instance == identity else {
            throw Error(
                .removeWatch, errno: .invalidArgument, value: "wd \(wd.rawValue)",
                advice: "This watch descriptor belongs to another Inotify instance:"
                    + " remove it through the instance that made it")
        }
        try use(.removeWatch) { fd throws(Error) in
            guard let path = state.withLock({ $0.watches[wd.rawValue] }) else {
                throw Error(.removeWatch, errno: .invalidArgument, value: "wd \(wd.rawValue)")
            }
            let result = Syscalls.inotifyRmWatch(fd, wd.rawValue)
            // Success or EINVAL: either way the kernel holds no such watch now.
            state.withLock { _ = $0.watches.removeValue(forKey: wd.rawValue) }
            if case .failure(let errno) = result {
                throw Error(.removeWatch, errno: errno, path: path, value: "wd \(wd.rawValue)")
            }
        }
    }

    /// Adds a watch without entering it in the instance's table, for a caller
    /// that keeps its own (the tree watcher keeps names, not whole paths).
    package func addWatchUntracked(_ path: FilePath, mask: EventMask) throws(Error) -> Int32 {
        try Inotify.validateWatch(path: path, mask: mask)
        return try use(.addWatch, path: path) { fd throws(Error) in
            try Inotify.addWatchUnchecked(fd, path, mask: mask)
        }
    }

    /// ``addWatchUntracked(_:mask:)`` for a NUL-terminated path: no `FilePath`
    /// is made unless there is an error to tell.
    package func addWatchUntracked(cString path: UnsafePointer<CChar>, mask: EventMask) throws(Error) -> Int32 {
        try Inotify.validate(mask: mask, path: FilePath(platformString: path))
        return try use(.addWatch) { fd throws(Error) in
            try Inotify.addWatchResult(
                Syscalls.inotifyAddWatch(fd, path, mask.rawValue), fd, path: FilePath(platformString: path), mask: mask)
        }
    }

    /// ``addWatchUntracked(cString:mask:)`` without the library's own checks:
    /// the kernel alone decides, as it does for inotifywait. For a command
    /// that passes on a user's mask, such as `-e ignored` (a watch that
    /// reports only its own end, which the library's checks would refuse as
    /// asking for no event).
    package func addWatchAsGiven(cString path: UnsafePointer<CChar>, mask: EventMask) throws(Error) -> Int32 {
        try use(.addWatch) { fd throws(Error) in
            try Inotify.addWatchResult(
                Syscalls.inotifyAddWatch(fd, path, mask.rawValue), fd, path: FilePath(platformString: path), mask: mask)
        }
    }

    /// Removes a watch added by ``addWatchUntracked(_:mask:)``.
    package func removeWatchUntracked(_ wd: Int32) throws(Error) {
        try use(.removeWatch) { fd throws(Error) in
            if case .failure(let errno) = Syscalls.inotifyRmWatch(fd, wd) {
                throw Error(.removeWatch, errno: errno, value: "wd \(wd)")
            }
        }
    }

    /// The path a watch was added with; nil once the watch is gone.
    public func path(of wd: WatchDescriptor) -> FilePath? {
        guard wd.instance == identity else { return nil }
        return path(forWD: wd.rawValue)
    }

    /// The path of the watch an event belongs to (``Event/wd``); nil for -1
    /// (overflow) and for watches already gone.
    public func path(forWD wd: Int32) -> FilePath? {
        state.withLock { $0.watches[wd] }
    }

    /// Every live watch and its path. Entries leave the table when the watch is
    /// removed or when a read delivers its `IN_IGNORED`.
    public var watches: [WatchDescriptor: FilePath] {
        let table = state.withLock { $0.watches }
        return Dictionary(uniqueKeysWithValues: table.map {
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
    /// closed, before or during the wait) or ``DecodingError``.
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
        try use(.read) { (fd) throws(Error) -> Int in
            switch Syscalls.bytesQueued(fd) {
            case .success(let count): return count
            case .failure(let errno): throw Error(.read, errno: errno, value: "FIONREAD")
            }
        }
    }

    // MARK: Closing

    /// Closes the descriptor. A read waiting in another thread ends at once with
    /// an error; the descriptor number is released when the last call using it
    /// returns. Calling it again is an error.
    public func close() throws(Error) {
        let action = try state.withLock { (state) throws(Error) -> CloseAction in
            switch state.lifecycle {
            case .closing, .closed:
                throw Error(
                    .close, errno: .badFileDescriptor, value: "fd \(fileDescriptor.rawValue)",
                    advice: "The instance was closed already")
            case .open where state.users == 0:
                return .closeNow(state.takeDescriptors(main: fileDescriptor.rawValue))
            case .open:
                state.lifecycle = .closing
                return .wake(state.wakeDescriptor)
            }
        }
        streamCore.shutdown()
        switch action {
        case .closeNow(let descriptors):
            var failure: Errno?
            for fd in descriptors {
                if case .failure(let errno) = Syscalls.close(fd), fd == fileDescriptor.rawValue {
                    failure = errno
                }
            }
            if let failure {
                throw Error(.close, errno: failure, value: "fd \(fileDescriptor.rawValue)")
            }
        case .wake(let wake):
            if let wake { signal(wake) }
        }
    }

    /// Whether ``close()`` was called.
    public var isClosed: Bool {
        state.withLock { $0.lifecycle != .open }
    }
}

// MARK: - Internals

extension Inotify {
    struct State {
        enum Lifecycle { case open, closing, closed }
        var lifecycle = Lifecycle.open
        /// Calls under way that use the descriptor.
        var users = 0
        /// An eventfd that close() signals to wake waiting reads; made on the first wait.
        var wakeDescriptor: CInt?
        /// wd -> the path it was added with.
        var watches: [Int32: FilePath] = [:]

        /// Marks the instance closed and hands over the descriptors to close.
        mutating func takeDescriptors(main: CInt) -> [CInt] {
            guard lifecycle != .closed else { return [] }
            lifecycle = .closed
            watches.removeAll()
            return [main] + (wakeDescriptor.map { [$0] } ?? [])
        }
    }

    enum CloseAction {
        case closeNow([CInt])
        case wake(CInt?)
    }

    enum Wait {
        case no
        case forever
        case until(ContinuousClock.Instant)
    }

    /// Runs `body` with the descriptor, which stays open until `body` returns.
    func use<R>(
        _ operation: Error.Operation, path: FilePath? = nil, _ body: (CInt) throws(Error) -> R
    ) throws(Error) -> R {
        try state.withLock { (state) throws(Error) in
            guard state.lifecycle == .open else {
                throw Error(
                    operation, errno: .badFileDescriptor, path: path,
                    value: "fd \(fileDescriptor.rawValue)",
                    advice: "The instance was closed; make a new Inotify to watch again")
            }
            state.users += 1
        }
        defer { release() }
        return try body(fileDescriptor.rawValue)
    }

    private func release() {
        let descriptors = state.withLock { state -> [CInt] in
            state.users -= 1
            guard state.lifecycle == .closing, state.users == 0 else { return [] }
            return state.takeDescriptors(main: fileDescriptor.rawValue)
        }
        // close() has returned already, so there is no caller left to hear of a
        // failure; and close(2) releases the number even when it reports one.
        for fd in descriptors { _ = Syscalls.close(fd) }
    }

    private func signal(_ eventfd: CInt) {
        var one: UInt64 = 1
        // An eventfd counter that is already non-zero stays readable, which is
        // all a wake-up needs; EAGAIN (counter full) means the same.
        _ = withUnsafeBytes(of: &one) { Syscalls.write(eventfd, $0) }
    }

    func read(maxBytes: Int, wait: Wait) throws -> [Event] {
        try Inotify.validate(maxBytes: maxBytes)
        let leftovers = try streamCore.beginPlainRead(self)
        defer { streamCore.endPlainRead() }
        if !leftovers.isEmpty {
            let events = leftovers.flatMap(\.events)
            forgetIgnored(events)
            return events
        }
        let events = try reader.withLock { buffer throws -> [Event] in
            let count = try use(.read) { (fd) throws(Error) -> Int in
                while true {
                    let count = try Inotify.readQueued(
                        fd, maxBytes: maxBytes, into: buffer, whenEmpty: .returnNothing)
                    if count > 0 { return count }
                    if case .no = wait { return 0 }
                    guard try waitReadable(fd, wait: wait) else { return 0 }
                }
            }
            return try Inotify.decode(buffer, count: count)
        }
        forgetIgnored(events)
        return events
    }

    /// Drops the table entries of watches whose IN_IGNORED just arrived.
    func forgetIgnored(_ events: [Event]) {
        guard events.contains(where: { $0.mask.contains(.ignored) }) else { return }
        state.withLock { state in
            for event in events where event.mask.contains(.ignored) {
                state.watches.removeValue(forKey: event.wd)
            }
        }
    }

    /// Waits in poll(2) until `fd` is readable (true), the deadline passes
    /// (false) or close() signals the wake-up descriptor (an error).
    private func waitReadable(_ fd: CInt, wait: Wait) throws(Error) -> Bool {
        let wake = try wakeDescriptor()
        var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
        let timeout: Int
        switch wait {
        case .no: timeout = 0
        case .forever: timeout = -1
        case .until(let deadline): timeout = Inotify.milliseconds(until: deadline)
        }
        let ready = fds.withUnsafeMutableBufferPointer { Syscalls.poll($0, timeoutMilliseconds: timeout) }
        switch ready {
        case .failure(let errno):
            throw Error(.read, errno: errno, value: "poll")
        case .success(0):
            return false
        case .success:
            if fds[1].revents != 0 {
                throw Error(
                    .read, errno: .badFileDescriptor, value: "fd \(fd)",
                    advice: "The instance was closed while this read was waiting")
            }
            if fds[0].revents & Int16(POLLNVAL) != 0 {
                throw Error(
                    .read, errno: .badFileDescriptor, value: "fd \(fd)",
                    advice: "The descriptor was closed behind the instance's back")
            }
            return true
        }
    }

    func wakeDescriptor() throws(Error) -> CInt {
        try state.withLock { (state) throws(Error) -> CInt in
            guard state.lifecycle == .open else {
                throw Error(
                    .read, errno: .badFileDescriptor, value: "fd \(fileDescriptor.rawValue)",
                    advice: "The instance was closed while this read was starting")
            }
            if let wake = state.wakeDescriptor { return wake }
            switch Syscalls.eventfd() {
            case .success(let wake):
                state.wakeDescriptor = wake
                return wake
            case .failure(let errno):
                throw Error(
                    .read, errno: errno, value: "eventfd",
                    advice: "Could not make the descriptor that lets close() wake a waiting read")
            }
        }
    }

    /// Milliseconds until `deadline`, rounded up so a wait never ends early; 0 if past.
    static func milliseconds(until deadline: ContinuousClock.Instant) -> Int {
        let left = ContinuousClock.now.duration(to: deadline)
        if left <= .zero { return 0 }
        let (seconds, attoseconds) = left.components
        return Int(seconds) * 1000 + Int((attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
    }
}
