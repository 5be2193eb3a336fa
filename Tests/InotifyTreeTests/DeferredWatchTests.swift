@testable import Inotify
@testable import InotifyTree
import InotifyTestLanes
import InotifyTestSupport
import SystemPackage
import Testing

/// A new directory is watched through its parent, reached at the tree's
/// path for it. Where a rename above it is still to be handled, that path
/// leads nowhere and the directory waits (``TreeEngine/deferred``). It may be
/// given up on, reported `unwatched`, only once nothing still to be handled
/// can explain it: its tries were counted one per batch, and a busy
/// writer's batches used them up while the rename waited (for its second
/// half, or for its place in the queue), leaving it unwatched.
@Suite("A new directory whose parent is out of reach for a while", .inBlockingLane, .timeLimit(.minutes(10)))
struct DeferredWatchTests {
    /// `a/b` watched; then `a/b/c` made and `a` moved: the creation is
    /// handled first, when `a/b` leads nowhere.
    static func harness() throws -> EngineHarness {
        try EngineHarness { try $0.makeDirectory("a/b") }
    }

    @Test("below a directory moved out of the tree: not given up on while the move waits for its pair, however many batches come")
    func whileTheMoveOutWaits() throws {
        let outside = try TemporaryDirectory("outside")
        let harness = try Self.harness()
        try Files.mkdir(harness.dir.appending("a/b/c"))
        try Files.rename(harness.dir.appending("a"), outside.appending("a"))
        let events = try harness.inotify.readEvents(timeout: .seconds(5))
        let start = ContinuousClock.now
        var changes = try harness.engine.process(events, now: start)
        // Many batches within the move's window: a busy writer's reads.
        for _ in 0..<(TreeEngine.deferredAttempts * 2) { changes += try harness.engine.process([], now: start) }
        changes += try harness.engine.process([], now: start.advanced(by: .seconds(1)))
        let said = changes.map { "\($0.kind) \($0.path)" }
        #expect(!changes.contains { if case .unwatched = $0.kind { true } else { false } }, "\(said)")
        #expect(said == ["created a/b/c", "movedOut a"])
        #expect(harness.mismatch() == nil)
    }

    @Test("below a directory whose move out waits at every try: given up on after a bound of tries in all, and said so")
    func boundedWhileMovesAlwaysWait() throws {
        let outside = try TemporaryDirectory("outside")
        let harness = try Self.harness()
        try Files.mkdir(harness.dir.appending("a/b/c"))
        try Files.rename(harness.dir.appending("a"), outside.appending("a"))
        let start = ContinuousClock.now
        var changes = try harness.engine.process(try harness.inotify.readEvents(timeout: .seconds(5)), now: start)
        for _ in 0..<TreeEngine.deferredTriesLimit { changes += try harness.engine.process([], now: start) }
        let said = changes.map { "\($0.kind) \($0.path)" }
        #expect(said == ["created a/b/c", "unwatched(reason: \"its parent directory was not found at its path (a is missing)\") a/b/c"])
        #expect(harness.engine.deferred.isEmpty)
    }

    @Test("below a directory whose rename is still in the kernel's queue: not given up on before it is read, then watched")
    func whileTheRenameIsQueued() throws {
        let harness = try Self.harness()
        try Files.mkdir(harness.dir.appending("a/b/c"))
        let creation = try harness.inotify.readEvents(timeout: .seconds(5))
        try Files.rename(harness.dir.appending("a"), harness.dir.appending("z"))
        let start = ContinuousClock.now
        var changes = try harness.engine.process(creation, now: start)
        for _ in 0..<(TreeEngine.deferredAttempts * 2) { changes += try harness.engine.process([], now: start) }
        changes += try harness.engine.process(try harness.inotify.readEvents(timeout: .seconds(5)), now: start)
        let said = changes.map { "\($0.kind) \($0.path)" }
        #expect(!changes.contains { if case .unwatched = $0.kind { true } else { false } }, "\(said)")
        #expect(said == ["created a/b/c", "moved(from: \"a\") z"])
        // z/b/c watched: the kernel's watches are the disk's directories.
        #expect(harness.mismatch() == nil)
    }

    @Test("a directory given up on says where its parent's path leads elsewhere: the first directory missing or not the one watched")
    func whereThePathFails() throws {
        let harness = try Self.harness()
        let tree = harness.engine.tree
        let root = try #require(tree.rootWD)
        let a = try #require(tree.child(of: root, named: EventName(Array("a".utf8))))
        let b = try #require(tree.child(of: a, named: EventName(Array("b".utf8))))
        #expect(harness.engine.whereReachFails(b) == "it is there now")
        try Files.rename(harness.dir.appending("a"), harness.dir.appending("x"))
        #expect(harness.engine.whereReachFails(b) == "a is missing")
        try Files.mkdir(harness.dir.appending("a"))
        #expect(harness.engine.whereReachFails(b) == "a is another directory than the one watched")
        try Files.rmdir(harness.dir.appending("a"))
        try Files.touch(harness.dir.appending("a"))
        #expect(harness.engine.whereReachFails(b) == "a is not a directory")
    }
}
