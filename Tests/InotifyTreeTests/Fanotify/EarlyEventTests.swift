@testable import Inotify
@testable import InotifyTree
import InotifyTestSupport
import SystemPackage
import Testing
import InotifyTestLanes

/// A directory is visible before mkdir(2) queues its creation, so another
/// thread can act in it first: those events come before the directory's
/// creation, about a handle the engine does not hold yet. Which thread wins
/// that race is the kernel's choice, so these tests hand the engine the
/// events in the order that race leaves them, about real directories.
@Suite(
    "What is done in a directory before its creation is queued", .inBlockingLane,
    .enabled(if: FanotifyTreeAvailability.available, "fanotify is not permitted (not root) or lacks what the source needs"),
    .enabled(if: TmpfsMount.permitted, "each test mounts a tmpfs of its own, which needs CAP_SYS_ADMIN"))
struct EarlyEventTests {
    /// A tree `root` holding `d/f1` on disk, and an engine that knows only
    /// its root (the events are the test's to give).
    struct Setup {
        let fs: OwnFilesystem
        let dir: TemporaryDirectory
        let engine: FanotifyEngine
        let group: Fanotify
        /// The root's and `d`'s identities, as the kernel's records give them.
        let root: Fanotify.FileID
        let d: Fanotify.FileID

        init() throws {
            fs = try OwnFilesystem("early")
            dir = try fs.directory("early")
            try Files.mkdir(dir.path.appending("d"))
            try Files.touch(dir.path.appending("d/f1"))
            group = try Fanotify(flags: FanotifyEngine.groupFlags)
            engine = try FanotifyEngine(group: group, root: dir.path, options: .with(.fanotify), listing: false)
            root = try Self.id(of: dir.path)
            d = try Self.id(of: dir.path.appending("d"))
        }

        static func id(of path: FilePath) throws -> Fanotify.FileID {
            let fd = try FileDescriptor.open(path, .readOnly, options: [.closeOnExec])
            defer { try? fd.close() }
            return try Fanotify.fileID(of: fd)
        }

        func record(_ type: UInt8, _ id: Fanotify.FileID, _ name: String? = nil) -> Fanotify.InfoRecord {
            .fileID(Fanotify.FileID(type: type, fsid: id.fsid, handle: id.handle, name: name.map { Array($0.utf8) }))
        }

        /// An event in the directory `id` about `name`.
        func event(_ mask: Fanotify.EventMask, in id: Fanotify.FileID, _ name: String, target: Fanotify.FileID? = nil) -> Fanotify.Event {
            var records = [record(Fanotify.FAN_EVENT_INFO_TYPE_DFID_NAME, id, name)]
            if let target { records.append(record(Fanotify.FAN_EVENT_INFO_TYPE_FID, target)) }
            return Fanotify.Event(mask: mask, pid: 1, records: records)
        }

        /// `d`'s creation in the root, as mkdir(2) queues it.
        var creation: Fanotify.Event { event([.create, .onDir], in: root, "d", target: d) }

        /// An identity on this filesystem that no file here has: a
        /// directory elsewhere, or a file gone (`record` gives it its type).
        func unheld(_ label: String) -> Fanotify.FileID {
            Fanotify.FileID(
                type: Fanotify.FAN_EVENT_INFO_TYPE_FID, fsid: root.fsid,
                handle: Fanotify.FileHandle(type: root.handle.type, bytes: Array(label.utf8)))
        }

        /// `count` events in directories elsewhere on the filesystem, each of its own.
        func elsewhere(_ count: Int) -> [Fanotify.Event] {
            (0..<count).map { event(.create, in: unheld("elsewhere-\($0)"), "x") }
        }

        /// Makes each entry below the root, in order: one ending in `/` a
        /// directory, any other an empty file.
        func make(_ entries: [String]) throws {
            for entry in entries {
                if entry.hasSuffix("/") {
                    try Files.mkdir(dir.path.appending(String(entry.dropLast())))
                } else {
                    try Files.touch(dir.path.appending(entry))
                }
            }
        }

        func close() { try? group.close() }
    }

    /// The tree a consumer rebuilds from `changes` alone.
    static func view(_ changes: [Change]) -> RebuiltTree {
        var view = RebuiltTree()
        for change in changes { view.apply(change) }
        return view
    }

    static func described(_ changes: [Change]) -> [String] {
        changes.map { "\($0.kind) \($0.path)\($0.foundByScan ? " (found by scan)" : "")" }
    }

    @Test("a file made in a directory before its creation is queued is reported, however many events elsewhere come between")
    func earlyCreationPastEventsElsewhere() throws {
        let setup = try Setup()
        defer { setup.close() }
        let f1 = try Setup.id(of: setup.dir.path.appending("d/f1"))
        let events = [setup.event(.create, in: setup.d, "f1", target: f1)] + setup.elsewhere(200) + [setup.creation]
        let changes = Self.described(setup.engine.process(events, queuedAfter: 0))
        #expect(changes.first == "created d")
        #expect(changes.contains { $0.hasPrefix("created d/f1") }, "d/f1 never reported: \(changes)")
    }

    @Test("a rename in a directory before its creation is queued: what the directory holds is reported as it is, not as the early events left it")
    func earlyRename() throws {
        let setup = try Setup()
        defer { setup.close() }
        // f0 made and renamed f1 before d's creation was queued: the rename
        // names two places the engine does not hold either.
        let rename = Fanotify.Event(mask: .rename, pid: 1, records: [
            setup.record(Fanotify.FAN_EVENT_INFO_TYPE_OLD_DFID_NAME, setup.d, "f0"),
            setup.record(Fanotify.FAN_EVENT_INFO_TYPE_NEW_DFID_NAME, setup.d, "f1"),
        ])
        let events = [setup.event(.create, in: setup.d, "f0"), rename, setup.creation]
        let changes = Self.described(setup.engine.process(events, queuedAfter: 0))
        #expect(changes.contains { $0.hasPrefix("created d/f1") }, "d/f1 never reported: \(changes)")
        #expect(!changes.contains { $0.contains("d/f0") }, "d/f0, renamed before, reported: \(changes)")
    }

    @Test("a directory with nothing queued about it before its creation is not listed: its own events tell the rest")
    func noEarlyEventNoListing() throws {
        let setup = try Setup()
        defer { setup.close() }
        let changes = Self.described(setup.engine.process(setup.elsewhere(10) + [setup.creation], queuedAfter: 0))
        #expect(changes == ["created d"])
    }

    @Test("an early event let go to keep the bound: the directory is listed at its creation, and what it holds found")
    func earlyEventLetGo() throws {
        let setup = try Setup()
        defer { setup.close() }
        let f1 = try Setup.id(of: setup.dir.path.appending("d/f1"))
        let events = [setup.event(.create, in: setup.d, "f1", target: f1)] + setup.elsewhere(EarlyEvents.eventLimit)
            + [setup.creation]
        let changes = Self.described(setup.engine.process(events, queuedAfter: 0))
        #expect(changes == ["created d", "created d/f1 (found by scan)"])
    }

    @Test("what is kept stays bounded when every early event is taken, as when all of them are in the tree")
    func keptStaysBounded() {
        var early = EarlyEvents()
        let fsid = Fanotify.FilesystemID(first: 1, second: 2)
        for index in 0..<(EarlyEvents.eventLimit * 5) {
            let id = Fanotify.FileID(type: Fanotify.FAN_EVENT_INFO_TYPE_DFID_NAME, fsid: fsid,
                                     handle: Fanotify.FileHandle(type: 1, bytes: Array("d\(index)".utf8)))
            let key = HandleTree.Key(id)
            early.keep(Fanotify.Event(mask: .create, records: [.fileID(id)]), about: key)
            if index % 2 == 0 { _ = early.take(for: key) }
        }
        #expect(early.count <= EarlyEvents.eventLimit)
        #expect(early.orderedCount <= 2 * EarlyEvents.eventLimit)
        // What was neither taken nor let go is still there, in order.
        let last = Fanotify.FileID(type: Fanotify.FAN_EVENT_INFO_TYPE_DFID_NAME, fsid: fsid,
                                   handle: Fanotify.FileHandle(type: 1, bytes: Array("d\(EarlyEvents.eventLimit * 5 - 1)".utf8)))
        if case .replay(let events)? = early.take(for: HandleTree.Key(last)) {
            #expect(events.count == 1)
        } else {
            Issue.record("the last event kept was not there to replay")
        }
    }
}
