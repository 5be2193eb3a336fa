#if INOTIFY_FAULTS
@_spi(Concurrency) @testable import Inotify
@testable import InotifyTree
import InotifyTestSupport
import SystemPackage
import Testing
import InotifyTestLanes

/// A writer that never pauses must not keep the engine from handing over
/// what it has: each call handles what was read, and what comes meanwhile
/// waits for the next call, so the consumer hears of changes as they come
/// and the watcher's memory does not grow with the writer's stamina.
@Suite("A kernel that never falls quiet", .inBlockingLane, .timeLimit(.minutes(10)))
struct BusyKernelTests {
    @Test("a scan outpaced by writers reads ahead into memory at most its bound; the kernel's queue takes the rest")
    func readAheadIsBounded() throws {
        var options = TreeWatcher.Options()
        options.scanReadThreshold = 0  // every listing reads what is queued
        options.readAheadLimit = 64 * 1024
        let harness = try EngineHarness(options: options) { dir in
            // Not leaves: a scan lists only what may hold directories.
            for index in 0..<300 { try dir.makeDirectory("d\(index)/sub") }
            try dir.createFile("a")
            try dir.createFile("b")
        }
        _ = try harness.drain()
        // At each look at the queue, 100 writes to each of two files
        // (neighbours differ: the kernel merges none): far more than the
        // bound over a listing of 300 directories.
        let a = harness.dir.appending("a"), b = harness.dir.appending("b")
        let looks = 1000
        let plan = FaultPlan(faults: [.fionread: Array(repeating: .meanwhile {
            for _ in 0..<100 {
                try? Files.write(a, "x")
                try? Files.write(b, "x")
            }
        }, count: looks)])
        _ = try FaultPlan.$current.withValue(plan) { try harness.engine.rescanAfterOverflow() }
        let readAhead = TreeEngine.size(of: harness.engine.backlog)
        #expect(looks - plan.remaining >= 300, "the writers wrote at \(looks - plan.remaining) looks")
        // The bound, and the one read that crossed it (what one look's writes queue).
        #expect(readAhead <= 128 * 1024, "\(readAhead) bytes read ahead")
    }

    @Test("a rename's window passing while events keep coming: one call handles one more read, not all until the kernel is quiet")
    func expiredMoveDoesNotHoldTheBatch() throws {
        let harness = try EngineHarness {
            try $0.makeDirectory("d")
            try $0.createFile("busy")
        }
        let outside = try TemporaryDirectory("outside")
        try Files.rename(harness.dir.appending("d"), outside.appending("d"))
        let events = try harness.inotify.readEvents(timeout: .seconds(10))
        try #require(events.contains { $0.mask.contains(.movedFrom) })
        _ = try harness.engine.process(events, now: .now)  // the MOVED_FROM waits for its pair
        // From here every look at the queue finds one more write queued.
        let busy = harness.dir.appending("busy")
        let rounds = 200
        let plan = FaultPlan(faults: [.fionread: Array(repeating: .meanwhile { try? Files.write(busy, "x") }, count: rounds)])
        let changes = try FaultPlan.$current.withValue(plan) {
            // Past the pairing window: the MOVED_FROM is due to be a move out.
            try harness.engine.process([], now: .now.advanced(by: .seconds(5)))
        }
        #expect(rounds - plan.remaining <= 2, "one call looked at the queue \(rounds - plan.remaining) times")
        #expect(changes.filter { $0.kind == .modified }.count <= 2)
        // Once the writer stops, the move out comes, and the tree is right.
        let later = try FaultPlan.$current.withValue(FaultPlan()) {
            try harness.changes { ($0 + changes).contains { $0.kind == .movedOut && $0.path == "d" } }
        }
        #expect((changes + later).filter { $0.kind == .movedOut && $0.path == "d" }.count == 1)
        #expect(Set(harness.engine.tree.watchDescriptors.compactMap { harness.engine.tree.path(of: $0) }) == [""])
    }

    @Test("events a scan reads into the backlog wait for the next call: a call does not run until the kernel is quiet")
    func backlogWaitsForTheNextCall() throws {
        var options = TreeWatcher.Options()
        options.scanReadThreshold = 0  // every listing reads what is queued into the backlog
        let harness = try EngineHarness(options: options) { try $0.createFile("busy") }
        let busy = harness.dir.appending("busy")
        let rounds = 200
        // Each directory made makes a listing, which looks at the queue and
        // finds another directory made meanwhile: a chain without end while
        // the plan lasts.
        let counter = Lock(0)
        let root = harness.dir.path
        let plan = FaultPlan(faults: [.fionread: Array(repeating: .meanwhile {
            let n = counter.withLock { value -> Int in value += 1; return value }
            try? Files.mkdir(root.appending("n\(n)"))
            try? Files.write(busy, "x")
        }, count: rounds)])
        try harness.dir.makeDirectory("n0")
        let events = try harness.inotify.readEvents(timeout: .seconds(10))
        let changes = try FaultPlan.$current.withValue(plan) { try harness.engine.process(events, now: .now) }
        #expect(rounds - plan.remaining < rounds / 2, "one call looked at the queue \(rounds - plan.remaining) times")
        #expect(harness.engine.nextDeadline != nil, "what was read meanwhile waits, and the engine says it must run again")
        _ = changes
        // Once quiet, every directory made is reported and watched.
        let all = try FaultPlan.$current.withValue(FaultPlan()) {
            try harness.changes { _ in harness.engine.nextDeadline == nil } + harness.drain()
        }
        let made = counter.withLock { $0 }
        let reported = Set((changes + all).filter { $0.kind == .created && $0.isDirectory }.map(\.path.string))
        #expect(reported == Set((0...made).map { "n\($0)" }))
        #expect(harness.engine.tree.count == made + 2)
    }
}
#endif
