import Foundation
import Synchronization

/// Checks `condition` every millisecond until it holds (true) or `timeout`
/// passes (false). For states that no event announces, such as a thread
/// having exited.
public func eventually(timeout: Duration = .seconds(10), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while !condition() {
        if ContinuousClock.now >= deadline { return false }
        try? await Task.sleep(for: .milliseconds(1))
    }
    return true
}

/// The ids of this process's threads named `name` (from /proc/self/task/*/comm).
public func threads(named name: String) -> [Int] {
    let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
    return tasks.compactMap { tid in
        let comm = try? String(contentsOfFile: "/proc/self/task/\(tid)/comm", encoding: .utf8)
        return comm?.trimmingCharacters(in: .newlines) == name ? Int(tid) : nil
    }
}

/// Produces `pairs` OPEN + CLOSE_NOWRITE event pairs on `file`: cheap events
/// that the kernel does not merge, since neighbours always differ. Returns
/// how many pairs were made: an open(2) that fails (EMFILE while other tests
/// hold many descriptors, say) makes none, and a test that counts events must
/// count only those made.
@discardableResult
public func openClosePairs(_ file: String, _ pairs: Int) -> Int {
    var made = 0
    for _ in 0..<pairs {
        let fd = open(file, O_RDONLY | O_CLOEXEC)
        if fd >= 0 {
            close(fd)
            made += 1
        }
    }
    return made
}

/// Runs blocking `body` on a thread of its own (never on the concurrency
/// pool) and returns its result.
public func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.start()
    }
}

/// Whether an iteration ends when its source is closed while events flow:
/// a thread makes OPEN + CLOSE_NOWRITE pairs on `busyFile` without pause,
/// `iterate` runs on a task (calling the function it is given once per
/// item), and once 100 items have come, `close` is called; true if the
/// iteration then ends within 10 seconds.
public func iterationEndsOnClose(
    busyFile: String,
    iterate: @escaping @Sendable (_ seen: @escaping @Sendable () -> Void) async throws -> Void,
    close: () throws -> Void
) async throws -> Bool {
    let stop = Atomic<Bool>(false)
    let writer = Thread { while !stop.load(ordering: .relaxed) { openClosePairs(busyFile, 10) } }
    writer.start()
    defer { stop.store(true, ordering: .relaxed) }
    let seen = Atomic<Int>(0)
    let ended = Atomic<Bool>(false)
    let consumer = Task {
        try await iterate { seen.add(1, ordering: .relaxed) }
        ended.store(true, ordering: .relaxed)
    }
    defer { consumer.cancel() }
    // Both waits are hang guards, not speed limits: under ThreadSanitizer on a
    // loaded machine the first 100 events, and what the stream still holds
    // when close() comes (it ends after that), took longer than 10 s.
    guard await eventually(timeout: .seconds(120), { seen.load(ordering: .relaxed) >= 100 }) else { return false }
    try close()
    return await eventually(timeout: .seconds(120)) { ended.load(ordering: .relaxed) }
}
