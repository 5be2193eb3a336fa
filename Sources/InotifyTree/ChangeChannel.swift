import Inotify
import Synchronization

/// Hands changes from the watcher's thread to one async consumer, with a
/// bound: when `limit` changes wait, the watcher's thread waits too (and the
/// kernel's queue takes the strain, ending in an overflow and a rescan if the
/// consumer never catches up). Nothing is dropped here.
final class ChangeChannel: Sendable {
    private struct State {
        var pending = FIFO<Change>()
        var waiter: CheckedContinuation<Change?, any Error>?
        var end: Result<Void, any Error>?
        var closed = false
        var consumerActive = false
    }

    private let state = Mutex(State())
    /// Free places: the producer takes one per change, the consumer gives it back.
    private let places: CountingSemaphore

    init(limit: Int) {
        places = CountingSemaphore(max(limit, 1))
    }

    // MARK: Producer (the watcher's thread)

    /// Returns false once the channel is closed: the producer should stop.
    func send(_ change: Change) -> Bool {
        places.wait()
        let waiter = state.withLock { state -> CheckedContinuation<Change?, any Error>?? in
            if state.closed { return .none }
            if let waiter = state.waiter.take() { return .some(waiter) }
            state.pending.append(change)
            return .some(nil)
        }
        guard let waiter else { return false }
        if let waiter {
            places.signal()
            waiter.resume(returning: change)
        }
        return true
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
        places.signal()
    }

    // MARK: Consumer

    func begin() throws {
        try state.withLock { state in
            guard !state.consumerActive else { throw TreeWatcher.BusyError() }
            state.consumerActive = true
        }
    }

    func endIteration() {
        state.withLock { $0.consumerActive = false }
    }

    func next() async throws -> Change? {
        let cancelled = Mutex(false)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let step = state.withLock { state -> Result<Change?, any Error>? in
                    if let change = state.pending.popFirst() { return .success(change) }
                    if let end = state.end { return end.map { nil } }
                    if cancelled.withLock({ $0 }) { return .success(nil) }
                    state.waiter = continuation
                    return nil
                }
                if let step {
                    if case .success(.some) = step { places.signal() }
                    continuation.resume(with: step)
                }
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
