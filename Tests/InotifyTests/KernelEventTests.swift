import InotifyTestSupport
import Inotify
import SystemPackage
import Testing
import InotifyTestLanes

@Suite("Events from the real kernel", .inBlockingLane)
struct KernelEventTests {
    @Test("touch gives CREATE, OPEN, ATTRIB, CLOSE_WRITE with the name, as in py-inotify's README")
    func touchEvents() throws {
        let dir = try TemporaryDirectory()
        let inotify = try Inotify()
        let wd = try inotify.addWatch(dir.path, mask: .allEvents)
        try Files.touch(dir.appending("test.txt"))
        let events = try inotify.readUntil { $0.mask.contains(.closeWrite) }
        #expect(events.map(\.mask) == [.create, .open, .attrib, .closeWrite])
        #expect(events.allSatisfy { $0.wd == wd.rawValue && $0.name == "test.txt" && $0.len == 16 })
        #expect(events.first?.description == "Event(wd=1, mask=256, cookie=0, len=16, name='test.txt')")
    }

    @Test("writing to a file gives MODIFY")
    func modify() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.createFile("data")
        let inotify = try Inotify()
        try inotify.addWatch(dir.path, mask: .modify)
        try Files.write(file, "more")
        let events = try inotify.readUntil { $0.mask.contains(.modify) }
        #expect(events == [Inotify.Event(wd: 1, mask: .modify, len: 16, nameBytes: Array("data".utf8))])
    }

    @Test("chmod gives ATTRIB")
    func attrib() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.createFile("data")
        let inotify = try Inotify()
        try inotify.addWatch(file, mask: .attrib)
        try Files.chmod(file, 0o600)
        let events = try inotify.readUntil { $0.mask.contains(.attrib) }
        #expect(events.map(\.mask) == [.attrib])
        #expect(events.first?.name == "")
    }

    @Test("opening read-only gives OPEN then CLOSE_NOWRITE")
    func openCloseNoWrite() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.createFile("data")
        let inotify = try Inotify()
        try inotify.addWatch(dir.path, mask: [.open, .close])
        try Files.openAndCloseReadOnly(file)
        let events = try inotify.readUntil { $0.mask.contains(.closeNoWrite) }
        #expect(events.map(\.mask) == [.open, .closeNoWrite])
    }

    @Test("a rename across two watched directories pairs MOVED_FROM and MOVED_TO by cookie")
    func moveCookies() throws {
        let dir = try TemporaryDirectory()
        let from = try dir.makeDirectory("from")
        let to = try dir.makeDirectory("to")
        try dir.createFile("from/a")
        let inotify = try Inotify()
        let fromWD = try inotify.addWatch(from, mask: .move)
        let toWD = try inotify.addWatch(to, mask: .move)
        try Files.rename(from.appending("a"), to.appending("b"))
        let events = try inotify.readUntil { $0.mask.contains(.movedTo) }
        #expect(events.count == 2)
        let (out, into) = (events[0], events[1])
        #expect(out.mask == .movedFrom && out.wd == fromWD.rawValue && out.name == "a")
        #expect(into.mask == .movedTo && into.wd == toWD.rawValue && into.name == "b")
        #expect(out.cookie != 0)
        #expect(out.cookie == into.cookie)
    }

    @Test("unlink gives DELETE; mkdir gives CREATE|ISDIR")
    func deleteAndIsDir() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.createFile("gone")
        let inotify = try Inotify()
        try inotify.addWatch(dir.path, mask: [.create, .delete])
        try Files.unlink(file)
        try dir.makeDirectory("sub")
        let events = try inotify.readUntil { $0.mask.contains(.isDir) }
        #expect(events.map(\.mask) == [.delete, [.create, .isDir]])
        #expect(events.map(\.name) == ["gone", "sub"])
    }

    @Test("deleting the watched directory gives DELETE_SELF then IGNORED, and the table forgets the watch")
    func deleteSelfAndIgnored() throws {
        let dir = try TemporaryDirectory()
        let sub = try dir.makeDirectory("sub")
        let inotify = try Inotify()
        let wd = try inotify.addWatch(sub, mask: .deleteSelf)
        #expect(inotify.path(of: wd) == sub)
        try Files.rmdir(sub)
        let events = try inotify.readUntil { $0.mask.contains(.ignored) }
        #expect(events.map(\.mask) == [.deleteSelf, .ignored])
        #expect(events.allSatisfy { $0.wd == wd.rawValue })
        #expect(inotify.path(of: wd) == nil)
        #expect(inotify.watches.isEmpty)
    }

    @Test("ONESHOT reports one event, then IGNORED, and the watch is gone")
    func oneShot() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.createFile("data")
        let inotify = try Inotify()
        let wd = try inotify.addWatch(file, mask: [.modify, .oneShot])
        try Files.write(file, "1")
        try Files.write(file, "2")
        let events = try inotify.readUntil { $0.mask.contains(.ignored) }
        #expect(events.map(\.mask) == [.modify, .ignored])
        #expect(inotify.watches[wd] == nil)
        expectInotifyError(.invalidArgument, mentioning: ["wd \(wd.rawValue)"]) { try inotify.removeWatch(wd) }
    }

    @Test("MASK_ADD extends a watch's mask; without it the mask is replaced")
    func maskAdd() throws {
        let dir = try TemporaryDirectory()
        let inotify = try Inotify()
        let first = try inotify.addWatch(dir.path, mask: .create)
        let added = try inotify.addWatch(dir.path, mask: [.delete, .maskAdd])
        #expect(first == added)
        let file = try dir.createFile("x")
        try Files.unlink(file)
        var events = try inotify.readUntil { $0.mask.contains(.delete) }
        #expect(events.map(\.mask) == [.create, .delete])

        try inotify.addWatch(dir.path, mask: .delete)
        try dir.createFile("y")
        try Files.unlink(dir.appending("y"))
        events = try inotify.readUntil { $0.mask.contains(.delete) }
        #expect(events.map(\.mask) == [.delete])
    }

    @Test("a name that is not UTF-8 comes back byte for byte")
    func nonUTF8Name() throws {
        let dir = try TemporaryDirectory()
        let inotify = try Inotify()
        try inotify.addWatch(dir.path, mask: .create)
        let name: [UInt8] = [0x66, 0xFF, 0x2E, 0x74, 0x78, 0x74]
        try Files.create(in: dir.path, rawName: name)
        let event = try #require(try inotify.readUntil { $0.mask.contains(.create) }.first)
        #expect(event.nameBytes == name)
        let component = try #require(event.nameComponent)
        #expect(Files.exists(dir.path.appending(component)))
        #expect(event.description.contains("name='f\\xff.txt'"))
    }
}
