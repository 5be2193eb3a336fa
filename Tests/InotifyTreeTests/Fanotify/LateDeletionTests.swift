@testable import Inotify
@testable import InotifyTree
import InotifyTestLanes
import InotifyTestSupport
import SystemPackage
import Testing

/// The kernel merges a file's DELETE into its queued CREATE when one thread
/// makes and removes it before the event is read; the engine tells such a
/// deletion late, once what was queued before the read has been taken
/// (`LateDeletion`). A listing in between can report the name taken again.
@Suite(
    "A deletion told late and a listing that finds the name again", .inBlockingLane,
    .enabled(if: FanotifyTreeAvailability.available, "fanotify is not permitted (not root) or lacks what the source needs"),
    .enabled(if: TmpfsMount.permitted, "each test mounts a tmpfs of its own, which needs CAP_SYS_ADMIN"))
struct LateDeletionTests {
    @Test("a deletion pending in a directory is told before a listing of it reports the name made again")
    func toldBeforeTheListing() throws {
        // Seen in a churn trace: a directory moved in was listed, its f2
        // reported by the listing, and a deletion of an earlier f2 there,
        // read before the listing, told at the end: the consumer lost f2.
        let setup = try EarlyEventTests.Setup()
        defer { setup.close() }
        let earlier = setup.unheld("an earlier f1")
        let outside = setup.unheld("outside")
        func rename(from: (Fanotify.FileID, String), to: (Fanotify.FileID, String)) -> Fanotify.Event {
            Fanotify.Event(mask: [.rename, .onDir], pid: 1, records: [
                setup.record(Fanotify.FAN_EVENT_INFO_TYPE_OLD_DFID_NAME, from.0, from.1),
                setup.record(Fanotify.FAN_EVENT_INFO_TYPE_NEW_DFID_NAME, to.0, to.1),
                setup.record(Fanotify.FAN_EVENT_INFO_TYPE_FID, setup.d),
            ])
        }
        // d made; an f1 made and removed in it (one merged event); d moved
        // out and back in, holding the f1 on disk now. Ten more events were
        // queued when this was read: the deletion is not due yet.
        let events = [
            setup.creation,
            setup.event([.create, .modify, .closeWrite, .delete], in: setup.d, "f1", target: earlier),
            rename(from: (setup.root, "d"), to: (outside, "d")),
            rename(from: (outside, "d"), to: (setup.root, "d")),
        ]
        var changes = setup.engine.process(events, queuedAfter: 10)
        changes += setup.engine.process(setup.elsewhere(10), queuedAfter: 0)
        let view = EarlyEventTests.view(changes)
        let said = EarlyEventTests.described(changes)
        #expect(view.entries["d/f1"] == false, "d/f1, on disk, is not in the view: \(said)")
        #expect(view.entries["d"] == true, "\(said)")
    }
}
