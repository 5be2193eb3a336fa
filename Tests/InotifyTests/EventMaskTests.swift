import InotifyTestSupport
import Inotify
import Testing
import InotifyTestLanes

@Suite("EventMask names", .inBlockingLane)
struct EventMaskTests {
    @Test("a mask prints its bits by name in bit order, joined by |")
    func printsNames() {
        #expect(Inotify.EventMask([.create, .isDir]).description == "CREATE|ISDIR")
        #expect(Inotify.EventMask.close.description == "CLOSE_WRITE|CLOSE_NOWRITE")
        #expect(Inotify.EventMask.queueOverflow.description == "Q_OVERFLOW")
    }

    @Test("bits without a name print as hex and never vanish")
    func unknownBitsPrintAsHex() {
        #expect(Inotify.EventMask(rawValue: Inotify.IN_CREATE | 0x1000).description == "CREATE|0x1000")
        #expect(Inotify.EventMask(rawValue: 0x0800_0000).description == "0x8000000")
        #expect(Inotify.EventMask().description == "0")
    }

    @Test("names parse back, case-insensitive, with inotifywait's close and move")
    func parsesNames() throws {
        #expect(try Inotify.EventMask(parsing: "create,close_write") == [.create, .closeWrite])
        #expect(try Inotify.EventMask(parsing: "CREATE|ISDIR") == [.create, .isDir])
        #expect(try Inotify.EventMask(parsing: "Close") == .close)
        #expect(try Inotify.EventMask(parsing: "move, delete_self") == [.move, .deleteSelf])
        #expect(try Inotify.EventMask(parsing: "IN_ACCESS") == .access)
        #expect(try Inotify.EventMask(parsing: "all_events") == .allEvents)
    }

    @Test("every mask's description parses back to the same mask")
    func descriptionRoundTrips() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let mask = Inotify.EventMask(rawValue: UInt32.random(in: .min ... .max, using: &generator))
            #expect(try Inotify.EventMask(parsing: mask.description) == mask)
        }
        #expect(try Inotify.EventMask(parsing: Inotify.EventMask().description) == [])
    }

    @Test("an unknown name is an error that names it and lists the valid ones")
    func unknownNameIsAnError() {
        let error = #expect(throws: Inotify.EventMask.UnknownNameError.self) {
            try Inotify.EventMask(parsing: "create,crate")
        }
        #expect(error?.name == "crate")
        #expect(error?.description.contains("'crate'") == true)
        #expect(error?.description.contains("close_write") == true)
        #expect(error?.description.contains("move") == true)
    }
}
