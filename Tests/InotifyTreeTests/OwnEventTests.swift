@testable import Inotify
@testable import InotifyTree
import Foundation
import InotifyTestSupport
import SystemPackage
import Testing
import InotifyTestLanes

@Suite("The watcher's own listings are never reported", .inBlockingLane, .timeLimit(.minutes(10)))
struct OwnEventTests {
    static var listingEvents: TreeWatcher.Options {
        var options = TreeWatcher.Options()
        options.reported = [.created, .deleted, .moved, .opened, .accessed, .closedWithoutWrite]
        return options
    }

    static func isListingEvent(_ change: Change) -> Bool {
        [.opened, .accessed, .closedWithoutWrite].contains(change.kind) && change.isDirectory
    }

    @Test("the first scan of a tree with OPEN, ACCESS and CLOSE_NOWRITE asked for reports nothing")
    func firstScanIsSilent() throws {
        let harness = try EngineHarness(options: Self.listingEvents) { dir in
            for index in 0..<20 { try dir.makeDirectory("a\(index)/b/c") }
            try dir.createFile("a0/b/file")
        }
        #expect(harness.engine.listings > 1)
        let changes = try harness.drain()
        #expect(changes.isEmpty, "\(changes)")
        // Windows are forgotten as the stream passes them: only the last,
        // which nothing read yet lies beyond, may be left.
        #expect(harness.engine.log.pendingWindowsForTesting <= 1)
    }

    @Test("a new directory's listing is not reported; its creation and what it holds are")
    func newDirectoryListingIsSilent() throws {
        let harness = try EngineHarness(options: Self.listingEvents)
        try harness.dir.makeDirectory("new/inner")
        try harness.dir.createFile("new/inner/f")
        let changes = try harness.drain()
        #expect(!changes.contains(where: Self.isListingEvent), "\(changes)")
        #expect(changes.contains { $0.kind == .created && $0.path == "new" })
    }

    @Test("another process's open of a directory is reported, also right after the watcher listed it")
    func othersOpensAreReported() throws {
        let harness = try EngineHarness(options: Self.listingEvents)
        try harness.dir.makeDirectory("new")
        // The watcher lists "new" as it handles its CREATE; this open comes
        // after it in the queue, outside the listing's window.
        _ = try harness.changes { $0.contains { $0.kind == .created && $0.path == "new" } }
        let fd = try FileDescriptor.open(harness.dir.appending("new"), .readOnly, options: .directory)
        try fd.close()
        let changes = try harness.changes { changes in
            changes.contains { $0.path == "new" && $0.kind == .closedWithoutWrite }
        }
        let opens = changes.filter { $0.path == "new" && $0.kind == .opened }
        #expect(opens.count == 1, "\(changes)")
    }

    @Test("an open made inside a listing's window, beyond what the listing caused, is still reported")
    func beyondTheCountIsReported() throws {
        var log = ListingLog()
        let name = EventName(Array("d".utf8))
        log.caused(ListingLog.OwnCounts(open: 1, access: 2, closeNoWrite: 1), on: 5,
                   ListingLog.OwnCounts(open: 1, access: 2), onParent: 1, name: name, from: 100, to: 400)
        let own = Inotify.Event(wd: 5, mask: [.open, .isDir])
        let onParent = Inotify.Event(wd: 1, mask: [.open, .isDir], len: 16, nameBytes: Array("d".utf8))
        let own1 = log.isOwn(own, at: 120)
        #expect(own1)
        let own2 = log.isOwn(own, at: 140)
        #expect(!own2, "a second open is another process's")
        let own3 = log.isOwn(onParent, at: 160)
        #expect(own3)
        let own4 = log.isOwn(onParent, at: 180)
        #expect(!own4)
        let own5 = log.isOwn(Inotify.Event(wd: 5, mask: [.access, .isDir]), at: 50)
        #expect(!own5, "before the window")
        let own6 = log.isOwn(Inotify.Event(wd: 5, mask: [.access, .isDir]), at: 400)
        #expect(!own6, "after the window")
        let own7 = log.isOwn(Inotify.Event(wd: 5, mask: [.access, .isDir]), at: 200)
        #expect(own7)
        let own8 = log.isOwn(Inotify.Event(wd: 7, mask: [.access, .isDir]), at: 200)
        #expect(!own8, "another directory")
    }

    /// A fork or posix_spawn by any thread of the process copies its
    /// descriptor table, and with it a listing's descriptor: the directory
    /// is closed for good only when the child execs, and its CLOSE_NOWRITE
    /// comes after the listing's window. It is still the watcher's own.
    @Test("a listing's CLOSE_NOWRITE that comes after its window is still its own, once; opens and reads are not")
    func lateCloseIsOwn() throws {
        var log = ListingLog()
        let name = EventName(Array("d".utf8))
        log.caused(ListingLog.OwnCounts(open: 1, closeNoWrite: 1), on: 5,
                   ListingLog.OwnCounts(open: 1, closeNoWrite: 1), onParent: 1, name: name, from: 100, to: 400)
        func own(_ event: Inotify.Event, at position: UInt64) -> Bool {
            log.passed(position)
            return log.isOwn(event, at: position)
        }
        #expect(own(Inotify.Event(wd: 5, mask: [.open, .isDir]), at: 120))
        #expect(own(Inotify.Event(wd: 1, mask: [.open, .isDir], len: 16, nameBytes: Array("d".utf8)), at: 140))
        let close = Inotify.Event(wd: 5, mask: [.closeNoWrite, .isDir])
        let closeOnParent = Inotify.Event(wd: 1, mask: [.closeNoWrite, .isDir], len: 16, nameBytes: Array("d".utf8))
        #expect(!own(Inotify.Event(wd: 5, mask: [.open, .isDir]), at: 500), "an open is never late")
        #expect(!own(Inotify.Event(wd: 5, mask: [.access, .isDir]), at: 520), "nor a read")
        #expect(!own(Inotify.Event(wd: 1, mask: [.closeNoWrite, .isDir], len: 16, nameBytes: Array("e".utf8)), at: 540),
                "another name's close")
        #expect(own(close, at: 600), "the late close on the directory's watch")
        #expect(own(closeOnParent, at: 632), "the same close on the parent's")
        #expect(!own(close, at: 700), "a second close is another process's")
        #expect(!own(closeOnParent, at: 732))
        log.reset()
        #expect(log.pendingLateClosesForTesting == 0)
    }

    @Test("listings made while another thread spawns children stay unreported",
          .disabled(if: underThreadSanitizer, "children spawned in a loop under ThreadSanitizer: each spawn is slow there (this timed out at 300 s in a loaded run), and a report in Lock.withLock was seen once while it ran, not yet understood; what this checks is the kernel's and the log's behaviour, run in the plain suite"))
    func listingsBesideSpawnsAreSilent() throws {
        let spawner = Spawner()
        defer { spawner.stop() }
        for round in 0..<4 {
            let harness = try EngineHarness(options: Self.listingEvents) { dir in
                for index in 0..<40 { try dir.makeDirectory("a\(index)/b/c") }
            }
            // And the listings of new directories, made by the running engine.
            for index in 0..<20 { try harness.dir.makeDirectory("n\(index)/x") }
            let changes = try harness.drain()
            let own = changes.filter(Self.isListingEvent)
            #expect(own.isEmpty, "round \(round), \(spawner.count) children spawned so far: \(own)")
            #expect(changes.filter { $0.kind == .created }.count == 40, "\(changes)")
        }
    }

    @Test("entry events of a directory queued before its listing are superseded by it")
    func listingSupersedes() {
        var log = ListingLog()
        log.listed(3, at: 1000)
        #expect(log.isSuperseded(3, at: 999))
        #expect(!log.isSuperseded(3, at: 1000))
        #expect(!log.isSuperseded(4, at: 10))
        log.passed(1000)
        #expect(!log.isSuperseded(3, at: 999), "forgotten once passed")
    }
}
