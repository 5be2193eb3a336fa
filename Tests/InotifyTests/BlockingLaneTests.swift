import Foundation
import InotifyTestLanes
import Testing

/// The lane that keeps tests which hold their thread off the concurrency
/// pool (`Tests/InotifyTestLanes`): if its trait stopped moving them, every
/// suite marked with it would hold the pool's threads again, unseen.
@Suite("Tests that hold their thread run off the concurrency pool", .inBlockingLane)
struct BlockingLaneTests {
    static func threadName() -> String? {
        (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8))?
            .trimmingCharacters(in: .newlines)
    }

    @Test("a synchronous test in the lane runs on one of the lane's threads")
    func synchronousRunsInLane() {
        #expect(Self.threadName() == "blocking-lane")
    }

    @Test("after each await, a test in the lane goes on on the same thread, its own")
    func staysOnItsThreadAfterAwait() async throws {
        let before = currentThreadID()
        for _ in 0..<3 {
            try await Task.sleep(for: .milliseconds(1))
            #expect(Self.threadName() == "blocking-lane")
            #expect(currentThreadID() == before)
        }
    }
}
