import Foundation
import InotifyTestSupport
import Inotify
import SystemPackage
import Testing
import InotifyTestLanes

@Suite("Events as JSON, byte for byte", .inBlockingLane, .timeLimit(.minutes(10)))
struct CodableTests {
    @Test("an event encodes py-inotify's five fields, the mask as its number and a UTF-8 name as a string")
    func eventJSON() throws {
        let event = Inotify.Event(wd: 1, mask: .create, cookie: 0, len: 16, nameBytes: Array("test.txt".utf8))
        let (decoded, json) = try jsonRoundTrip(event)
        #expect(json == #"{"cookie":0,"len":16,"mask":256,"name":"test.txt","wd":1}"#)
        #expect(decoded == event)
        #expect(decoded.description == event.description)
    }

    @Test("a name that is not UTF-8 round-trips byte for byte, as an array of its bytes")
    func nonUTF8NameRoundTrips() throws {
        let name: [UInt8] = [0x66, 0xFF, 0x2E, 0xC3, 0x28]
        let event = Inotify.Event(wd: 3, mask: [.movedFrom, .isDir], cookie: 77, len: 16, nameBytes: name)
        let (decoded, json) = try jsonRoundTrip(event)
        #expect(json.contains(#""name":[102,255,46,195,40]"#))
        #expect(decoded.nameBytes == name)
        #expect(decoded == event)
        #expect(decoded.mask == [.movedFrom, .isDir] && decoded.cookie == 77 && decoded.wd == 3)
    }

    @Test("an event read from the kernel with a non-UTF-8 name round-trips; the decoded one belongs to no instance")
    func kernelEventRoundTrips() throws {
        let dir = try TemporaryDirectory()
        let inotify = try Inotify()
        let wd = try inotify.addWatch(dir.path, mask: .create)
        let name: [UInt8] = [0x61, 0x80, 0xFE]
        try Files.create(in: dir.path, rawName: name)
        let event = try #require(try inotify.readUntil { $0.mask.contains(.create) }.first)
        let (decoded, _) = try jsonRoundTrip([event])
        #expect(decoded == [event])
        #expect(decoded[0].nameBytes == name)
        #expect(decoded[0].wd == wd.rawValue && decoded[0].wd != wd)
        #expect(!decoded[0].wd.hasInstance)
        #expect(inotify.path(of: decoded[0]) == nil)
    }

    @Test("decoding takes a name as a string or as bytes, and cookie, len and name as absent")
    func decodingForms() throws {
        let json = #"[{"wd":1,"mask":2},{"wd":-1,"mask":16384,"cookie":0,"len":0,"name":""},{"wd":2,"mask":256,"name":[255]}]"#
        let events = try JSONDecoder().decode([Inotify.Event].self, from: Data(json.utf8))
        #expect(events == [
            Inotify.Event(wd: 1, mask: .modify),
            Inotify.Event(wd: -1, mask: .queueOverflow),
            Inotify.Event(wd: 2, mask: .create, nameBytes: [0xFF]),
        ])
    }

    @Test("a mask encodes as its number, unknown bits and all")
    func maskJSON() throws {
        let mask = Inotify.EventMask(rawValue: Inotify.IN_CREATE | Inotify.IN_ISDIR | 0x1000)
        let (decoded, json) = try jsonRoundTrip([mask])
        #expect(json == "[\(mask.rawValue)]")
        #expect(decoded == [mask])
    }
}
