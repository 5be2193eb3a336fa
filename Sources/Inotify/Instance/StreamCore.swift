import Glibc
import Synchronization
import SystemPackage

// The machinery behind `inotify.events` and `inotify.eventBatches`.
//
// A reader thread of the library's own waits in poll(2) on the inotify
// descriptor, the instance's close wake-up and a control eventfd, and drains
// the kernel queue eagerly into memory, one batch of decoded events per read,
// so a briefly slow consumer does not make the kernel overflow. The consumer
// awaits batches. No cooperative-pool thread ever blocks.
//
// Bounded memory: once `limit` bytes wait in memory the reader stops reading
// (it polls only its control lines) until the consumer takes a batch. The
// kernel's own queue then absorbs what comes next, and if that overflows too,
// the kernel's IN_Q_OVERFLOW arrives in sequence, exactly where events were
// lost. Nothing is dropped by this code.
//
// Batches not yet consumed when an iteration ends stay here for the next one,
// so cancelling a consumer loses no event either.

final class StreamCore: Sendable {
    /// The events of one read, and how many kernel bytes they came from: the
    /// measure of the buffer's bound.
    struct Batch {
        var events: [Inotify.Event]
        var byteCount: Int

        /// Events handed back undelivered; their size is what the kernel sent.
        init(undelivered events: ArraySlice<Inotify.Event>) {
            self.events = Array(events)
            self.byteCount = events.reduce(0) { $0 + Inotify.eventHeaderSize + Int($1.len) }
        }

        init(events: [Inotify.Event], byteCount: Int) {
            self.events = events
            self.byteCount = byteCount
        }
    }

    fileprivate enum End {
        /// The instance was closed while the reader waited: the stream ends cleanly.
        case closed
        case failed(any Swift.Error)
    }

    fileprivate struct State {
        var pending = FIFO<Batch>()
        var bufferedBytes = 0
        var limit = Inotify.defaultStreamBufferLimit
        var waiter: CheckedContinuation<Batch?, any Swift.Error>?
        var consumerActive = false
        var syncReading = false
        var cancelled = false
        var readerRunning = false
        var stopRequested = false
        var end: End?
        /// Wakes the reader to re-check `stopRequested` and `limit`.
        var control: CInt?
        /// The instance closed while the reader ran: the reader closes `control` as it leaves.
        var closeControlOnExit = false
    }

    private let state = Mutex(State())
    static let chunkSize = 64 * 1024

    deinit {
        if let control = state.withLock({ $0.control }) { _ = Syscalls.close(control) }
    }

    /// The instance is closing: close the control eventfd now, or, while the
    /// reader still polls it, let the reader close it on its way out. It is
    /// only ever written under the lock, so no write can reach a reused number.
    func shutdown() {
        let control = state.withLock { state -> CInt? in
            if state.readerRunning {
                state.closeControlOnExit = true
                return nil
            }
            return state.control.take()
        }
        if let control { _ = Syscalls.close(control) }
    }

    // MARK: Plain reads

    /// Lets a plain read run: refused while a stream reads; hands over what a
    /// stream read and did not deliver, which comes before anything newer.
    func beginPlainRead(_ instance: Inotify) throws(Inotify.Error) -> [Batch] {
        try state.withLock { (state) throws(Inotify.Error) -> [Batch] in
            guard !state.consumerActive && !state.readerRunning && !state.syncReading else {
                throw Inotify.Error(
                    .read, errno: .resourceBusy, value: "fd \(instance.fileDescriptor.rawValue)",
                    advice: "A task is iterating this instance's events; read them there"
                        + " (an instance has one reader at a time)")
            }
            state.syncReading = true
            var batches: [Batch] = []
            while let batch = state.pending.popFirst() { batches.append(batch) }
            state.bufferedBytes = 0
            return batches
        }
    }

    func endPlainRead() {
        state.withLock { $0.syncReading = false }
    }

    // MARK: Consumer side

    /// Starts an iteration: refuses a second consumer, starts the reader if none runs.
    func begin(_ instance: Inotify, limit: Int) throws(Inotify.Error) {
        let spawn = try state.withLock { (state) throws(Inotify.Error) -> Bool in
            guard !state.consumerActive && !state.syncReading else {
                throw Inotify.Error(
                    .read, errno: .resourceBusy, value: "fd \(instance.fileDescriptor.rawValue)",
                    advice: "Another task is iterating this instance's events: an instance has one"
                        + " consumer at a time, so that no two readers race for the same events")
            }
            if state.control == nil {
                switch Syscalls.eventfd() {
                case .success(let fd): state.control = fd
                case .failure(let errno):
                    throw Inotify.Error(.read, errno: errno, value: "eventfd",
                        advice: "Could not make the descriptor that controls the reader thread")
                }
            }
            state.consumerActive = true
            state.cancelled = false
            state.end = nil
            state.limit = limit
            state.stopRequested = false
            if state.readerRunning { return false }
            state.readerRunning = true
            return true
        }
        signalReader()  // a reader that is still running re-reads the limit
        guard spawn else { return }
        let spawned = Syscalls.spawnThread(named: "inotify-r\(instance.identity)") {
            self.runReader(instance)
        }
        if case .failure(let errno) = spawned {
            state.withLock {
                $0.readerRunning = false
                $0.consumerActive = false
            }
            throw Inotify.Error(.read, errno: errno, value: "reader thread",
                advice: "Could not start the thread that reads the descriptor")
        }
    }

    /// The next batch; nil at the end of the stream or when the task is cancelled.
    func next(isolation actor: isolated (any Actor)?) async throws -> Batch? {
        // A batch already waiting is taken without suspending the task.
        let (ready, resume) = state.withLock { state -> (Batch?, Bool) in
            guard let batch = state.pending.popFirst() else { return (nil, false) }
            return (batch, state.take(batch))
        }
        if resume { signalReader() }
        if let ready { return ready }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation(isolation: actor) { continuation in
                enum Step { case deliver(Batch?), fail(any Swift.Error), wait }
                let (step, resumeReader) = state.withLock { state -> (Step, Bool) in
                    if let batch = state.pending.popFirst() {
                        return (.deliver(batch), state.take(batch))
                    }
                    switch state.end {
                    case .closed: return (.deliver(nil), false)
                    case .failed(let error): return (.fail(error), false)
                    case nil: break
                    }
                    if state.cancelled { return (.deliver(nil), false) }
                    state.waiter = continuation
                    return (.wait, false)
                }
                if resumeReader { signalReader() }
                switch step {
                case .deliver(let batch): continuation.resume(returning: batch)
                case .fail(let error): continuation.resume(throwing: error)
                case .wait: break
                }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                state.cancelled = true
                return state.waiter.take()
            }
            waiter?.resume(returning: nil)
        }
    }

    /// Ends an iteration. Events it decoded but did not deliver go back to the
    /// front of the queue for the next one; the reader is told to stop.
    func finish(returning leftover: ArraySlice<Inotify.Event>) {
        state.withLock { state in
            if !leftover.isEmpty {
                let batch = Batch(undelivered: leftover)
                state.pending.pushFront(batch)
                state.bufferedBytes += batch.byteCount
            }
            state.consumerActive = false
            state.stopRequested = true
        }
        signalReader()
    }

    // MARK: Reader side

    private func runReader(_ instance: Inotify) {
        let outcome: End?
        do {
            outcome = try instance.use(.read) { (fd) throws(Inotify.Error) -> End? in
                try readLoop(fd, closeWake: try instance.wakeDescriptor())
            }
        } catch {
            outcome = .failed(error)
        }
        // A reader told to stop has already marked itself gone (under the lock,
        // in readLoop); a new iteration may own the state by now.
        guard let outcome else { return }
        let (waiter, control) = state.withLock { state in
            state.readerRunning = false
            state.end = outcome
            return (state.pending.isEmpty ? state.waiter.take() : nil, state.takeControlIfClosing())
        }
        if let control { _ = Syscalls.close(control) }
        switch outcome {
        case .failed(let error): waiter?.resume(throwing: error)
        case .closed: waiter?.resume(returning: nil)
        }
    }

    /// Returns nil when asked to stop, `.closed` when the instance is closed.
    private func readLoop(_ fd: CInt, closeWake: CInt) throws(Inotify.Error) -> End? {
        guard let control = state.withLock({ $0.control }) else { return nil }
        let scratch = UnsafeMutableRawBufferPointer.allocate(
            byteCount: StreamCore.chunkSize, alignment: MemoryLayout<Int32>.alignment)
        defer { scratch.deallocate() }
        var fds = [
            pollfd(fd: control, events: Int16(POLLIN), revents: 0),
            pollfd(fd: closeWake, events: Int16(POLLIN), revents: 0),
            pollfd(fd: fd, events: Int16(POLLIN), revents: 0),
        ]
        while true {
            let paused: Bool? = state.withLock { state in
                if state.stopRequested {
                    // Decided under the lock, so begin() either sees the reader
                    // running and keeps it, or sees it gone and starts another.
                    state.readerRunning = false
                    return nil
                }
                return state.bufferedBytes >= state.limit
            }
            guard let paused else {
                if let control = state.withLock({ $0.takeControlIfClosing() }) { _ = Syscalls.close(control) }
                return nil
            }
            let watched = paused ? 2 : 3
            let ready = fds.withUnsafeMutableBufferPointer {
                Syscalls.poll(UnsafeMutableBufferPointer(rebasing: $0[0..<watched]), timeoutMilliseconds: -1)
            }
            if case .failure(let errno) = ready { throw Inotify.Error(.read, errno: errno, value: "poll") }
            if fds[1].revents != 0 { return .closed }
            if fds[0].revents != 0 {
                // Re-check stop and pause before reading: a reader told to stop
                // must not take events from the kernel that no one will ask for.
                drain(control)
                continue
            }
            if watched == 3 && fds[2].revents != 0, let end = try readBatch(fd, into: scratch) { return end }
        }
    }

    /// One read(2) into `scratch`, decoded there: the batch is the only copy.
    ///
    /// No FIONREAD first: the kernel answers it by walking its whole event
    /// list under a lock, which costs more than the read itself when the queue
    /// is deep. And no read of the whole queue at once: 64 KiB of bytes and the
    /// events decoded from them stay in the cache. Returns an end for bytes
    /// that do not decode.
    private func readBatch(_ fd: CInt, into scratch: UnsafeMutableRawBufferPointer) throws(Inotify.Error) -> End? {
        let count: Int
        switch Syscalls.read(fd, scratch) {
        case .success(let read): count = read
        case .failure(.resourceTemporarilyUnavailable): return nil
        case .failure(let errno): throw Inotify.Error(.read, errno: errno, value: "fd \(fd)")
        }
        guard count > 0 else { return nil }
        let batch: Batch
        do {
            let events = try Inotify.decodeEvents(UnsafeRawBufferPointer(rebasing: scratch[0..<count]))
            batch = Batch(events: events, byteCount: count)
        } catch {
            return .failed(error)
        }
        let waiter = state.withLock { state -> CheckedContinuation<Batch?, any Swift.Error>? in
            if let waiter = state.waiter.take() { return waiter }
            state.pending.append(batch)
            state.bufferedBytes += batch.byteCount
            return nil
        }
        waiter?.resume(returning: batch)
        return nil
    }

    private func signalReader() {
        state.withLock { state in
            guard let control = state.control else { return }
            var one: UInt64 = 1
            // A non-zero eventfd counter stays readable: EAGAIN (counter full) is a wake-up too.
            _ = withUnsafeBytes(of: &one) { Syscalls.write(control, $0) }
        }
    }

    private func drain(_ control: CInt) {
        var counter: UInt64 = 0
        // Non-blocking: EAGAIN only means another drain got there first.
        _ = withUnsafeMutableBytes(of: &counter) { Syscalls.read(control, $0) }
    }
}

extension StreamCore.State {
    fileprivate mutating func takeControlIfClosing() -> CInt? {
        guard closeControlOnExit else { return nil }
        closeControlOnExit = false
        return control.take()
    }

    /// Accounts for a batch the consumer took; true when that un-pauses the reader.
    fileprivate mutating func take(_ batch: StreamCore.Batch) -> Bool {
        let wasPaused = bufferedBytes >= limit
        bufferedBytes -= batch.byteCount
        return wasPaused && bufferedBytes < limit
    }
}

extension Inotify {
    /// The default bound of a stream's in-memory buffer: 16 MiB of kernel
    /// bytes, about half a million events with short names.
    public static let defaultStreamBufferLimit = 16 * 1024 * 1024
}
