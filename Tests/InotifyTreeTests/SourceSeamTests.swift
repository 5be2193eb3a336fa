@testable import Inotify
@testable import InotifyTree
import InotifyTestSupport
import InotifyTreeTestSupport
import SystemPackage
import Testing

/// A TreeWatcher knows its source only through ``ChangeSource``: a scripted
/// source, with no kernel and no disk, drives it all the way to the consumer.
@Suite("Any source of changes feeds a TreeWatcher", .timeLimit(.minutes(10)))
struct SourceSeamTests {
    static let root: FilePath = "/scripted/root"

    static func change(
        _ kind: Change.Kind, _ path: FilePath, isDirectory: Bool = false, foundByScan: Bool = false, tracker: UInt32? = nil
    ) -> Change {
        Change(kind, path: path, root: root, isDirectory: isDirectory, foundByScan: foundByScan, tracker: tracker)
    }

    @Test("a watcher reports its source's changes as they come, in order, batch after batch, and ends when the source ends")
    func reportsTheSourcesChanges() async throws {
        let script = ScriptedSource.Script()
        let watcher = try TreeWatcher(source: ScriptedSource(root: Self.root, script: script))
        #expect(watcher.root == Self.root)
        let first = [Self.change(.created, "a"), Self.change(.moved(from: "a"), "b", tracker: 9)]
        let second = [Self.change(.created, "d", isDirectory: true), Self.change(.created, "d/f", foundByScan: true)]
        script.play(.batch(first))
        script.play(.batch([]))
        script.play(.batch(second))
        script.play(.end)
        var seen: [Change] = []
        for try await change in watcher.changes { seen.append(change) }
        #expect(seen == first + second)
        #expect(seen.allSatisfy { $0.raw == nil })
    }

    @Test("a batch that asks for a rescan is followed at once by the source's rescan, before anything the source says next")
    func rescanWhenAsked() async throws {
        let script = ScriptedSource.Script()
        let found = Self.change(.created, "found", foundByScan: true)
        let watcher = try TreeWatcher(source: ScriptedSource(root: Self.root, script: script, rescanFinds: [found]))
        script.play(.batch([Self.change(.created, "before"), Self.change(.overflow, "", isDirectory: true)], needsRescan: true))
        script.play(.batch([Self.change(.created, "after")]))
        script.play(.end)
        var seen: [Change] = []
        for try await change in watcher.changes { seen.append(change) }
        #expect(seen.map(\.kind) == [.created, .overflow, .created, .rescanned, .created])
        #expect(seen.map(\.path) == ["before", "", "found", "", "after"])
        #expect(script.rescans == 1)
    }

    @Test("watchedDirectories is what the source says it holds, from the start and after each batch")
    func watchCountIsTheSources() async throws {
        let script = ScriptedSource.Script()
        let watcher = try TreeWatcher(source: ScriptedSource(root: Self.root, script: script, watchCount: 3))
        #expect(watcher.watchedDirectories == 3)
        script.play(.batch([Self.change(.created, "d", isDirectory: true)], watchCount: 40))
        var iterator = watcher.changes.makeAsyncIterator()
        _ = try await iterator.next()
        // The count is stored before the batch is handed over.
        #expect(watcher.watchedDirectories == 40)
        watcher.close()
    }

    @Test("close() stops the source through its control, and a waiting iteration ends")
    func closeStopsTheSource() async throws {
        let script = ScriptedSource.Script()
        let watcher = try TreeWatcher(source: ScriptedSource(root: Self.root, script: script))
        let iteration = Task {
            for try await _ in watcher.changes {}
            return true
        }
        watcher.close()
        #expect(try await iteration.value)
        #expect(script.isStopped)
    }

    @Test("what the source throws ends the change stream with that error")
    func sourceErrorEndsTheStream() async throws {
        let script = ScriptedSource.Script()
        let watcher = try TreeWatcher(source: ScriptedSource(root: Self.root, script: script))
        script.play(.batch([Self.change(.created, "a")]))
        script.play(.failure("the disk went away"))
        var seen: [Change] = []
        await #expect(throws: ScriptedSource.Failure(reason: "the disk went away")) {
            for try await change in watcher.changes { seen.append(change) }
        }
        #expect(seen.map(\.path) == ["a"])
    }

    @Test("an InotifySource made on its own is ready when made, and feeds a watcher as TreeWatcher(root:) does")
    func inotifySourceOnItsOwn() async throws {
        let dir = try TemporaryDirectory("source")
        try dir.makeDirectory("a/b")
        let source = try InotifySource(root: dir.path)
        #expect(source.watchCount == 3)
        let watcher = try TreeWatcher(source: source)
        #expect(watcher.watchedDirectories == 3)
        try dir.createFile("a/b/new")
        let collector = Collector(watcher)
        #expect(await collector.wait { $0.contains { $0.kind == .created && $0.path == "a/b/new" } })
        let created = collector.changes.first { $0.kind == .created }
        #expect(created?.inotifyEvents.first?.mask == .create)
        collector.stop()
        watcher.close()
    }
}

@Suite("The kinds of change in inotify's terms")
struct KindsAndMaskTests {
    @Test("each kind that can be asked for is made of its inotify events, and back")
    func kindsRoundTrip() {
        let pairs: [(Change.Kinds, Inotify.EventMask)] = [
            (.created, .create), (.deleted, .delete), (.moved, [.movedFrom, .movedTo]), (.modified, .modify),
            (.attributesChanged, .attrib), (.closedAfterWrite, .closeWrite), (.opened, .open), (.accessed, .access),
            (.closedWithoutWrite, .closeNoWrite), (.selfDeleted, .deleteSelf), (.selfMoved, .moveSelf),
        ]
        for (kinds, mask) in pairs {
            #expect(kinds.inotifyMask == mask)
            #expect(Change.Kinds(inotifyMask: mask) == kinds)
        }
        #expect(Change.Kinds(inotifyMask: .movedTo) == .moved)
        #expect(Change.Kinds(inotifyMask: .allEvents) == .all)
        #expect(Change.Kinds.standard.inotifyMask == [.create, .delete, .modify, .attrib, .closeWrite, .movedFrom, .movedTo])
    }

    @Test("what the tree itself says is reported whatever is asked; the rest only when asked")
    func askedAs() {
        for kind: Change.Kind in [.rootDeleted, .rootMoved, .unmounted, .overflow, .rescanned, .unwatched(reason: "x"),
                                  .becameIgnored] {
            #expect(kind.askedAs == nil)
        }
        #expect(Change.Kind.movedIn.askedAs == .moved && Change.Kind.movedOut.askedAs == .moved)
        #expect(Change.Kind.closedWithoutWrite.askedAs == .closedWithoutWrite)
    }
}
