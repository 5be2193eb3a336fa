import Inotify
import Synchronization

/// Hands changes from the watcher's thread to one async consumer, with a
/// bound: while `limit` changes or more wait, the watcher's thread waits too
/// (and the kernel's queue takes the strain, ending in an overflow and a
/// rescan if the consumer never catches up). A read's changes go in together,
/// so the bound can be passed by one read's worth. Nothing is dropped here.
final class ChangeChannel: Sendable {
    private struct State {
        /// In order; the consumer takes all of it at once.
        var pending: [Change] = []
        var pendingCount: Int { pending.count }
        /// The producer sleeps on `wakeProducer` until the consumer makes room.
        var producerWaiting = false
        /// The consumer waiting for changes: resumed when some are pending
        /// or the channel ends.
        var waiter: CheckedContinuation<Void, any Error>?
        var end: Result<Void, any Error>?
        var closed = false
        var consumerActive = false
    }

    private let state = Lock(State())
    private let limit: Int
    private let wakeProducer = CountingSemaphore(0)
    /// What the consumer took from `pending` and has not handed out yet: one
    /// lock per read's worth of changes rather than one per change.
    /// `nonisolated(unsafe)`: only the one active consumer touches it
    /// (`begin()` refuses a second), and its tasks' accesses are ordered by
    /// their awaits.
    private nonisolated(unsafe) var taken: [Change] = []
    private nonisolated(unsafe) var takenIndex = 0
    /// `taken.count - takenIndex`, readable from any thread.
    private let takenLeft = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = max(limit, 1)
    }

    // MARK: Producer (the watcher's thread)

    /// Hands over the changes of one read at once: one lock and at most one
    /// wake-up for all of them. Returns false once the channel is closed: the
    /// producer should stop.
    func send(_ changes: [Change]) -> Bool {
        guard !changes.isEmpty else { return !state.withLock { $0.closed } }
        while true {
            let (closed, full) = state.withLock { state in
                // What the consumer took and has not handed out counts too.
                let full = !state.closed && state.pendingCount + takenLeft.load(ordering: .relaxed) >= limit
                state.producerWaiting = full
                return (state.closed, full)
            }
            if closed { return false }
            if !full { break }
            wakeProducer.wait()
        }
        let outcome = state.withLock { state -> (open: Bool, waiter: CheckedContinuation<Void, any Error>?) in
            if state.closed { return (false, nil) }
            if state.pending.isEmpty { state.pending = changes } else { state.pending += changes }
            return (true, state.waiter.take())
        }
        outcome.waiter?.resume()
        return outcome.open
    }

    func finish(_ end: Result<Void, any Error>) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, any Error>? in
            if state.end == nil { state.end = end }
            return state.waiter.take()
        }
        waiter?.resume()
    }

    /// Stops the producer, waking it if it waits for a place, and ends the
    /// stream after what it holds. The end is set here, not left to the
    /// producer: a producer that finds the channel closed as it sends stops
    /// at once, and a consumer waiting then would wait for ever.
    func close() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, any Error>? in
            state.closed = true
            if state.end == nil { state.end = .success(()) }
            return state.waiter.take()
        }
        waiter?.resume()
        wakeProducer.signal()
    }

    // MARK: Consumer

    func begin() throws {
        try state.withLock { state in
            guard !state.consumerActive else { throw TreeWatcher.BusyError() }
            state.consumerActive = true
        }
    }

    /// Changes handed over and not yet taken by the consumer.
    var pendingCount: Int { state.withLock { $0.pendingCount } + takenLeft.load(ordering: .relaxed) }

    /// Ends an iteration: what it took and did not hand out goes back to the
    /// front, for the next iteration.
    func endIteration() {
        let left = Array(taken[takenIndex...])
        taken = []
        takenIndex = 0
        takenLeft.store(0, ordering: .relaxed)
        state.withLock { state in
            if !left.isEmpty { state.pending = left + state.pending }
            state.consumerActive = false
        }
    }

    func next() async throws -> Change? {
        while true {
            if takenIndex < taken.count {
                let change = taken[takenIndex]
                takenIndex += 1
                takenLeft.store(taken.count - takenIndex, ordering: .relaxed)
                return change
            }
            // Take everything pending at once; wake a producer that waits for room.
            let (batch, wakeNow) = state.withLock { state -> ([Change], Bool) in
                let batch = state.pending
                state.pending = []
                // The consumer has handed out all it took: there is room now.
                let wake = state.producerWaiting
                if wake { state.producerWaiting = false }
                return (batch, wake)
            }
            if wakeNow { wakeProducer.signal() }
            if !batch.isEmpty {
                taken = batch
                takenIndex = 0
                continue
            }
            guard try await waitForChanges() else { return nil }
        }
    }

    /// Waits until changes are pending (true) or the channel ends or the task
    /// is cancelled (false); throws the producer's failure.
    private func waitForChanges() async throws -> Bool {
        let cancelled = Lock(false)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let ready = state.withLock { state -> Result<Void, any Error>? in
                    if !state.pending.isEmpty { return .success(()) }
                    if let end = state.end { return end }
                    if cancelled.withLock({ $0 }) { return .success(()) }
                    state.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(with: ready) }
            }
            return state.withLock { state in
                !state.pending.isEmpty || (state.end == nil && !cancelled.withLock { $0 })
            }
        } onCancel: {
            let waiter = state.withLock { state in
                cancelled.withLock { $0 = true }
                return state.waiter.take()
            }
            waiter?.resume()
        }
    }
}
