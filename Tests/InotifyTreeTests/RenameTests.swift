@testable import Inotify
@testable import InotifyTree
import InotifyTestSupport
import SystemPackage
import Testing
import InotifyTestLanes

@Suite("Renames paired", .inBlockingLane, .timeLimit(.minutes(10)))
struct RenameTests {
    @Test("a rename inside a directory is one moved(from:to:) change")
    func renameInDirectory() throws {
        let harness = try EngineHarness { try $0.createFile("a") }
        try Files.rename(harness.dir.appending("a"), harness.dir.appending("b"))
        let changes = try harness.drain()
        #expect(changes.map(\.kind) == [.moved(from: "a")])
        #expect(changes.first?.path == "b")
        #expect(changes.first?.inotifyEvents.count == 2)
        #expect(changes.first?.tracker == changes.first?.inotifyEvents.first?.cookie)
    }

    @Test("a rename across directories is paired by cookie")
    func renameAcrossDirectories() throws {
        let harness = try EngineHarness {
            try $0.makeDirectory("x")
            try $0.makeDirectory("y")
            try $0.createFile("x/a")
        }
        try Files.rename(harness.dir.appending("x/a"), harness.dir.appending("y/b"))
        let changes = try harness.drain()
        #expect(changes.map(\.kind) == [.moved(from: "x/a")])
        #expect(changes.first?.path == "y/b")
        #expect(changes.first?.absolutePath == harness.dir.appending("y/b"))
    }

    @Test("a directory rename moves everything below it: later events carry the new path")
    func directoryRenameUpdatesSubtree() throws {
        let harness = try EngineHarness { try $0.makeDirectory("d/e/f") }
        let deep = try #require(harness.wd(of: "d/e/f"))
        try Files.rename(harness.dir.appending("d"), harness.dir.appending("g"))
        _ = try harness.changes { $0.contains { $0.kind == .moved(from: "d") } }
        #expect(harness.engine.tree.path(of: deep) == "g/e/f")
        try harness.dir.createFile("g/e/f/new")
        let changes = try harness.changes { $0.contains { $0.kind.isCreated } }
        #expect(changes.filter { $0.kind.isCreated }.map(\.path) == ["g/e/f/new"])
    }

    @Test("the two halves of a rename arriving in different reads are still paired")
    func halvesInDifferentReads() throws {
        let harness = try EngineHarness()
        let root = try #require(harness.engine.tree.rootWD)
        let from = Inotify.Event(wd: root, mask: .movedFrom, cookie: 77, len: 16, nameBytes: Array("old".utf8))
        let to = Inotify.Event(wd: root, mask: .movedTo, cookie: 77, len: 16, nameBytes: Array("new".utf8))
        let first = try harness.engine.process([from], now: .now)
        #expect(first.isEmpty)
        let second = try harness.engine.process([to], now: .now)
        #expect(second.map(\.kind) == [.moved(from: "old")])
        #expect(harness.engine.nextDeadline == nil)
    }

    @Test("an unpaired MOVED_FROM is reported as moved out once the pairing window has passed, and not before")
    func unpairedHalfFlushedAfterWindow() throws {
        var options = TreeWatcher.Options()
        options.movePairingWindow = .milliseconds(20)
        let harness = try EngineHarness(options: options)
        let root = try #require(harness.engine.tree.rootWD)
        let start = ContinuousClock.now
        let from = Inotify.Event(wd: root, mask: .movedFrom, cookie: 5, len: 16, nameBytes: Array("gone".utf8))
        #expect(try harness.engine.process([from], now: start).isEmpty)
        #expect(harness.engine.nextDeadline == start.advanced(by: .milliseconds(20)))
        #expect(try harness.engine.process([], now: start.advanced(by: .milliseconds(19))).isEmpty)
        let flushed = try harness.engine.process([], now: start.advanced(by: .milliseconds(20)))
        #expect(flushed.map(\.kind) == [.movedOut])
        #expect(flushed.first?.path == "gone")
    }

    @Test("pairing state is bounded: past maxPendingMoves the oldest half is reported as moved out")
    func pendingMovesBounded() throws {
        var options = TreeWatcher.Options()
        options.maxPendingMoves = 2
        let harness = try EngineHarness(options: options) {
            for name in ["a", "b", "c"] { try $0.makeDirectory(name) }
        }
        // From three directories: a second MOVED_FROM of the same directory
        // would settle the first at once (its rename is over).
        let halves = try ["a", "b", "c"].enumerated().map { index, name in
            Inotify.Event(wd: try #require(harness.wd(of: FilePath(name))), mask: .movedFrom, cookie: UInt32(index + 1),
                          len: 16, nameBytes: Array("m\(index + 1)".utf8))
        }
        let changes = try harness.engine.process(halves, now: .now)
        #expect(changes.map(\.kind) == [.movedOut])
        #expect(changes.first?.path == "a/m1")
    }

    @Test("a directory moved out of the tree is reported and its watches are removed")
    func moveOut() throws {
        let outside = try TemporaryDirectory("outside")
        let harness = try EngineHarness { try $0.makeDirectory("sub/deep") }
        #expect(harness.engine.tree.count == 3)
        try Files.rename(harness.dir.appending("sub"), outside.appending("sub"))
        let changes = try harness.changes { $0.contains { $0.kind == .movedOut } }
        #expect(changes.map(\.kind) == [.movedOut])
        #expect(changes.first?.path == "sub" && changes.first?.isDirectory == true)
        #expect(harness.engine.tree.count == 1)
        #expect(Files.kernelWatchCount(harness.inotify.fileDescriptor) == 1)
        try outside.createFile("sub/deep/after")
        #expect(try harness.drain().isEmpty)
    }

    /// The soak's "paths in the view not on disk": a MOVED_FROM waiting
    /// for its pair below a directory that a listing then found elsewhere
    /// was told after that directory's move, under its old path, which the
    /// consumer had already moved with the directory.
    @Test("a move out below a directory that a listing finds elsewhere is told first, under the path it had then")
    func pendingMoveOutBeforeRelocation() throws {
        let outside = try TemporaryDirectory("outside")
        let harness = try EngineHarness { try $0.makeDirectory("a/b/c") }
        let root = harness.dir.path
        // Before the engine reads anything: c leaves the tree (its
        // MOVED_FROM waits for a pair), n is made, and b moves into it, so
        // that n's listing finds b, watched already, under n.
        try Files.rename(root.appending("a/b/c"), outside.appending("c"))
        try Files.mkdir(root.appending("n"))
        try Files.rename(root.appending("a/b"), root.appending("n/b"))
        let changes = try harness.drain()
        let said = changes.map(\.description)
        let out = try #require(changes.firstIndex { $0.kind == .movedOut && $0.path == "a/b/c" }, "\(said)")
        let move = try #require(changes.firstIndex { $0.kind == .moved(from: "a/b") && $0.path == "n/b" }, "\(said)")
        #expect(out < move, "\(said)")
        #expect(harness.mismatch() == nil)
    }

    @Test("a directory moved into the tree is reported, watched and listed")
    func moveIn() throws {
        let outside = try TemporaryDirectory("outside")
        try outside.makeDirectory("in/deep")
        try outside.createFile("in/deep/f")
        let harness = try EngineHarness()
        try Files.rename(outside.appending("in"), harness.dir.appending("in"))
        let changes = try harness.drain()
        #expect(changes.first?.kind == .movedIn && changes.first?.path == "in")
        let scanned = changes.filter { $0.foundByScan }.map(\.path)
        #expect(Set(scanned) == ["in/deep", "in/deep/f"])
        #expect(harness.engine.tree.count == 3)
        try harness.dir.createFile("in/deep/g")
        let later = try harness.changes { $0.contains { $0.path == "in/deep/g" } }
        #expect(later.first?.kind == .created)
    }
}
