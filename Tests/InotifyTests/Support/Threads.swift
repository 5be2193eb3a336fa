import InotifyTestSupport
import Foundation
import Testing


/// A thread's id, as /proc/self/task names it.
func currentThreadID() -> Int {
    let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self")) ?? ""
    return Int(target.split(separator: "/").last ?? "") ?? -1
}

/// Waits until thread `tid` is blocked in one of `syscalls` (numbers from
/// /proc/PID/task/TID/syscall). Returns false on timeout. The check is made
/// once more after the deadline, so a test task that the loaded cooperative
/// pool did not run for the whole timeout still sees the thread's state.
func waitUntilThread(_ tid: Int, isIn syscalls: Set<Int>, timeout: Duration = .seconds(60)) async -> Bool {
    await eventually(timeout: timeout) {
        guard let text = try? String(contentsOfFile: "/proc/self/task/\(tid)/syscall", encoding: .utf8),
              let number = Int(text.split(separator: " ").first ?? "")
        else { return false }
        return syscalls.contains(number)
    }
}

/// x86_64 and aarch64 numbers of the calls a waiting read sits in.
let pollSyscalls: Set<Int> = [7, 271, 73]  // poll, ppoll (x86_64), ppoll (aarch64)

/// Starts blocking `body` on a thread of its own and returns once that thread
/// sits in one of `syscalls` (so the test knows it really waits), with the
/// task that yields its result. Fails the test if it never gets there.
func startWaiting<T: Sendable>(
    in syscalls: Set<Int> = pollSyscalls, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: @escaping @Sendable () throws -> T
) async -> Task<T, any Error> {
    let tid = SendableBox(-1)
    let task = Task { try await onThread { () throws -> T in
        tid.value = currentThreadID()
        return try body()
    } }
    // The task that starts the thread needs a thread of the concurrency pool
    // first, which the other suites' synchronous tests can hold for a long
    // while on two cores: a hang guard, not a judgment.
    let started = await eventually(timeout: .seconds(120)) { tid.value != -1 }
    let waiting = started ? await waitUntilThread(tid.value, isIn: syscalls) : false
    #expect(waiting, "the thread never started waiting", sourceLocation: sourceLocation)
    return task
}
