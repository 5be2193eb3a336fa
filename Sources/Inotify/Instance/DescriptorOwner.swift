import Glibc
import SystemPackage

/// The one owner of an instance's descriptors: the inotify descriptor, the
/// wake-up line that `close()` signals, and the nudge line a stream's reader
/// thread waits on. Each is closed exactly once, here.
///
/// Every call that uses the inotify descriptor runs inside ``use(_:path:_:)``,
/// which counts it; `close()` during such a call only marks the instance
/// closing and signals the wake-up line, which ends every wait at once, and
/// the last call to leave closes the descriptors. So no call ever reads,
/// polls or writes a closed number, or one reused by another open.
final class DescriptorOwner: Sendable {
    /// The inotify descriptor.
    let descriptor: CInt
    private let state = Lock(State())

    init(descriptor: CInt) {
        self.descriptor = descriptor
    }

    deinit {
        // No call can be under way: each holds a reference to the owner.
        let descriptors = state.withLock { $0.takeDescriptors(main: descriptor) }
        for fd in descriptors { _ = Syscalls.close(fd) }
    }

    // MARK: Using the descriptor

    /// Runs `body` with the descriptor, which stays open until `body` returns.
    func use<R>(
        _ operation: Inotify.Error.Operation, path: FilePath? = nil, _ body: (CInt) throws(Inotify.Error) -> R
    ) throws(Inotify.Error) -> R {
        try state.withLock { (state) throws(Inotify.Error) in
            guard state.lifecycle == .open else {
                throw Inotify.Error(
                    operation, errno: .badFileDescriptor, path: path, value: "fd \(descriptor)",
                    advice: "The instance was closed; make a new Inotify to watch again")
            }
            state.users += 1
        }
        defer { release() }
        return try body(descriptor)
    }

    private func release() {
        let descriptors = state.withLock { state -> [CInt] in
            state.users -= 1
            guard state.lifecycle == .closing, state.users == 0 else { return [] }
            return state.takeDescriptors(main: descriptor)
        }
        // close() has returned already, so there is no caller left to hear of a
        // failure; and close(2) releases the number even when it reports one.
        for fd in descriptors { _ = Syscalls.close(fd) }
    }

    // MARK: Closing

    /// Closes the descriptors now, or, while calls use them, wakes every wait
    /// and leaves the closing to the last call. Calling it again is an error.
    func close() throws(Inotify.Error) {
        let action = try state.withLock { (state) throws(Inotify.Error) -> CloseAction in
            switch state.lifecycle {
            case .closing, .closed:
                throw Inotify.Error(
                    .close, errno: .badFileDescriptor, value: "fd \(descriptor)",
                    advice: "The instance was closed already")
            case .open where state.users == 0:
                return .closeNow(state.takeDescriptors(main: descriptor))
            case .open:
                state.lifecycle = .closing
                return .wake(state.wakeLine)
            }
        }
        switch action {
        case .closeNow(let descriptors):
            var failure: Errno?
            for fd in descriptors {
                if case .failure(let errno) = Syscalls.close(fd), fd == descriptor { failure = errno }
            }
            if let failure {
                throw Inotify.Error(.close, errno: failure, value: "fd \(descriptor)")
            }
        case .wake(let line):
            // Written outside the lock: a user is still inside use(), so the
            // line cannot be closed before this write.
            if let line { DescriptorOwner.signal(line) }
        }
    }

    /// Closes unless closed already, telling no one of a failure: for an
    /// instance going away, which has no caller to tell.
    func closeIfOpen() {
        guard !isClosed else { return }
        do { try close() } catch {}
    }

    /// Whether ``close()`` was called.
    var isClosed: Bool {
        state.withLock { $0.lifecycle != .open }
    }

    // MARK: Waiting

    /// What a wait ended with.
    enum Readiness {
        /// The inotify descriptor has events.
        case readable
        /// The nudge line was signalled (and is drained now): the one waiting
        /// on it has something to look at again.
        case nudged
        /// The time given ran out.
        case timedOut
    }

    /// Waits in poll(2), inside a call of ``use(_:path:_:)``, until the
    /// descriptor has events (when `events`), the nudge line is signalled
    /// (when `nudges`; made first by ``prepareNudges()``), or the time is up;
    /// throws when the instance is closed meanwhile.
    func wait(events: Bool, nudges: Bool, for wait: Inotify.Wait) throws(Inotify.Error) -> Readiness {
        let (wake, nudge) = try lines(nudges: nudges)
        let timeout: Int
        switch wait {
        case .no: timeout = 0
        case .forever: timeout = -1
        case .until(let deadline): timeout = Syscalls.milliseconds(until: deadline)
        }
        // On the stack: a stream waits once per batch. (The closure returns a
        // Result: withUnsafeTemporaryAllocation rethrows untyped errors.)
        let outcome = withUnsafeTemporaryAllocation(of: pollfd.self, capacity: 3) { fds in
            fds[0] = pollfd(fd: wake, events: Int16(POLLIN), revents: 0)
            var count = 1
            if let nudge {
                fds[count] = pollfd(fd: nudge, events: Int16(POLLIN), revents: 0)
                count += 1
            }
            if events {
                fds[count] = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                count += 1
            }
            let polled = UnsafeMutableBufferPointer(rebasing: fds[0..<count])
            return Result { () throws(Inotify.Error) in
                try readiness(Syscalls.poll(polled, timeoutMilliseconds: timeout), polled, nudge: nudge, events: events)
            }
        }
        return try outcome.get()
    }

    /// What `poll` said, for ``wait(events:nudges:for:)``: `fds` is the wake-up
    /// line, then the nudge line if there is one, then the descriptor if asked for.
    private func readiness(
        _ polled: Result<Int, Errno>, _ fds: UnsafeMutableBufferPointer<pollfd>, nudge: CInt?, events: Bool
    ) throws(Inotify.Error) -> Readiness {
        switch polled {
        case .failure(let errno):
            throw Inotify.Error(.read, errno: errno, value: "poll")
        case .success(0):
            return .timedOut
        case .success:
            break
        }
        if fds[0].revents != 0 {
            throw Inotify.Error(
                .read, errno: .badFileDescriptor, value: "fd \(descriptor)",
                advice: "The instance was closed while this read was waiting")
        }
        var nudged = false
        if let nudge, fds[1].revents != 0 {
            DescriptorOwner.drain(nudge)
            nudged = true
        }
        if events {
            let revents = fds[fds.count - 1].revents
            if revents & Int16(POLLNVAL) != 0 {
                throw Inotify.Error(
                    .read, errno: .badFileDescriptor, value: "fd \(descriptor)",
                    advice: "The descriptor was closed behind the instance's back")
            }
            if revents != 0 { return .readable }
        }
        return nudged ? .nudged : .timedOut
    }

    /// Makes the nudge line, unless it is made already. Call it before the
    /// first look at whatever a nudge announces: a nudge that comes before
    /// the line exists is lost, one after it waits in the line.
    func prepareNudges() throws(Inotify.Error) {
        _ = try lines(nudges: true)
    }

    /// Signals the nudge line, if there is one and it is open: the thread
    /// waiting on it (there is one at most) looks again at what it waits for.
    func nudge() {
        state.withLock { state in
            // Under the lock: the line is closed only under it, after
            // `lifecycle` says so, so this never writes to a closed number.
            guard state.lifecycle != .closed, let line = state.nudgeLine else { return }
            DescriptorOwner.signal(line)
        }
    }

    /// The wake-up line, made on the first wait, and the nudge line when asked for.
    private func lines(nudges: Bool) throws(Inotify.Error) -> (wake: CInt, nudge: CInt?) {
        try state.withLock { (state) throws(Inotify.Error) -> (CInt, CInt?) in
            guard state.lifecycle == .open else {
                throw Inotify.Error(
                    .read, errno: .badFileDescriptor, value: "fd \(descriptor)",
                    advice: "The instance was closed while this read was starting")
            }
            if state.wakeLine == nil {
                state.wakeLine = try DescriptorOwner.makeLine(
                    advice: "Could not make the descriptor that lets close() wake a waiting read")
            }
            if nudges && state.nudgeLine == nil {
                state.nudgeLine = try DescriptorOwner.makeLine(
                    advice: "Could not make the descriptor that wakes a stream's reader thread")
            }
            return (state.wakeLine!, nudges ? state.nudgeLine : nil)
        }
    }

    private static func makeLine(advice: String) throws(Inotify.Error) -> CInt {
        switch Syscalls.eventfd() {
        case .success(let line): return line
        case .failure(let errno): throw Inotify.Error(.read, errno: errno, value: "eventfd", advice: advice)
        }
    }

    private static func signal(_ eventfd: CInt) {
        var one: UInt64 = 1
        // An eventfd counter that is already non-zero stays readable, which is
        // all a wake-up needs; EAGAIN (counter full) means the same.
        _ = withUnsafeBytes(of: &one) { Syscalls.write(eventfd, $0) }
    }

    private static func drain(_ eventfd: CInt) {
        var counter: UInt64 = 0
        // Non-blocking: EAGAIN only means there was nothing left to drain.
        _ = withUnsafeMutableBytes(of: &counter) { Syscalls.read(eventfd, $0) }
    }
}

extension DescriptorOwner {
    struct State {
        enum Lifecycle { case open, closing, closed }
        var lifecycle = Lifecycle.open
        /// Calls under way that use the descriptor.
        var users = 0
        /// An eventfd that close() signals, ending every wait; never drained.
        var wakeLine: CInt?
        /// An eventfd a stream's consumer signals to wake its reader thread,
        /// which drains it: one waiter only, so no nudge is taken by another.
        var nudgeLine: CInt?

        /// Marks the instance closed and hands over the descriptors to close.
        mutating func takeDescriptors(main: CInt) -> [CInt] {
            guard lifecycle != .closed else { return [] }
            lifecycle = .closed
            return [main] + [wakeLine, nudgeLine].compactMap { $0 }
        }
    }

    enum CloseAction {
        case closeNow([CInt])
        case wake(CInt?)
    }
}

extension Inotify {
    /// How long a read waits for the first event.
    enum Wait {
        case no
        case forever
        case until(ContinuousClock.Instant)
    }
}
