import InotifyTestSupport
import Inotify
import SystemPackage
import Testing
import InotifyTestLanes

@Suite("Events carry their watch", .inBlockingLane, .timeLimit(.minutes(10)))
struct WatchDescriptorTests {
    @Test("event.wd == wd holds for the watch addWatch returned, not for the same number of another instance")
    func eventMatchesItsOwnWatchOnly() throws {
        let dir = try TemporaryDirectory()
        let mine = try Inotify()
        let theirs = try Inotify()
        let wd = try mine.addWatch(dir.path, mask: .create)
        let theirWD = try theirs.addWatch(dir.path, mask: .create)
        #expect(wd.rawValue == theirWD.rawValue, "each instance numbers its watches from 1")
        try dir.createFile("x")
        let event = try #require(try mine.readUntil { $0.name == "x" }.last)
        let theirEvent = try #require(try theirs.readUntil { $0.name == "x" }.last)

        #expect(event.wd == wd)
        #expect(wd == event.wd)
        #expect(wd.matches(event))
        #expect(!(event.wd == theirWD))
        #expect(event.wd != theirWD)
        #expect(theirWD != event.wd)
        #expect(theirEvent.wd == theirWD && theirEvent.wd != wd)
        // The records are the same: equal as events, not as watches.
        #expect(event == theirEvent)

        // Numbers compare as numbers, in both orders.
        #expect(event.wd == wd.rawValue && wd.rawValue == event.wd)
        #expect(event.wd == theirWD.rawValue)
        #expect(event.wd == 1 && 1 == event.wd && event.wd != 2 && 2 != event.wd)
        #expect(event.wd.rawValue == 1)
        #expect(event.wd.hasInstance)
    }

    @Test("an event decoded from bytes belongs to no instance: equal by number only")
    func decodedEventsBelongToNoInstance() throws {
        let dir = try TemporaryDirectory()
        let inotify = try Inotify()
        let wd = try inotify.addWatch(dir.path, mask: .create)
        var bytes = EventBytes()
        bytes.append(wd: wd.rawValue, mask: Inotify.IN_CREATE, name: Array("x".utf8))
        bytes.append(wd: -1, mask: Inotify.IN_Q_OVERFLOW)
        let events = try Inotify.decodeEvents(bytes.bytes)
        #expect(!events[0].wd.hasInstance)
        #expect(events[0].wd != wd && events[0].wd == wd.rawValue)
        #expect(events[1].wd == -1 && -1 == events[1].wd)
        switch events[1].wd {
        case -1: break
        default: Issue.record("a switch on the number did not match -1")
        }
        #expect(inotify.path(of: events[0]) == nil)
        expectInotifyError(.invalidArgument, mentioning: ["no instance"]) { try inotify.removeWatch(events[0].wd) }
        #expect(inotify.path(of: wd) == dir.path, "the refused removal left the watch alone")
    }

    @Test("an event's wd removes its watch")
    func eventWDRemovesItsWatch() throws {
        let dir = try TemporaryDirectory()
        let inotify = try Inotify()
        let wd = try inotify.addWatch(dir.path, mask: .create)
        try dir.createFile("x")
        let event = try #require(try inotify.readUntil { $0.name == "x" }.last)
        try inotify.removeWatch(event.wd)
        #expect(inotify.path(of: wd) == nil)
        let ignored = try inotify.readUntil { $0.mask.contains(.ignored) }
        #expect(ignored.last?.wd == wd)
    }

    @Test("path(of: event) is the watch's path joined with the name, or the watch's own path without a name")
    func pathOfEvent() throws {
        let dir = try TemporaryDirectory()
        let sub = try dir.makeDirectory("sub")
        let file = try dir.createFile("sub/file")
        let inotify = try Inotify()
        try inotify.addWatch(sub, mask: [.create, .attrib])
        try inotify.addWatch(file, mask: .attrib)
        try dir.createFile("sub/new")
        try Files.chmod(file, 0o600)
        let events = try inotify.readUntil { $0.mask.contains(.attrib) && !$0.hasName }
        let created = try #require(events.first { $0.mask.contains(.create) })
        #expect(inotify.path(of: created) == sub.appending("new"))
        // The same chmod, reported on the directory (with the name) and on the file itself.
        let onDirectory = try #require(events.first { $0.mask.contains(.attrib) && $0.hasName })
        let onFile = try #require(events.first { $0.mask.contains(.attrib) && !$0.hasName })
        #expect(inotify.path(of: onDirectory) == file)
        #expect(inotify.path(of: onFile) == file)
    }

    @Test("path(of: event) is nil for wd -1, for another instance's events, and for watches already gone")
    func pathOfEventNil() throws {
        let dir = try TemporaryDirectory()
        let mine = try Inotify()
        let theirs = try Inotify()
        let wd = try mine.addWatch(dir.path, mask: .create)
        try theirs.addWatch(dir.path, mask: .create)
        try dir.createFile("x")
        let event = try #require(try mine.readUntil { $0.name == "x" }.last)
        let theirEvent = try #require(try theirs.readUntil { $0.name == "x" }.last)
        #expect(mine.path(of: event) == dir.path.appending("x"))

        #expect(mine.path(of: theirEvent) == nil, "another instance's watch of the same number")
        #expect(mine.path(of: Inotify.Event(wd: -1, mask: .queueOverflow)) == nil)
        try mine.removeWatch(wd)
        #expect(mine.path(of: event) == nil, "a watch removed")
    }

    @Test("the events read with a watch's IN_IGNORED find its path until the next read delivers events")
    func pathOfEventsReadWithTheirEnd() throws {
        let dir = try TemporaryDirectory()
        let sub = try dir.makeDirectory("sub")
        let file = try dir.createFile("sub/file")
        let inotify = try Inotify()
        let wd = try inotify.addWatch(sub, mask: [.delete, .deleteSelf])
        let other = try inotify.addWatch(dir.path, mask: .create)
        try Files.unlink(file)
        try Files.rmdir(sub)
        let events = try inotify.readUntil { $0.mask.contains(.ignored) }
        #expect(events.map(\.mask) == [.delete, .deleteSelf, .ignored])
        #expect(inotify.path(of: wd) == nil, "the watch is gone")
        #expect(inotify.watches.keys.contains(wd) == false)
        #expect(inotify.path(of: events[0]) == file)
        #expect(inotify.path(of: events[1]) == sub)

        try dir.createFile("later")
        let later = try inotify.readUntil { $0.name == "later" }
        #expect(later.allSatisfy { $0.wd == other })
        #expect(inotify.path(of: events[0]) == nil, "forgotten once another read delivered events")
    }
}
