import Foundation
@_spi(Concurrency) import Inotify
import InotifyTestSupport
@testable import InotifyTree
import SystemPackage
import Testing

/// What the one channel under an instance's events and a tree's changes
/// promises to both: one consumer at a time, with one error for a second;
/// cancellation and close end an iteration; nothing is lost between
/// iterations.
@Suite("One channel, two users", .timeLimit(.minutes(10)))
struct ChannelUserTests {
    @Test("a second consumer of an instance's events and of a tree's changes gets the same busy error")
    func oneBusyError() async throws {
        let dir = try TemporaryDirectory("busy")
        let inotify = try Inotify()
        try inotify.addWatch(dir.path, mask: .create)
        let watcher = try TreeWatcher(root: dir.path)
        defer { watcher.close() }
        var events = inotify.events.makeAsyncIterator()
        var changes = watcher.changes.makeAsyncIterator()
        try dir.createFile("one")
        #expect(try await events.next()?.name == "one")
        #expect(try await changes.next()?.path == "one")

        let fromEvents = await #expect(throws: Inotify.BusyError.self) {
            for try await _ in inotify.events {}
        }
        let fromChanges = await #expect(throws: TreeWatcher.BusyError.self) {
            for try await _ in watcher.changes {}
        }
        #expect(TreeWatcher.BusyError.self == Inotify.BusyError.self)
        #expect(fromEvents?.errno == .resourceBusy && fromChanges?.errno == .resourceBusy)
        #expect(fromEvents?.description.contains("this Inotify instance's events") == true)
        #expect(fromChanges?.description.contains("this TreeWatcher's changes") == true)
        #expect(fromChanges?.description.contains("one consumer at a time") == true)

        // The first consumers go on.
        try dir.createFile("two")
        #expect(try await events.next()?.name == "two")
        var next = try await changes.next()
        while let change = next, change.path != "two" { next = try await changes.next() }
        #expect(next?.path == "two")
    }

    @Test("cancelling the task iterating a tree's changes ends the iteration; changes not taken wait for the next")
    func treeCancellation() async throws {
        let dir = try TemporaryDirectory("cancel")
        let watcher = try TreeWatcher(root: dir.path)
        defer { watcher.close() }
        let started = Lock(false)
        let consumer = Task { () throws -> Int in
            var count = 0
            started.withLock { $0 = true }
            for try await _ in watcher.changes { count += 1 }
            return count
        }
        #expect(await eventually(timeout: .seconds(120)) { started.withLock { $0 } })
        consumer.cancel()
        #expect(try await consumer.value == 0)

        try dir.createFile("after-cancel")
        var again = watcher.changes.makeAsyncIterator()
        #expect(try await again.next()?.path == "after-cancel")
        watcher.close()
        var rest: [Change] = []
        while let change = try await again.next() { rest.append(change) }
        #expect(rest.allSatisfy { $0.path == "after-cancel" }, "only the file's own later changes: \(rest)")
    }

    @Test("close() ends an eventBatches iteration waiting for events, after what it read")
    func closeEndsBatches() async throws {
        let dir = try TemporaryDirectory("close")
        let inotify = try Inotify()
        try inotify.addWatch(dir.path, mask: .create)
        try dir.createFile("before-close")
        let seen = Lock<[String]>([])
        let consumer = Task { () throws -> [String] in
            for try await batch in inotify.eventBatches { seen.withLock { $0 += batch.map(\.name) } }
            return seen.withLock { $0 }
        }
        #expect(await eventually(timeout: .seconds(120)) { !seen.withLock { $0.isEmpty } })
        try inotify.close()
        #expect(try await consumer.value == ["before-close"])
    }
}
