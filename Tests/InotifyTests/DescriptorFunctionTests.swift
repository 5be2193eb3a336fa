import InotifyTestSupport
import Inotify
import SystemPackage
import Testing
import InotifyTestLanes

@Suite("py-inotify's functions on a plain descriptor", .inBlockingLane, .timeLimit(.minutes(10)))
struct DescriptorFunctionTests {
    @Test("init1, add_watch, read_events, rm_watch, close: py-inotify's whole cycle")
    func wholeCycle() throws {
        let dir = try TemporaryDirectory()
        let fd = try Inotify.initialize(flags: [.nonBlocking, .closeOnExec])
        defer { try? fd.close() }
        let wd = try Inotify.addWatch(fd, dir.path, mask: .create)
        #expect(try Inotify.readEvents(fd) == [])
        try dir.createFile("test.txt")
        let events = try Inotify.readEvents(fd)
        #expect(events.map(\.description) == ["Event(wd=\(wd), mask=256, cookie=0, len=16, name='test.txt')"])
        try Inotify.removeWatch(fd, wd)
        #expect(try Inotify.readEvents(fd).map(\.mask) == [.ignored])
    }

    @Test("init gives a blocking descriptor whose read waits for the first event")
    func blockingDescriptor() async throws {
        let dir = try TemporaryDirectory()
        let fd = try Inotify.initialize()
        defer { try? fd.close() }
        _ = try Inotify.addWatch(fd, dir.path, mask: .create)
        let read = await startWaiting(in: [0, 63]) { try Inotify.readEvents(fd) }  // read(2): x86_64, aarch64
        try dir.createFile("late")
        #expect(try await read.value.map(\.name) == ["late"])
    }

    @Test("max_bytes smaller than one event is an error, as in py-inotify")
    func maxBytesTooSmall() throws {
        let dir = try TemporaryDirectory()
        let fd = try Inotify.initialize(flags: .nonBlocking)
        defer { try? fd.close() }
        _ = try Inotify.addWatch(fd, dir.path, mask: .create)
        try dir.createFile("name-of-some-length")
        expectInotifyError(.invalidArgument, mentioning: ["maxBytes 17"]) { _ = try Inotify.readEvents(fd, maxBytes: 17) }
        #expect(try Inotify.readEvents(fd, maxBytes: Inotify.maxEventSize).count == 1)
    }
}
