@testable import Inotify
@testable import InotifyTree
import InotifyTestSupport
import SystemPackage
import Testing
import InotifyTestLanes

@Suite("Other events, self events and excluded directories by code", .inBlockingLane)
struct OtherEventTests {
    @Test("opens and closes without writing are reported when asked for, with the kernel's events as their raw record")
    func otherEventsWhenAsked() throws {
        var options = TreeWatcher.Options()
        options.reported.formUnion([.opened, .closedWithoutWrite])
        let harness = try EngineHarness(options: options) {
            try $0.makeDirectory("sub")
            try $0.createFile("sub/f")
        }
        try Files.openAndCloseReadOnly(harness.dir.appending("sub/f"))
        let changes = try harness.changes { $0.contains { $0.kind == .closedWithoutWrite && !$0.isDirectory } }
        // The watcher's own listing of the tree opens its directories: those
        // come too, as OPEN|ISDIR and CLOSE_NOWRITE|ISDIR, and are left out here.
        let other = changes.filter { [.opened, .accessed, .closedWithoutWrite].contains($0.kind) && !$0.isDirectory }
        #expect(other.map(\.path) == ["sub/f", "sub/f"])
        #expect(other.map(\.kind) == [.opened, .closedWithoutWrite])
        #expect(other.map { $0.inotifyEvents.first?.mask } == [.open, .closeNoWrite])
    }

    @Test("without asking, no opens, reads or closes without writing: the default options report only what changes the tree or a file")
    func noOtherEventsByDefault() throws {
        let harness = try EngineHarness { try $0.createFile("f") }
        try Files.openAndCloseReadOnly(harness.dir.appending("f"))
        try Files.chmod(harness.dir.appending("f"), 0o600)
        let changes = try harness.changes { $0.contains { $0.kind == .attributesChanged } }
        #expect(!changes.contains { [.opened, .accessed, .closedWithoutWrite].contains($0.kind) })
    }

    @Test("reportSelfEvents adds a subdirectory's own events beside its parent's")
    func selfEvents() throws {
        for reportSelf in [false, true] {
            var options = TreeWatcher.Options()
            options.reportSelfEvents = reportSelf
            let harness = try EngineHarness(options: options) { try $0.makeDirectory("sub") }
            try Files.chmod(harness.dir.appending("sub"), 0o700)
            let changes = try harness.drain()
            #expect(changes.filter { $0.kind == .attributesChanged && !$0.isSelfEvent }.map(\.path) == ["sub"])
            let own = changes.filter { $0.isSelfEvent }
            #expect(own.map(\.path) == (reportSelf ? ["sub"] : []))
            #expect(own.allSatisfy { $0.kind == .attributesChanged && $0.inotifyEvents.first?.hasName == false })
        }
    }

    @Test("excludeDirectory decides by relative path, before the watch is added")
    func excludeDirectoryByCode() throws {
        var options = TreeWatcher.Options()
        options.excludeDirectory = { $0 == "a/skip" }
        let harness = try EngineHarness(options: options) {
            try $0.makeDirectory("a/skip/deeper")
            try $0.makeDirectory("b/skip")
        }
        // root, a, b, b/skip: a/skip and all below it are not watched.
        #expect(harness.engine.tree.count == 4)
        try harness.dir.createFile("a/skip/x")
        try harness.dir.createFile("b/skip/y")
        let created = try harness.drain().filter { $0.kind.isCreated }.map(\.path)
        #expect(created == ["b/skip/y"])
    }

    @Test("pendingChanges counts what waits for the consumer")
    func pendingChanges() async throws {
        let dir = try TemporaryDirectory("pending")
        let watcher = try TreeWatcher(root: dir.path)
        #expect(watcher.pendingChanges == 0)
        for index in 0..<10 { try dir.createFile("f\(index)") }
        // Nobody consumes: the changes pile up in the channel, two per file
        // (created, closed after write); wait for all, so none comes later.
        #expect(await eventually { watcher.pendingChanges == 20 })
        var iterator = watcher.changes.makeAsyncIterator()
        let before = watcher.pendingChanges
        _ = try await iterator.next()
        #expect(watcher.pendingChanges == before - 1)
        watcher.close()
    }
}
