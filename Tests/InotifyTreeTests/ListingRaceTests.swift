#if INOTIFY_FAULTS
@_spi(Concurrency) @testable import Inotify
@testable import InotifyTree
import InotifyTestSupport
import SystemPackage
import Testing
import InotifyTestLanes

/// A rename inside a new directory while the watcher lists it: the listing
/// shows the name it has after, and the rename's events come after the
/// listing. The consumer must never be told "moved from" a path it was never
/// told of (seen in the churn tests: 1 run in 6 to 10 on a loaded machine).
/// Each rename here is made at the instant the listing first reads the
/// directory (the seam's getdents), after its watch was added.
@Suite("Renames while a directory is listed", .inBlockingLane, .timeLimit(.minutes(10)))
struct ListingRaceTests {
    /// A directory `w` holding `a` (a file, or a directory with a file in
    /// it) moved into the watched tree; at its listing's first read,
    /// `rename` runs. Returns every change until quiet, and the harness.
    func moveInAndRename(
        directory: Bool, _ rename: @escaping @Sendable (_ root: FilePath, _ outside: FilePath) -> Void
    ) throws -> (changes: [Change], harness: EngineHarness) {
        let harness = try EngineHarness()
        let outside = try TemporaryDirectory("outside")
        if directory {
            try outside.makeDirectory("w/a")
            try outside.createFile("w/a/inner")
        } else {
            try outside.makeDirectory("w")
            try outside.createFile("w/a")
        }
        let root = harness.dir.path, away = outside.path
        let plan = FaultPlan()
        plan.on(.getdents, named: "w", [.meanwhile { rename(root, away) }])
        let changes = try FaultPlan.$current.withValue(plan) { () throws -> [Change] in
            try Files.rename(outside.appending("w"), harness.dir.appending("w"))
            return try harness.changes { _ in plan.remaining == 0 } + harness.drain()
        }
        return (changes, harness)
    }

    /// What a consumer rebuilds from `changes`, starting from an empty tree.
    func rebuilt(_ changes: [Change]) -> RebuiltTree {
        var tree = RebuiltTree()
        for change in changes { tree.apply(change) }
        return tree
    }

    @Test("renamed within the directory: the consumer hears of the new name only, and rebuilds the disk",
          arguments: [false, true])
    func withinTheDirectory(_ directory: Bool) throws {
        let (changes, harness) = try moveInAndRename(directory: directory) { root, _ in
            try? Files.rename(root.appending("w/a"), root.appending("w/b"))
        }
        let tree = rebuilt(changes)
        #expect(tree.problems.isEmpty, "\(tree.problems); changes: \(changes)")
        #expect(!changes.contains { $0.path == "w/a" || $0.kind == .moved(from: "w/a") }, "\(changes)")
        #expect(tree.entries == DiskTree(walking: harness.dir.path).entries, "changes: \(changes)")
        if directory {
            // Watched where it is: a file made in it is reported there.
            try harness.dir.createFile("w/b/later")
            let later = try harness.changes { $0.contains { $0.kind == .created } }
            #expect(later.contains { $0.kind == .created && $0.path == "w/b/later" }, "\(later)")
        }
    }

    @Test("renamed out of the directory into the tree: a move in at the target, never a move from the unseen source",
          arguments: [false, true])
    func outOfTheDirectory(_ directory: Bool) throws {
        let (changes, harness) = try moveInAndRename(directory: directory) { root, _ in
            try? Files.rename(root.appending("w/a"), root.appending("c"))
        }
        let tree = rebuilt(changes)
        #expect(tree.problems.isEmpty, "\(tree.problems); changes: \(changes)")
        #expect(!changes.contains { $0.path == "w/a" || $0.kind == .moved(from: "w/a") }, "\(changes)")
        #expect(tree.entries == DiskTree(walking: harness.dir.path).entries, "changes: \(changes)")
    }

    @Test("renamed out of the tree: nothing said of it (the consumer never knew it)", arguments: [false, true])
    func outOfTheTree(_ directory: Bool) throws {
        let (changes, harness) = try moveInAndRename(directory: directory) { root, outside in
            try? Files.rename(root.appending("w/a"), outside.appending("gone"))
        }
        #expect(!changes.contains { $0.path.string.hasPrefix("w/a") }, "\(changes)")
        #expect(rebuilt(changes).entries == DiskTree(walking: harness.dir.path).entries, "changes: \(changes)")
    }

    @Test("a name the listing showed, renamed after it read it: still one move, from the path reported")
    func seenThenRenamed() throws {
        // The rename comes at the listing's last look at the queue, after
        // its reads: the listing showed `a`.
        let harness = try EngineHarness()
        let outside = try TemporaryDirectory("outside")
        try outside.makeDirectory("w")
        try outside.createFile("w/a")
        let root = harness.dir.path
        let plan = FaultPlan()
        plan.on(.close, named: "w", [.meanwhile { try? Files.rename(root.appending("w/a"), root.appending("w/b")) }])
        let changes = try FaultPlan.$current.withValue(plan) { () throws -> [Change] in
            try Files.rename(outside.appending("w"), harness.dir.appending("w"))
            return try harness.changes { _ in plan.remaining == 0 } + harness.drain()
        }
        #expect(changes.contains { $0.kind == .created && $0.path == "w/a" }, "\(changes)")
        #expect(changes.contains { $0.kind == .moved(from: "w/a") && $0.path == "w/b" }, "\(changes)")
        #expect(rebuilt(changes).problems.isEmpty)
        #expect(harness.engine.sight.pendingForTesting == 0, "a passed listing is forgotten")
    }
}
#endif
