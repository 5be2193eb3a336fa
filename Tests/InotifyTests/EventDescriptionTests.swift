import InotifyTestSupport
import Inotify
import Testing
import InotifyTestLanes

@Suite("Event descriptions are py-inotify's lines", .inBlockingLane)
struct EventDescriptionTests {
    @Test("the README example's line, byte for byte")
    func readmeLine() {
        let event = Inotify.Event(wd: 1, mask: .create, cookie: 0, len: 16, nameBytes: Array("test.txt".utf8))
        #expect(event.description == "Event(wd=1, mask=256, cookie=0, len=16, name='test.txt')")
    }

    @Test("an event on the watched object itself has an empty name")
    func noName() {
        let event = Inotify.Event(wd: 1, mask: [.open, .isDir])
        #expect(event.description == "Event(wd=1, mask=1073741856, cookie=0, len=0, name='')")
    }

    @Test("names are quoted and escaped as Python's repr does")
    func pythonRepr() {
        func line(_ name: [UInt8]) -> String {
            Inotify.Event(wd: 2, mask: .create, len: 16, nameBytes: name).description
        }
        #expect(line(Array("it's".utf8)).hasSuffix("name=\"it's\")"))
        #expect(line(Array("a'b\"c".utf8)).hasSuffix("name='a\\'b\"c')"))
        #expect(line(Array("new\nline\ttab\\".utf8)).hasSuffix("name='new\\nline\\ttab\\\\')"))
        #expect(line(Array("caf\u{e9}".utf8)).hasSuffix("name='caf\u{e9}')"))
        #expect(line([0x01, 0x7F]).hasSuffix("name='\\x01\\x7f')"))
    }

    @Test("bytes that are not UTF-8 show as \\xNN, never as a replacement character")
    func nonUTF8() {
        let event = Inotify.Event(wd: 1, mask: .create, len: 16, nameBytes: [0x61, 0xFF, 0x62])
        #expect(event.description == "Event(wd=1, mask=256, cookie=0, len=16, name='a\\xffb')")
    }

    @Test("an overflow event prints wd=-1")
    func overflow() {
        let event = Inotify.Event(wd: -1, mask: .queueOverflow)
        #expect(event.description == "Event(wd=-1, mask=16384, cookie=0, len=0, name='')")
    }
}
