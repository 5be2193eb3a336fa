import InotifyTestSupport
import Inotify
import Testing
import InotifyTestLanes

@Suite("Decoding bytes into events", .inBlockingLane)
struct DecoderTests {
    @Test("decodes each field and strips the name's NUL padding")
    func decodesFields() throws {
        var raw = EventBytes()
        raw.append(wd: 1, mask: Inotify.IN_CREATE, name: Array("test.txt".utf8))
        raw.append(wd: 2, mask: Inotify.IN_MOVED_FROM, cookie: 77, name: Array("a".utf8))
        raw.append(wd: 1, mask: Inotify.IN_DELETE_SELF)
        let events = try Inotify.decodeEvents(raw.bytes)
        #expect(events.count == 3)
        #expect(events[0] == Inotify.Event(wd: 1, mask: .create, len: 16, nameBytes: Array("test.txt".utf8)))
        #expect(events[1].cookie == 77)
        #expect(events[1].name == "a")
        #expect(events[2].len == 0)
        #expect(events[2].name == "")
        #expect(events[2].nameComponent == nil)
    }

    @Test("an empty buffer holds no events")
    func emptyBuffer() throws {
        #expect(try Inotify.decodeEvents([]) == [])
    }

    @Test("a buffer too small for one event header is an error, not a crash")
    func truncatedHeader() {
        var raw = EventBytes()
        raw.append(wd: 1, mask: Inotify.IN_CREATE, name: Array("x".utf8))
        let error = #expect(throws: Inotify.DecodingError.self) {
            try Inotify.decodeEvents(Array(raw.bytes + raw.bytes.prefix(10)))
        }
        #expect(error == Inotify.DecodingError(offset: 32, reason: .truncatedHeader(bytesLeft: 10)))
    }

    @Test("a len that runs past the buffer is an error, never a read past the end")
    func lenOverrunsBuffer() {
        var raw = EventBytes()
        raw.append(wd: 1, mask: Inotify.IN_CREATE, name: Array("abc".utf8), len: 0xFFFF_FFF0)
        let error = #expect(throws: Inotify.DecodingError.self) {
            try Inotify.decodeEvents(raw.bytes)
        }
        #expect(error?.offset == 0)
        #expect(error?.reason == .nameOverrunsBuffer(len: 0xFFFF_FFF0, bytesLeft: 16))
    }

    @Test("a name with no NUL inside its len is an error")
    func unterminatedName() {
        var raw = EventBytes()
        raw.append(wd: 1, mask: Inotify.IN_CREATE, name: Array("abcdefgh".utf8), len: 8)
        let error = #expect(throws: Inotify.DecodingError.self) {
            try Inotify.decodeEvents(Array(raw.bytes.prefix(24)))
        }
        #expect(error?.reason == .unterminatedName(len: 8))
    }

    @Test("every truncation and every corruption of a valid buffer decodes or throws, never crashes")
    func truncationsAndCorruptionsNeverCrash() {
        var raw = EventBytes()
        raw.append(wd: 1, mask: Inotify.IN_CREATE, name: Array("first".utf8))
        raw.append(wd: 3, mask: Inotify.IN_MOVED_TO, cookie: 9, name: Array(repeating: 0x61, count: 40))
        raw.append(wd: -1, mask: Inotify.IN_Q_OVERFLOW)
        for end in 0...raw.bytes.count {
            _ = try? Inotify.decodeEvents(Array(raw.bytes.prefix(end)))
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5000 {
            var bytes = raw.bytes
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = .random(in: 0...255, using: &generator)
            }
            let end = Int.random(in: 0...bytes.count, using: &generator)
            _ = try? Inotify.decodeEvents(Array(bytes.prefix(end)))
        }
    }

    @Test("the zero-copy cursor walks the same events as the owning decoder")
    func cursorMatchesOwningDecoder() throws {
        var raw = EventBytes()
        raw.append(wd: 5, mask: Inotify.IN_CLOSE_WRITE, name: Array("one".utf8))
        raw.append(wd: 6, mask: Inotify.IN_ATTRIB | Inotify.IN_ISDIR, name: Array("two".utf8))
        let owned = try Inotify.decodeEvents(raw.bytes)
        var walked: [Inotify.Event] = []
        try raw.bytes.withUnsafeBytes { buffer in
            var cursor = Inotify.EventCursor(buffer)
            while let event = try cursor.next() {
                walked.append(event.makeEvent())
            }
            #expect(cursor.offset == buffer.count)
            var names: [String] = []
            try Inotify.forEachEvent(in: buffer) { names.append(String(decoding: $0.name, as: UTF8.self)) }
            #expect(names == ["one", "two"])
        }
        #expect(walked == owned)
    }

    @Test("name bytes that are not UTF-8 are kept exactly")
    func nonUTF8BytesKept() throws {
        var raw = EventBytes()
        raw.append(wd: 1, mask: Inotify.IN_CREATE, name: [0x66, 0xFF, 0xFE, 0x67])
        let event = try #require(try Inotify.decodeEvents(raw.bytes).first)
        #expect(event.nameBytes == [0x66, 0xFF, 0xFE, 0x67])
        #expect(event.nameComponent.map { Array($0.string.utf8) } != nil)
        let componentBytes = try #require(event.nameComponent).withPlatformString { pointer in
            Array(UnsafeRawBufferPointer(start: pointer, count: 4).map { $0 })
        }
        #expect(componentBytes == [0x66, 0xFF, 0xFE, 0x67])
    }

    @Test("a name holding a slash, which no kernel sends, has no path component and no path; its bytes stay")
    func slashInNameHasNoComponent() throws {
        var raw = EventBytes()
        raw.append(wd: 1, mask: Inotify.IN_CREATE, name: Array("a/b".utf8))
        let event = try #require(try Inotify.decodeEvents(raw.bytes).first)
        #expect(event.nameBytes == Array("a/b".utf8))
        #expect(event.nameComponent == nil)
        #expect(Inotify.Event(wd: 1, mask: .create, nameBytes: Array("/".utf8)).nameComponent == nil)
        #expect(Inotify.Event(wd: 1, mask: .create, nameBytes: Array("..".utf8)).nameComponent?.string == "..")

        let dir = try TemporaryDirectory()
        let inotify = try Inotify()
        var made = event
        made.wd = try inotify.addWatch(dir.path, mask: .create)
        #expect(inotify.path(of: made) == nil)
        made.nameBytes = Array("b".utf8)
        #expect(inotify.path(of: made) == dir.appending("b"))
    }
}

@Suite("Event names of every length", .inBlockingLane)
struct EventNameTests {
    @Test("names of 1 to 255 bytes, inline or not, decode to exactly their bytes and compare by bytes")
    func everyLength() throws {
        for length in 1...255 {
            let name = (0..<length).map { UInt8(0x41 + $0 % 26) }
            var raw = EventBytes()
            raw.append(wd: 1, mask: Inotify.IN_CREATE, name: name)
            let decoded = try #require(try Inotify.decodeEvents(raw.bytes).first)
            #expect(decoded.nameBytes == name, "length \(length)")
            #expect(decoded.withNameBytes { Array($0) } == name)
            let built = Inotify.Event(wd: 1, mask: .create, len: decoded.len, nameBytes: name)
            #expect(decoded == built)
            #expect(decoded.hashValue == built.hashValue)
            var changed = built
            changed.nameBytes[length - 1] ^= 0x20
            #expect(changed != built)
        }
    }
}
