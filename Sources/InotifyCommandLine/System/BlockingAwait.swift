import Dispatch

/// Runs async work from the command's synchronous main thread and waits for
/// it. The commands stay synchronous up to here so that `-d` can fork before
/// any thread exists; only `-r` needs tasks at all.
func blockingAwait<T: Sendable>(_ work: @escaping @Sendable () async -> T) -> T {
    let done = DispatchSemaphore(value: 0)
    let result = ResultBox<T>()
    Task {
        result.set(await work())
        done.signal()
    }
    done.wait()
    return result.take()
}

/// Hands one value from the task to the waiting thread; the semaphore orders
/// the write before the read.
private final class ResultBox<T: Sendable>: @unchecked Sendable {
    // Safe: written once by the task before it signals, read once by the
    // waiting thread after the signal.
    private var value: T?

    func set(_ newValue: T) { value = newValue }
    func take() -> T { value! }
}
