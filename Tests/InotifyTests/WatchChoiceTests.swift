import InotifyTestSupport
import Inotify
import SystemPackage
import Testing
import InotifyTestLanes

@Suite("The caller's choices: the library's checks, the path table", .inBlockingLane, .timeLimit(.minutes(10)))
struct WatchChoiceTests {
    @Test("checks: .kernelOnly lets a mask of IGNORED alone through (inotifywait's -e ignored); the default refuses it")
    func kernelOnlyChecks() throws {
        let dir = try TemporaryDirectory()
        let inotify = try Inotify()
        expectInotifyError(.invalidArgument, mentioning: ["IGNORED", "no event"]) {
            try inotify.addWatch(dir.path, mask: .ignored)
        }
        expectInotifyError(.invalidArgument, mentioning: ["no event"]) {
            _ = try dir.path.withPlatformString { try inotify.addWatch(cString: $0, mask: .ignored) }
        }
        #expect(inotify.watches.isEmpty)

        let wd = try inotify.addWatch(dir.path, mask: .ignored, checks: .kernelOnly)
        #expect(inotify.path(of: wd) == dir.path)
        try dir.createFile("unreported")
        try inotify.removeWatch(wd)
        // The watch reports nothing but its own end.
        let events = try inotify.readUntil { $0.mask.contains(.ignored) }
        #expect(events.map(\.mask) == [.ignored])
        #expect(events.first?.wd == wd)
    }

    @Test("checks: .kernelOnly by C string and on a plain descriptor: the kernel alone decides")
    func kernelOnlyElsewhere() throws {
        let dir = try TemporaryDirectory()
        let inotify = try Inotify()
        let byName = try dir.path.withPlatformString { try inotify.addWatch(cString: $0, mask: .ignored, checks: .kernelOnly) }
        #expect(inotify.path(of: byName) == dir.path)
        // What the kernel refuses is still refused: bits it does not define.
        let unknown = Inotify.EventMask(rawValue: Inotify.IN_CREATE | 0x1000)
        expectInotifyError(.invalidArgument) { try inotify.addWatch(dir.path, mask: unknown, checks: .kernelOnly) }

        let fd = try Inotify.initialize(flags: .nonBlocking)
        defer { try? fd.close() }
        expectInotifyError(.invalidArgument, mentioning: ["no event"]) { _ = try Inotify.addWatch(fd, dir.path, mask: .ignored) }
        let wd = try Inotify.addWatch(fd, dir.path, mask: .ignored, checks: .kernelOnly)
        try Inotify.removeWatch(fd, wd)
        #expect(try Inotify.readEvents(fd).map(\.mask) == [.ignored])
    }

    @Test("an instance without a path table watches, reads and removes by number, and answers no path")
    func untrackedInstance() throws {
        let dir = try TemporaryDirectory()
        let sub = try dir.makeDirectory("sub")
        let inotify = try Inotify(flags: .nonBlocking, tracksPaths: false)
        #expect(!inotify.tracksPaths)
        let wd = try inotify.addWatch(dir.path, mask: .create)
        let subWD = try sub.withPlatformString { try inotify.addWatch(cString: $0, mask: [.create, .deleteSelf]) }
        #expect(inotify.watches.isEmpty)
        #expect(inotify.path(of: wd) == nil && inotify.path(forWD: wd.rawValue) == nil)

        try dir.createFile("x")
        let event = try #require(try inotify.readUntil { $0.name == "x" }.last)
        #expect(event.wd == wd, "events still carry their watch")
        #expect(inotify.path(of: event) == nil)

        // The kernel alone says whether a watch exists.
        try inotify.removeWatch(subWD.rawValue)
        expectInotifyError(.invalidArgument, mentioning: ["wd \(subWD.rawValue)", "removed already"]) {
            try inotify.removeWatch(subWD)
        }
        #expect(try inotify.readUntil { $0.mask.contains(.ignored) }.last?.wd == subWD)
        try inotify.removeWatch(wd)
        #expect(Files.kernelWatchCount(inotify.fileDescriptor) == 0)
    }

    @Test("an instance with a path table enters watches added by C string, and refuses a number it does not hold")
    func trackedInstanceByCString() throws {
        let dir = try TemporaryDirectory()
        let inotify = try Inotify()
        #expect(inotify.tracksPaths)
        let wd = try dir.path.withPlatformString { try inotify.addWatch(cString: $0, mask: .create) }
        #expect(inotify.path(of: wd) == dir.path)
        #expect(inotify.watches == [wd: dir.path])
        expectInotifyError(.invalidArgument, mentioning: ["wd 99"]) { try inotify.removeWatch(99) }
        try inotify.removeWatch(wd.rawValue)
        #expect(inotify.watches.isEmpty)
    }
}
