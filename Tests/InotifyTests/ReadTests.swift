import InotifyTestSupport
@_spi(Concurrency) import Inotify
import SystemPackage
import Testing
import InotifyTestLanes

@Suite("Reading events", .inBlockingLane, .timeLimit(.minutes(10)))
struct ReadTests {
    @Test("one read returns every queued event, in order")
    func readsEverythingQueued() throws {
        let dir = try TemporaryDirectory()
        let inotify = try Inotify(flags: [.nonBlocking, .closeOnExec])
        try inotify.addWatch(dir.path, mask: .create)
        for index in 0..<200 { try dir.createFile("f\(index)") }
        let events = try inotify.readEvents()
        #expect(events.map(\.name) == (0..<200).map { "f\($0)" })
        #expect(try inotify.readEvents().isEmpty)
    }

    @Test("a non-blocking instance with nothing queued returns no events")
    func nonBlockingEmpty() throws {
        let dir = try TemporaryDirectory()
        let inotify = try Inotify(flags: .nonBlocking)
        try inotify.addWatch(dir.path, mask: .allEvents)
        #expect(try inotify.readEvents() == [])
        #expect(try inotify.readEvents(maxBytes: 4096) == [])
    }

    @Test("a timed read with nothing queued returns no events once the time is up")
    func timedReadTimesOut() throws {
        let dir = try TemporaryDirectory()
        let inotify = try Inotify()
        try inotify.addWatch(dir.path, mask: .allEvents)
        #expect(try inotify.readEvents(timeout: .milliseconds(20)) == [])
        #expect(try inotify.readEvents(timeout: .zero) == [])
    }

    @Test("a blocking read waits for the first event and returns it")
    func blockingReadWaits() async throws {
        let dir = try TemporaryDirectory()
        let inotify = try Inotify()
        try inotify.addWatch(dir.path, mask: .create)
        // Create the file only once the reader is parked in poll, so the read
        // really waited for it.
        let read = await startWaiting { try inotify.readEvents() }
        try dir.createFile("late")
        #expect(try await read.value.map(\.name) == ["late"])
    }

    @Test("maxBytes caps one read at whole events; the rest stays queued")
    func maxBytesCaps() throws {
        let dir = try TemporaryDirectory()
        let inotify = try Inotify(flags: .nonBlocking)
        try inotify.addWatch(dir.path, mask: .create)
        for name in ["a", "b", "c"] { try dir.createFile(name) }
        let first = try inotify.readEvents(maxBytes: 40)
        #expect(first.map(\.name) == ["a"])
        let second = try inotify.readEvents(maxBytes: 64)
        #expect(second.map(\.name) == ["b", "c"])
    }
}

/// A value shared between a test and a thread it starts; the lock makes that safe.
final class SendableBox<Value: Sendable>: Sendable {
    private let storage: Lock<Value>
    init(_ value: Value) { storage = Lock(value) }
    var value: Value {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}

import Synchronization
