import Foundation
import Testing

/// Runs a test off the concurrency pool, on a thread of its own, with as many
/// such tests at once as there are cores: for tests that hold their thread
/// (they wait for a child, a poll, a semaphore, or compute for seconds).
///
/// Why: the pool has one thread per core, two here, and a synchronous test
/// holds one for as long as it runs. Two such tests at once leave nothing for
/// every other test's tasks: a watcher's consumer, a settling timer, the
/// resumption after an `await`. Under AddressSanitizer, where the command
/// line's children and a loop of 100,000 mkdir/rmdir take minutes, that
/// starved the tests that await for 100 to 160 s at a time (seen in CI and
/// here: a collector that never saw its marker within 300 s, a settled batch
/// that closed once where three were due; every pool thread was then in a
/// command-line test's `poll` or in a synchronous tree test).
///
/// A test in the lane waits for a place first (``BlockingLane``), holding
/// no thread while it waits, then runs every part of itself, before and
/// after each `await`, on a thread of its own: a test that awaits is never
/// queued behind another that blocks. (Lane tests sharing a few threads
/// instead, one FIFO of jobs, put each resumption behind every test not yet
/// started: a suite's 5-minute limit passed while its test was between two
/// steps.) Its time limit counts the wait for a place.
public struct BlockingLaneTrait: TestTrait, SuiteTrait, TestScoping {
    public var isRecursive: Bool { true }

    /// Each test case, not the suite around them: a suite in the lane would
    /// hold a place for all its tests at once.
    public func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        testCase == nil ? nil : self
    }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        await BlockingLane.shared.enter()
        defer { BlockingLane.shared.leave() }
        let thread = ThreadExecutor()
        defer { thread.finish() }
        try await withTaskExecutorPreference(thread) { try await function() }
    }
}

extension Trait where Self == BlockingLaneTrait {
    /// Runs the test, or each test of the suite, in the ``BlockingLane``.
    public static var inBlockingLane: Self { Self() }
}

/// The places of the lane: as many as there are cores; tests wait for one
/// in the order they came, holding no thread.
public final class BlockingLane: @unchecked Sendable {
    // @unchecked: `free` and `waiting` are only touched with `lock` held (a
    // pthread mutex, which ThreadSanitizer sees).
    public static let shared = BlockingLane(places: max(1, ProcessInfo.processInfo.activeProcessorCount))

    private let lock = NSLock()
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(places: Int) { free = places }

    func enter() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            lock.lock()
            if free > 0 {
                free -= 1
                lock.unlock()
                continuation.resume()
            } else {
                waiting.append(continuation)
                lock.unlock()
            }
        }
    }

    /// Hands the place to the first test waiting, or frees it.
    func leave() {
        lock.lock()
        let next = waiting.isEmpty ? nil : waiting.removeFirst()
        if next == nil { free += 1 }
        lock.unlock()
        next?.resume()
    }
}

/// A task executor of one thread, started with it: what a test in the lane
/// runs on. After `finish()`, the thread ends once it has run what it holds,
/// and a job that still comes (a task the test left behind) gets a thread
/// of its own.
final class ThreadExecutor: TaskExecutor, @unchecked Sendable {
    // @unchecked: `jobs` and `finished` are only touched with `condition`
    // locked (a pthread mutex, which ThreadSanitizer sees).
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var finished = false

    init() {
        let thread = Thread { [self] in
            // Named from inside (Thread.name set before start does not reach
            // the kernel here), so that a stack dump tells it.
            try? "blocking-lane".write(toFile: "/proc/thread-self/comm", atomically: false, encoding: .utf8)
            work()
        }
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        if finished {
            condition.unlock()
            Thread { [self] in job.runSynchronously(on: asUnownedTaskExecutor()) }.start()
            return
        }
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    func finish() {
        condition.lock()
        finished = true
        condition.signal()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while jobs.isEmpty && !finished { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
