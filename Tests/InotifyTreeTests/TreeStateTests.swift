@testable import Inotify
@testable import InotifyTree
import InotifyTestSupport
import SystemPackage
import Testing
import InotifyTestLanes

@Suite("Overflow recovery and a true watch table", .inBlockingLane, .timeLimit(.minutes(10)))
struct TreeStateTests {
    @Test("on overflow the watcher says so, rescans, re-adds missing watches, drops dead ones, then says rescanned")
    func overflowRescans() throws {
        let harness = try EngineHarness {
            try $0.makeDirectory("a/inner")
            try $0.makeDirectory("b")
        }
        let bWD = try #require(harness.wd(of: "b"))
        let aWD = try #require(harness.wd(of: "a"))
        // The tree changes while its events are "lost": they are never read.
        let outside = try TemporaryDirectory("outside")
        try Files.rename(harness.dir.appending("a"), outside.appending("a"))
        try harness.dir.makeDirectory("c/d")
        try Files.rename(harness.dir.appending("b"), harness.dir.appending("e"))
        let overflow = Inotify.Event(wd: -1, mask: .queueOverflow)
        var changes = try harness.engine.process([overflow], now: .now)
        // The overflow asks for the rescan, which the watcher has done at once.
        #expect(harness.engine.needsRescan)
        changes += try harness.engine.rescanAfterOverflow()
        #expect(changes.map(\.kind) == [.overflow, .rescanned])
        let paths = Set(harness.engine.tree.watchDescriptors.compactMap { harness.engine.tree.path(of: $0) })
        #expect(paths == ["", "e", "c", "c/d"])
        #expect(harness.wd(of: "e") == bWD)
        #expect(!harness.engine.tree.contains(aWD))
        #expect(Files.kernelWatchCount(harness.inotify.fileDescriptor) == 4)
        _ = try harness.drain()  // the real events of the changes above are stale now
        try harness.dir.createFile("e/x")
        let later = try harness.changes { $0.contains { $0.path == "e/x" } }
        #expect(later.contains { $0.kind == .created && $0.path == "e/x" })
    }

    @Test("a real kernel overflow, with a consumer that does not read, ends in overflow then rescanned")
    func realOverflow() async throws {
        let limit = try #require(Files.sysctl("max_queued_events"))
        try #require(limit <= 100_000)
        let dir = try TemporaryDirectory("overflow")
        let a = try dir.createFile("a")
        let b = try dir.createFile("b")
        var options = TreeWatcher.Options()
        options.changeBufferLimit = 4
        let watcher = try TreeWatcher(root: dir.path, options: options)
        // Two events a round. Before the channel's bound stops it, the
        // watcher's thread can take what a few reads hold, each up to a full
        // queue when it is scheduled late (a loaded machine): the writes
        // must outrun three queues, not one, for the kernel to overflow.
        for round in 0..<(2 * limit) {
            try Files.write(round % 2 == 0 ? a : b, "x")
        }
        // Read until the rescan, however long the queue's 16k changes take to
        // come through on a loaded machine (a hang meets the suite's limit);
        // a collector polled against a deadline made this a test of speed.
        var kinds: [Change.Kind] = []
        for try await change in watcher.changes {
            if case .modified = change.kind { continue }
            kinds.append(change.kind)
            if change.kind == .rescanned { break }
        }
        let overflowAt = try #require(kinds.firstIndex(of: .overflow))
        #expect(kinds[(overflowAt + 1)...].contains(.rescanned))
    }

    @Test("a deleted subtree leaves no entries: IN_IGNORED removes them")
    func deletedSubtreeLeavesNothing() throws {
        let harness = try EngineHarness { try $0.makeDirectory("x/y/z") }
        #expect(harness.engine.tree.count == 4)
        try Files.removeTree(harness.dir.appending("x"))
        _ = try harness.changes { _ in harness.engine.tree.count == 1 }
        #expect(harness.engine.tree.count == 1)
        #expect(Files.kernelWatchCount(harness.inotify.fileDescriptor) == 1)
    }

    @Test("a filesystem unmounted inside the tree is reported, its watches go, and the directory it covered is watched",
          .enabled(if: TmpfsMount.permitted, "mounting a tmpfs needs CAP_SYS_ADMIN, which this run lacks"))
    func unmountInsideTheTree() throws {
        var mountPoint = FilePath()
        let harness = try EngineHarness { dir in
            mountPoint = try dir.makeDirectory("m")
            try dir.createFile("m/beneath")  // hidden by the mount, seen again after it
            try TmpfsMount.mount(at: mountPoint)
            try dir.makeDirectory("m/sub/deeper")
        }
        defer { try? TmpfsMount.unmount(mountPoint) }
        let mountedWD = try #require(harness.wd(of: "m"))
        #expect(harness.engine.tree.count == 4)

        try TmpfsMount.unmount(mountPoint)
        // Unmounting sends UNMOUNT and IGNORED for each watch on the tmpfs and
        // nothing to the parent: IN_IGNORED is all that tells the table.
        let changes = try harness.changes { changes in
            changes.contains { $0.kind == .created && $0.path == "m/beneath" }
        }
        #expect(changes.contains { $0.kind == .unmounted && $0.path == "m" })
        #expect(changes.contains { $0.kind == .created && $0.path == "m/beneath" && $0.foundByScan })
        #expect(!harness.engine.tree.contains(mountedWD))
        let paths = Set(harness.engine.tree.watchDescriptors.compactMap { harness.engine.tree.path(of: $0) })
        #expect(paths == ["", "m"])
        #expect(Files.kernelWatchCount(harness.inotify.fileDescriptor) == 2)

        // The directory that was under the mount is watched now.
        try harness.dir.createFile("m/after")
        let later = try harness.changes { $0.contains { $0.path == "m/after" } }
        #expect(later.contains { $0.kind == .created && $0.path == "m/after" })
    }

    @Test("creating and deleting a directory 100,000 times does not grow the tables",
          .disabled(if: underThreadSanitizer,
                    "100,000 rounds on one thread: a test of volume, not of threads meeting, and many minutes under ThreadSanitizer's slowdown"))
    func churnDoesNotGrow() throws {
        let rounds = 100_000
        let harness = try EngineHarness("churn", in: Files.tmpfsBase)
        let sub = harness.dir.appending("d")
        var dropped = 0
        for round in 0..<rounds {
            // The engine takes each event as the kernel queued it (a mkdir's
            // CREATE is queued before mkdir returns), so it watches every new
            // directory and sees every watch end: the churn the tables must survive.
            try Files.mkdir(sub)
            // The kernel queues a watch's IN_IGNORED when the directory's
            // inode goes, which a loaded machine can put after the next mkdir.
            let made = try harness.inotify.readEvents()
            dropped += made.filter { $0.mask.contains(.ignored) }.count
            _ = try harness.engine.process(made, now: .now)
            if round == 0 { #expect(harness.engine.tree.count == 2) }
            try Files.rmdir(sub)
            let events = try harness.inotify.readEvents()
            dropped += events.filter { $0.mask.contains(.ignored) }.count
            _ = try harness.engine.process(events, now: .now)
            if round % 1000 == 999 {
                #expect(harness.engine.tree.count == 1)
                #expect(harness.engine.tree.storageCapacityForTesting <= 2)
                #expect(harness.engine.scanned.count <= 2)
            }
        }
        for _ in 0..<50 where dropped < rounds {
            let late = try harness.inotify.readEvents(timeout: .milliseconds(100))
            dropped += late.filter { $0.mask.contains(.ignored) }.count
            _ = try harness.engine.process(late, now: .now)
        }
        _ = try harness.drain()
        // Every round watched its directory: the kernel ended a watch in each.
        #expect(dropped == rounds)
        #expect(harness.engine.tree.count == 1)
        #expect(harness.engine.tree.storageCapacityForTesting <= 2)
        #expect(Files.kernelWatchCount(harness.inotify.fileDescriptor) == 1)
        #expect(harness.engine.scanned.isEmpty)
    }

    @Test("the root deleted is reported, and the watcher ends")
    func rootDeleted() async throws {
        let dir = try TemporaryDirectory()
        let root = try dir.makeDirectory("root")
        let watcher = try TreeWatcher(root: root)
        try Files.rmdir(root)
        var kinds: [Change.Kind] = []
        for try await change in watcher.changes { kinds.append(change.kind) }
        #expect(kinds == [.rootDeleted])
    }

    @Test("the root moved is reported, and changes below it go on with paths relative to it")
    func rootMoved() throws {
        let outer = try TemporaryDirectory()
        let root = try outer.makeDirectory("root")
        let inotify = try Inotify(flags: .nonBlocking)
        let engine = try TreeEngine(inotify: inotify, root: root, options: .init())
        try Files.rename(root, outer.appending("moved"))
        try outer.createFile("moved/after")
        var changes: [Change] = []
        let deadline = ContinuousClock.now.advanced(by: .seconds(10))
        while !changes.contains(where: { $0.path == "after" }) && ContinuousClock.now < deadline {
            changes += try engine.process(try inotify.readEvents(timeout: .milliseconds(20)), now: .now)
        }
        #expect(changes.first?.kind == .rootMoved)
        #expect(changes.contains { $0.kind == .created && $0.path == "after" })
        #expect(!engine.finished)
    }

    @Test("a directory deleted while held open, then made again under its name, is watched anew")
    func recreatedWhileHeldOpen() throws {
        let harness = try EngineHarness { try $0.makeDirectory("d") }
        let held = try FileDescriptor.open(harness.dir.appending("d"), .readOnly, options: .directory)
        defer { try? held.close() }
        try Files.rmdir(harness.dir.appending("d"))
        try harness.dir.makeDirectory("d")
        _ = try harness.changes { $0.contains { $0.kind == .created && $0.path == "d" } }
        try harness.dir.createFile("d/inside")
        let changes = try harness.changes { $0.contains { $0.path == "d/inside" } }
        #expect(changes.contains { $0.kind == .created && $0.path == "d/inside" })
    }
}
