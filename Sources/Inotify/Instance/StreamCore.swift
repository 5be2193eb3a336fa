import Glibc
import Synchronization
import SystemPackage

// The machinery behind `inotify.events` and `inotify.eventBatches`.
//
// A reader thread of the library's own waits in poll(2) on the inotify
// descriptor, the instance's close wake-up and a control eventfd, and drains
// the kernel queue into memory, one batch of decoded events per read, so a
// briefly slow consumer does not make the kernel overflow. No cooperative-pool
// thread ever blocks.
//
// Who reads: a consumer that comes for events while the kernel has some reads
// them itself, without blocking (poll with a zero timeout first), so a busy
// stream costs what a plain read loop costs, on one core. The reader thread
// reads when the consumer waits (and hands the batch over), or when events
// have waited `readerDeferral` without the consumer taking any: then the
// consumer is slow, and draining into memory keeps the kernel queue from
// overflowing. One read at a time (`reading`), and every batch read goes to
// the consumer or to the end of `pending` before the next read starts, so
// events stay in order.
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
        /// A read is under way, by the consumer or by the reader thread.
        var reading = false
        /// When the consumer last took a batch.
        var lastTaken = ContinuousClock.now
        /// The reader thread waits for the consumer to read: tell it when the
        /// consumer starts waiting instead.
        var readerDeferring = false
    }

    private let state = Lock(State())
    static let chunkSize = 64 * 1024
    /// How long events may wait in the kernel for a consumer that is busy
    /// before the reader thread drains them into memory.
    static let readerDeferral = Duration.milliseconds(1)

    /// The consumer's read buffer. `nonisolated(unsafe)`: only the consumer
    /// reads into it, one read at a time (`reading`), and a stream has one
    /// consumer at a time (`consumerActive`).
    private nonisolated(unsafe) let consumerScratch = UnsafeMutableRawBufferPointer.allocate(
        byteCount: StreamCore.chunkSize, alignment: MemoryLayout<Int32>.alignment)

    deinit {
        if let control = state.withLock({ $0.control }) { _ = Syscalls.close(control) }
        consumerScratch.deallocate()
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
            state.lastTaken = ContinuousClock.now
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
    func next(_ instance: Inotify, isolation actor: isolated (any Actor)?) async throws -> Batch? {
        // A batch already waiting is taken without suspending the task.
        let (ready, resume) = state.withLock { state -> (Batch?, Bool) in
            guard let batch = state.pending.popFirst() else { return (nil, false) }
            state.lastTaken = ContinuousClock.now
            return (batch, state.take(batch))
        }
        if resume { signalReader() }
        if let ready { return ready }
        // Events the kernel holds now are read here, on the consumer's thread.
        if let batch = try readDirectly(instance) { return batch }
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
                    // A reader thread that holds back for this consumer reads now.
                    let wake = state.readerDeferring
                    state.readerDeferring = false
                    return (.wait, wake)
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

    /// One non-blocking read on the consumer's thread, when no batch waits and
    /// no other read is under way; nil when the kernel has nothing (or the
    /// instance is closing: the reader thread ends the stream then).
    private func readDirectly(_ instance: Inotify) throws -> Batch? {
        let mayRead = state.withLock { state -> Bool in
            guard state.pending.isEmpty, !state.reading, state.end == nil, !state.cancelled else { return false }
            state.reading = true
            return true
        }
        guard mayRead else { return nil }
        let outcome: Result<Batch?, any Swift.Error>
        do {
            outcome = try instance.use(.read) { (fd) throws(Inotify.Error) -> Result<Batch?, any Swift.Error> in
                try readIfReady(fd, into: consumerScratch)
            }
        } catch where error.errno == .badFileDescriptor {
            outcome = .success(nil)  // closed: the reader thread reports the end
        } catch {
            outcome = .failure(error)
        }
        let wakeReader = state.withLock { state -> Bool in
            state.reading = false
            if case .success(.some) = outcome { state.lastTaken = ContinuousClock.now }
            let wake = state.readerDeferring
            state.readerDeferring = false
            return wake
        }
        if wakeReader { signalReader() }
        return try outcome.get()
    }

    /// A read of what is queued now, decoded; nil when nothing is. Bytes that
    /// do not decode are a failure of the stream, not of the read. Both the
    /// consumer and the reader thread read through it.
    private func readIfReady(
        _ fd: CInt, into scratch: UnsafeMutableRawBufferPointer
    ) throws(Inotify.Error) -> Result<Batch?, any Swift.Error> {
        var descriptor = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0)]
        let ready = descriptor.withUnsafeMutableBufferPointer { Syscalls.poll($0, timeoutMilliseconds: 0) }
        switch ready {
        case .success(let count) where count > 0: break
        case .success: return .success(nil)
        case .failure(let errno): throw Inotify.Error(.read, errno: errno, value: "poll")
        }
        let count: Int
        switch Syscalls.read(fd, scratch) {
        case .success(let read): count = read
        case .failure(.resourceTemporarilyUnavailable): return .success(nil)
        case .failure(let errno): throw Inotify.Error(.read, errno: errno, value: "fd \(fd)")
        }
        guard count > 0 else { return .success(nil) }
        do {
            let events = try Inotify.decodeEvents(UnsafeRawBufferPointer(rebasing: scratch[0..<count]))
            return .success(Batch(events: events, byteCount: count))
        } catch {
            return .failure(error)
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
        } catch where instance.isClosed {
            // Closed before this thread began to read (the consumer may have
            // read everything itself meanwhile): a clean end, as a close is.
            outcome = .closed
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
        var holdBack: Int? = nil
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
            let watched = paused || holdBack != nil ? 2 : 3
            for index in fds.indices { fds[index].revents = 0 }
            let ready = fds.withUnsafeMutableBufferPointer {
                Syscalls.poll(
                    UnsafeMutableBufferPointer(rebasing: $0[0..<watched]), timeoutMilliseconds: holdBack ?? -1)
            }
            holdBack = nil
            if case .failure(let errno) = ready { throw Inotify.Error(.read, errno: errno, value: "poll") }
            if fds[1].revents != 0 { return .closed }
            if fds[0].revents != 0 {
                // Re-check stop and pause before reading: a reader told to stop
                // must not take events from the kernel that no one will ask for.
                drain(control)
                continue
            }
            guard watched == 3 && fds[2].revents != 0 else { continue }
            // Events are there. Read them when the consumer waits for them, or
            // when it has taken nothing for a while (it is slow: drain into
            // memory); else leave them to the consumer, which reads them itself.
            let decision = state.withLock { state -> ReadDecision in
                if state.reading {
                    // The consumer is reading: it wakes this thread if it then waits.
                    state.readerDeferring = true
                    return .holdBack(milliseconds: 1)
                }
                let waited = ContinuousClock.now - state.lastTaken
                if state.waiter != nil || waited >= StreamCore.readerDeferral {
                    state.reading = true
                    return .read
                }
                state.readerDeferring = true
                return .holdBack(milliseconds: max(1, Inotify.milliseconds(until: state.lastTaken + StreamCore.readerDeferral)))
            }
            switch decision {
            case .holdBack(let milliseconds):
                holdBack = milliseconds
            case .read:
                let end = try readBatch(fd, into: scratch)
                if let end { return end }
            }
        }
    }

    private enum ReadDecision {
        case read
        /// Wait on the control lines only, for at most this long.
        case holdBack(milliseconds: Int)
    }

    /// One read(2) into `scratch`, decoded there: the batch is the only copy.
    ///
    /// No FIONREAD first: the kernel answers it by walking its whole event
    /// list under a lock, which costs more than the read itself when the queue
    /// is deep. And no read of the whole queue at once: 64 KiB of bytes and the
    /// events decoded from them stay in the cache. Returns an end for bytes
    /// that do not decode.
    ///
    /// Called with `reading` set; clears it once the batch is handed over or
    /// queued, so that no later read can overtake it.
    private func readBatch(_ fd: CInt, into scratch: UnsafeMutableRawBufferPointer) throws(Inotify.Error) -> End? {
        // The consumer may have read everything between this thread's poll
        // and its turn to read: readIfReady looks again, so that a blocking
        // descriptor never blocks this thread in read(2), where close() could
        // not wake it.
        let outcome: Result<Batch?, any Swift.Error>
        do throws(Inotify.Error) {
            outcome = try readIfReady(fd, into: scratch)
        } catch {
            state.withLock { $0.reading = false }
            throw error
        }
        guard case .success(let read) = outcome, let batch = read else {
            state.withLock { $0.reading = false }
            if case .failure(let error) = outcome { return .failed(error) }
            return nil
        }
        let waiter = state.withLock { state -> CheckedContinuation<Batch?, any Swift.Error>? in
            state.reading = false
            if let waiter = state.waiter.take() {
                state.lastTaken = ContinuousClock.now
                return waiter
            }
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
