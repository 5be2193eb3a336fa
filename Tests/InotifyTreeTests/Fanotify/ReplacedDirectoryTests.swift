@testable import Inotify
@testable import InotifyTree
import InotifyTestLanes
import InotifyTestSupport
import SystemPackage
import Testing

/// A name in a directory names one directory at a time. The engine learns
/// that a held directory left a name from its deletion or rename, but a
/// listing can find the name taken by another before either is read (and
/// then supersedes them), and a rename over an empty directory says nothing
/// of the one it replaced. The one that left must be forgotten there, or
/// what is done in it later is reported at the path of the one that took
/// its place.
@Suite(
    "A directory that takes the name of one the tree holds", .inBlockingLane,
    .enabled(if: FanotifyTreeAvailability.available, "fanotify is not permitted (not root) or lacks what the source needs"),
    .enabled(if: TmpfsMount.permitted, "each test mounts a tmpfs of its own, which needs CAP_SYS_ADMIN"))
struct ReplacedDirectoryTests {
    typealias Setup = EarlyEventTests.Setup

    static func rename(
        _ setup: Setup, from: (Fanotify.FileID, String), to: (Fanotify.FileID, String), target: Fanotify.FileID,
        isDirectory: Bool = true
    ) -> Fanotify.Event {
        Fanotify.Event(mask: isDirectory ? [.rename, .onDir] : .rename, pid: 1, records: [
            setup.record(Fanotify.FAN_EVENT_INFO_TYPE_OLD_DFID_NAME, from.0, from.1),
            setup.record(Fanotify.FAN_EVENT_INFO_TYPE_NEW_DFID_NAME, to.0, to.1),
            setup.record(Fanotify.FAN_EVENT_INFO_TYPE_FID, target),
        ])
    }

    @Test("a listing that finds another directory at a held one's name: what is done later in the one that left is not reported there")
    func listingFindsTheNameTaken() throws {
        let setup = try Setup()
        defer { setup.close() }
        // On disk at the end: n/y/c/f in the tree, and the c that was at
        // n/y/c first, now outside it, holding an f of its own.
        let root = setup.dir.path
        let outside = try setup.fs.directory("outside")
        try setup.make(["n/", "n/y/"])
        try Files.mkdir(outside.path.appending("c"))
        try Files.touch(outside.path.appending("c/f"))
        let n = try Setup.id(of: root.appending("n")), m = try Setup.id(of: root.appending("n/y"))
        let first = try Setup.id(of: outside.path.appending("c"))
        try setup.make(["n/y/c/", "n/y/c/f"])
        let second = try Setup.id(of: root.appending("n/y/c"))
        let outsideID = try Setup.id(of: outside.path)
        let fileOutside = try Setup.id(of: outside.path.appending("c/f"))
        // How it came to be: m made with c in it; n moved in; m moved into
        // n as y; c moved out; another c made there, and f in it. n's move
        // in is read after all of it: its listing finds the second c at
        // n/y/c while the tree still holds the first one there.
        let events = [
            setup.event([.create, .onDir], in: setup.root, "m", target: m),
            setup.event([.create, .onDir], in: m, "c", target: first),
            Self.rename(setup, from: (setup.unheld("elsewhere"), "n"), to: (setup.root, "n"), target: n),
            Self.rename(setup, from: (setup.root, "m"), to: (n, "y"), target: m),
            Self.rename(setup, from: (m, "c"), to: (outsideID, "c"), target: first),
            setup.event([.create, .onDir], in: m, "c", target: second),
            setup.event(.create, in: second, "f"),
            // Then the f in the first c, outside the tree, is removed.
            setup.event(.delete, in: first, "f", target: fileOutside),
        ]
        let changes = setup.engine.process(events, queuedAfter: 0)
        let view = EarlyEventTests.view(changes)
        let said = EarlyEventTests.described(changes)
        #expect(view.entries["n/y/c/f"] == false, "n/y/c/f, on disk, is not in the view: \(said)")
        #expect(!said.contains("deleted n/y/c/f"), "\(said)")
    }

    @Test("a listing that finds another directory at a held one's name: the one that left, moved elsewhere in the tree, is reported there")
    func listingFindsTheNameTakenAndTheOtherMovedWithin() throws {
        let setup = try Setup()
        defer { setup.close() }
        // As above, but the first c went to q/c, in the tree: its rename's
        // old side is superseded by n's listing, its new side is news.
        let root = setup.dir.path
        try setup.make(["n/", "n/y/", "q/", "q/c/", "q/c/g", "n/y/c/"])
        let n = try Setup.id(of: root.appending("n")), m = try Setup.id(of: root.appending("n/y"))
        let q = try Setup.id(of: root.appending("q")), first = try Setup.id(of: root.appending("q/c"))
        let second = try Setup.id(of: root.appending("n/y/c"))
        let events = [
            setup.event([.create, .onDir], in: setup.root, "m", target: m),
            setup.event([.create, .onDir], in: m, "c", target: first),
            setup.event([.create, .onDir], in: setup.root, "q", target: q),
            Self.rename(setup, from: (setup.unheld("elsewhere"), "n"), to: (setup.root, "n"), target: n),
            Self.rename(setup, from: (setup.root, "m"), to: (n, "y"), target: m),
            Self.rename(setup, from: (m, "c"), to: (q, "c"), target: first),
            setup.event([.create, .onDir], in: m, "c", target: second),
        ]
        let changes = setup.engine.process(events, queuedAfter: 0)
        let view = EarlyEventTests.view(changes)
        let said = EarlyEventTests.described(changes)
        #expect(view.entries["q/c"] == true, "q/c, on disk, is not in the view: \(said)")
        #expect(view.entries["q/c/g"] == false, "q/c/g, on disk, is not in the view: \(said)")
        #expect(view.entries["n/y/c"] == true, "\(said)")
    }

    @Test("a rename over an empty directory: a deletion in the one replaced, told late, is told before the rename")
    func renameOverAnEmptyDirectory() throws {
        let setup = try Setup()
        defer { setup.close() }
        // On disk at the end: x/f, which was a/f; the x that was there
        // first held an f made and removed (one merged event, told late).
        let root = setup.dir.path
        try setup.make(["x/", "x/f"])
        let a = try Setup.id(of: root.appending("x"))
        let file = try Setup.id(of: root.appending("x/f"))
        let replaced = setup.unheld("the x replaced")
        let events = [
            setup.event([.create, .onDir], in: setup.root, "x", target: replaced),
            setup.event([.create, .onDir], in: setup.root, "a", target: a),
            setup.event(.create, in: a, "f", target: file),
            setup.event([.create, .modify, .closeWrite, .delete], in: replaced, "f", target: setup.unheld("an earlier f")),
            Self.rename(setup, from: (setup.root, "a"), to: (setup.root, "x"), target: a),
        ]
        // Ten more events were queued when this was read: the deletion is not due yet.
        var changes = setup.engine.process(events, queuedAfter: 10)
        changes += setup.engine.process(setup.elsewhere(10), queuedAfter: 0)
        let view = EarlyEventTests.view(changes)
        let said = EarlyEventTests.described(changes)
        #expect(view.entries["x/f"] == false, "x/f, on disk, is not in the view: \(said)")
        #expect(view.entries["x"] == true, "\(said)")
    }
}
