import InotifyTestSupport
import Inotify
import SystemPackage
import Testing
import InotifyTestLanes

@Suite("Queue overflow", .inBlockingLane)
struct OverflowTests {
    @Test("not reading while more than max_queued_events files are made gives IN_Q_OVERFLOW with wd -1, last")
    func overflowIsDelivered() throws {
        let limit = try #require(Files.sysctl("max_queued_events"))
        try #require(limit <= 100_000, "max_queued_events is \(limit): too large to overflow in a test")
        let dir = try TemporaryDirectory("overflow")
        let inotify = try Inotify(flags: .nonBlocking)
        try inotify.addWatch(dir.path, mask: .create)
        for index in 0..<(limit + 50) { try dir.createFile("f\(index)") }

        var events: [Inotify.Event] = []
        while true {
            let batch = try inotify.readEvents()
            if batch.isEmpty { break }
            events += batch
        }
        let overflow = try #require(events.last)
        #expect(overflow.mask == .queueOverflow)
        #expect(overflow.wd == -1)
        #expect(overflow.description == "Event(wd=-1, mask=16384, cookie=0, len=0, name='')")
        #expect(events.filter { $0.mask == .queueOverflow }.count == 1)
        #expect(events.dropLast().map(\.name) == (0..<events.count - 1).map { "f\($0)" })

        try dir.createFile("after")
        #expect(try inotify.readEvents().map(\.name) == ["after"])
    }
}
