import Inotify
import Synchronization

/// Hands changes from the watcher's thread to one async consumer, with a
/// bound: while `limit` changes or more wait, the watcher's thread waits too
/// (and the kernel's queue takes the strain, ending in an overflow and a
/// rescan if the consumer never catches up). A read's changes go in together,
/// so the bound can be passed by one read's worth. Nothing is dropped here.
final class ChangeChannel: Sendable {
    private struct State {
        var pending = FIFO<Change>()
        var pendingCount = 0
        /// The producer sleeps on `wakeProducer` until the consumer makes room.
        var producerWaiting = false
        var waiter: CheckedContinuation<Change?, any Error>?
        var end: Result<Void, any Error>?
        var closed = false
        var consumerActive = false
    }

    private let state = Mutex(State())
    private let limit: Int
    private let wakeProducer = CountingSemaphore(0)

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
                let full = !state.closed && state.pendingCount >= limit
                state.producerWaiting = full
                return (state.closed, full)
            }
            if closed { return false }
            if !full { break }
            wakeProducer.wait()
        }
        enum Outcome { case closed, queued, handed(CheckedContinuation<Change?, any Error>, Change) }
        let outcome = state.withLock { state -> Outcome in
            if state.closed { return .closed }
            for change in changes { state.pending.append(change) }
            state.pendingCount += changes.count
            guard let waiter = state.waiter.take(), let first = state.pending.popFirst() else { return .queued }
            state.pendingCount -= 1
            return .handed(waiter, first)
        }
        switch outcome {
        case .closed:
            return false
        case .queued:
            return true
        case .handed(let waiter, let first):
            waiter.resume(returning: first)
            return true
        }
    }

    func finish(_ end: Result<Void, any Error>) {
        let waiter = state.withLock { state -> CheckedContinuation<Change?, any Error>? in
            if state.end == nil { state.end = end }
            return state.pending.isEmpty ? state.waiter.take() : nil
        }
        switch end {
        case .success: waiter?.resume(returning: nil)
        case .failure(let error): waiter?.resume(throwing: error)
        }
    }

    /// Stops the producer, waking it if it waits for a place.
    func close() {
        state.withLock { $0.closed = true }
        wakeProducer.signal()
    }

    // MARK: Consumer

    func begin() throws {
        try state.withLock { state in
            guard !state.consumerActive else { throw TreeWatcher.BusyError() }
            state.consumerActive = true
        }
    }

    /// Changes handed over and not yet taken.
    var pendingCount: Int { state.withLock { $0.pendingCount } }

    func endIteration() {
        state.withLock { $0.consumerActive = false }
    }

    func next() async throws -> Change? {
        // A change already waiting is taken without suspending: a suspension
        // and resumption per change would cost more than the change itself.
        let (ready, wakeNow) = state.withLock { state -> (Change?, Bool) in
            guard let change = state.pending.popFirst() else { return (nil, false) }
            state.pendingCount -= 1
            let wake = state.producerWaiting && state.pendingCount < limit
            if wake { state.producerWaiting = false }
            return (change, wake)
        }
        if wakeNow { wakeProducer.signal() }
        if let ready { return ready }
        let cancelled = Mutex(false)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let (step, wake) = state.withLock { state -> (Result<Change?, any Error>?, Bool) in
                    if let change = state.pending.popFirst() {
                        state.pendingCount -= 1
                        let wake = state.producerWaiting && state.pendingCount < limit
                        if wake { state.producerWaiting = false }
                        return (.success(change), wake)
                    }
                    if let end = state.end { return (end.map { nil }, false) }
                    if cancelled.withLock({ $0 }) { return (.success(nil), false) }
                    state.waiter = continuation
                    return (nil, false)
                }
                if wake { wakeProducer.signal() }
                if let step { continuation.resume(with: step) }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                cancelled.withLock { $0 = true }
                return state.waiter.take()
            }
            waiter?.resume(returning: nil)
        }
    }
}
