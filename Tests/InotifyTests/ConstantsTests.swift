import InotifyTestSupport
import CInotify
import Inotify
import Testing
import InotifyTestLanes

@Suite("Constants match <sys/inotify.h>", .inBlockingLane)
struct ConstantsTests {
    @Test("every IN_* constant has the C header's value")
    func everyConstantMatchesTheHeader() {
        let pairs: [(String, UInt32, UInt32)] = [
            ("IN_ACCESS", Inotify.IN_ACCESS, cinotify_IN_ACCESS()),
            ("IN_MODIFY", Inotify.IN_MODIFY, cinotify_IN_MODIFY()),
            ("IN_ATTRIB", Inotify.IN_ATTRIB, cinotify_IN_ATTRIB()),
            ("IN_CLOSE_WRITE", Inotify.IN_CLOSE_WRITE, cinotify_IN_CLOSE_WRITE()),
            ("IN_CLOSE_NOWRITE", Inotify.IN_CLOSE_NOWRITE, cinotify_IN_CLOSE_NOWRITE()),
            ("IN_OPEN", Inotify.IN_OPEN, cinotify_IN_OPEN()),
            ("IN_MOVED_FROM", Inotify.IN_MOVED_FROM, cinotify_IN_MOVED_FROM()),
            ("IN_MOVED_TO", Inotify.IN_MOVED_TO, cinotify_IN_MOVED_TO()),
            ("IN_CREATE", Inotify.IN_CREATE, cinotify_IN_CREATE()),
            ("IN_DELETE", Inotify.IN_DELETE, cinotify_IN_DELETE()),
            ("IN_DELETE_SELF", Inotify.IN_DELETE_SELF, cinotify_IN_DELETE_SELF()),
            ("IN_MOVE_SELF", Inotify.IN_MOVE_SELF, cinotify_IN_MOVE_SELF()),
            ("IN_UNMOUNT", Inotify.IN_UNMOUNT, cinotify_IN_UNMOUNT()),
            ("IN_Q_OVERFLOW", Inotify.IN_Q_OVERFLOW, cinotify_IN_Q_OVERFLOW()),
            ("IN_IGNORED", Inotify.IN_IGNORED, cinotify_IN_IGNORED()),
            ("IN_CLOSE", Inotify.IN_CLOSE, cinotify_IN_CLOSE()),
            ("IN_MOVE", Inotify.IN_MOVE, cinotify_IN_MOVE()),
            ("IN_ONLYDIR", Inotify.IN_ONLYDIR, cinotify_IN_ONLYDIR()),
            ("IN_DONT_FOLLOW", Inotify.IN_DONT_FOLLOW, cinotify_IN_DONT_FOLLOW()),
            ("IN_EXCL_UNLINK", Inotify.IN_EXCL_UNLINK, cinotify_IN_EXCL_UNLINK()),
            ("IN_MASK_CREATE", Inotify.IN_MASK_CREATE, cinotify_IN_MASK_CREATE()),
            ("IN_MASK_ADD", Inotify.IN_MASK_ADD, cinotify_IN_MASK_ADD()),
            ("IN_ISDIR", Inotify.IN_ISDIR, cinotify_IN_ISDIR()),
            ("IN_ONESHOT", Inotify.IN_ONESHOT, cinotify_IN_ONESHOT()),
            ("IN_ALL_EVENTS", Inotify.IN_ALL_EVENTS, cinotify_IN_ALL_EVENTS()),
        ]
        for (name, swift, header) in pairs {
            #expect(swift == header, "\(name): Swift \(swift), header \(header)")
        }
        #expect(UInt32(bitPattern: Inotify.IN_NONBLOCK) == cinotify_IN_NONBLOCK())
        #expect(UInt32(bitPattern: Inotify.IN_CLOEXEC) == cinotify_IN_CLOEXEC())
        #expect(Inotify.eventHeaderSize == cinotify_event_header_size())
        #expect(Inotify.maxEventSize == cinotify_event_header_size() + cinotify_name_max() + 1)
    }

    @Test("py-inotify's documented values: IN_ACCESS is 1, IN_ALL_EVENTS is 4095")
    func pyInotifyDocumentedValues() {
        #expect(Inotify.IN_ACCESS == 1)
        #expect(Inotify.IN_ALL_EVENTS == 4095)
    }

    @Test("option set members carry the constants' bits")
    func optionSetMembersMatchConstants() {
        #expect(Inotify.EventMask.allEvents.rawValue == Inotify.IN_ALL_EVENTS)
        #expect(Inotify.EventMask.close == [.closeWrite, .closeNoWrite])
        #expect(Inotify.EventMask.move == [.movedFrom, .movedTo])
        #expect(Inotify.EventMask.oneShot.rawValue == Inotify.IN_ONESHOT)
        #expect(Inotify.EventMask.queueOverflow.rawValue == Inotify.IN_Q_OVERFLOW)
        #expect(Inotify.InitFlags.nonBlocking.rawValue == Inotify.IN_NONBLOCK)
        #expect(Inotify.InitFlags.closeOnExec.rawValue == Inotify.IN_CLOEXEC)
        let singleBits = Inotify.EventMask.namedBits.map(\.mask.rawValue)
        #expect(singleBits.allSatisfy { $0.nonzeroBitCount == 1 })
        #expect(Set(singleBits).count == singleBits.count)
    }
}
