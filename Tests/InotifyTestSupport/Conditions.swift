import Foundation
import Synchronization

/// Checks `condition` every millisecond until it holds (true) or `timeout`
/// passes (false). For states that no event announces, such as a thread
/// having exited, and as a hang guard on what an event announces.
///
/// The timeout counts the time this check had to run, not the time it was
/// kept from running: a gap of more than `starvedGap` between two checks
/// counts as that much. On a 2-core machine under a full parallel run, the
/// task this waits for can be kept from running for many seconds, and a
/// wall-clock deadline would expire without it ever having had a chance to
/// run (seen in a full run: a tree watcher's consumer task and this check
/// both held for 30 s while the command line's suites, which wait for their
/// children, held the concurrency pool's threads; such tests now run in a
/// lane of their own, `.inBlockingLane`, but the cores stay shared).
public func eventually(timeout: Duration = .seconds(10), _ condition: () -> Bool) async -> Bool {
    let starvedGap = Duration.milliseconds(100)
    var used = Duration.zero
    var last = ContinuousClock.now
    while !condition() {
        let now = ContinuousClock.now
        used += min(now - last, starvedGap)
        last = now
        if used >= timeout { return false }
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
///
/// The calling thread gets a descriptor table of its own first
/// (``ownDescriptorTable()``): otherwise a posix_spawn by another test's
/// thread copies the table with this file open in it, the copy holds the
/// file past this close, its CLOSE_NOWRITE comes after the next OPEN, and
/// the kernel merges the then identical neighbours.
@discardableResult
public func openClosePairs(_ file: String, _ pairs: Int) -> Int {
    ownDescriptorTable()
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

/// Gives the calling thread a descriptor table of its own (unshare(2) with
/// CLONE_FILES), so that no other thread's fork or posix_spawn copies the
/// files it opens, and holds them open in the child a moment after this
/// thread closes them. Why it matters: the kernel merges an event identical
/// to the last one queued, and a CLOSE made late lands after the next OPEN
/// of the same file. Measured with a C loop of 100,000 open/close pairs of
/// one file while another thread ran posix_spawn("/bin/true") in a loop:
/// 78 to 89 of its 200,000 events merged away; none with this. Where
/// unshare is refused, the table stays shared (the counts may then fall short).
public func ownDescriptorTable() {
    // Glibc declares unshare(2) only under _GNU_SOURCE, which the module
    // Swift imports is not built with: the symbol is looked up instead.
    typealias Unshare = @convention(c) (CInt) -> CInt
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "unshare") else { return }
    let cloneFiles: CInt = 0x400  // CLONE_FILES, <linux/sched.h>
    _ = unsafeBitCast(symbol, to: Unshare.self)(cloneFiles)
}

/// Runs `body` on a thread of its own with a descriptor table of its own
/// (``ownDescriptorTable()``), and waits for it. For a file written in a
/// watched tree while other tests start processes: a spawn by another
/// thread copies every descriptor open at that instant, and the file's
/// CLOSE_WRITE then comes only when the child execs (or, without
/// O_CLOEXEC, exits), after whatever the test did next.
public func withOwnDescriptorTable<T: Sendable>(_ body: @escaping @Sendable () throws -> T) throws -> T {
    let done = DispatchSemaphore(value: 0)
    // Written by the thread before it signals, read here after the wait.
    nonisolated(unsafe) var result: Result<T, any Error>?
    let thread = Thread {
        ownDescriptorTable()
        result = Result { try body() }
        done.signal()
    }
    thread.start()
    done.wait()
    return try result!.get()
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
