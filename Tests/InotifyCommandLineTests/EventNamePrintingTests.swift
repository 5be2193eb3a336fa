import Inotify
@testable import InotifyCommandLine
import Testing
import InotifyTestLanes

/// Event names as the command prints them, from the library's table:
/// inotifywait's spelling and order in every format, inotifywatch's columns.
@Suite(.inBlockingLane)
struct EventNamePrintingTests {
    func printed(_ mask: Inotify.EventMask, separator: Character = ",") -> String {
        var bytes: [UInt8] = []
        PrintedNames.append(mask, separator: separator.asciiValue!, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func namesComeInInotifywaitsOrderWithCloseBesideEitherClose() {
        #expect(printed([.closeWrite, .isDir]) == "CLOSE_WRITE,CLOSE,ISDIR")
        #expect(printed([.moveSelf, .ignored, .closeNoWrite], separator: ":") == "CLOSE_NOWRITE:IGNORED:CLOSE:MOVE_SELF")
        #expect(printed([.create, .delete, .access]) == "ACCESS,CREATE,DELETE")
    }

    @Test func aMaskWithNoPrintedNameIsPrintedInHexAsInotifywaitPrintsIt() {
        #expect(printed(.onlyDir) == "0x01000000")
        #expect(printed([]) == "0x00000000")
    }

    @Test func jsonListsTheSameNames() {
        var out: [UInt8] = []
        let empty = UnsafeRawBufferPointer(start: nil, count: 0)
        JSONLine.append(EventLine(watched: empty, name: empty, mask: [.closeWrite, .isDir], cookie: 0), to: &out)
        let line = String(decoding: out, as: UTF8.self)
        #expect(line.contains(#""events":["CLOSE_WRITE","CLOSE","ISDIR"]"#))
        #expect(line.contains(#""isDirectory":true"#))
    }

    @Test func statsColumnsAreInotifywatchsInItsOrder() {
        #expect(StatsTable.columns.map(\.name) == [
            "access", "modify", "attrib", "close_write", "close_nowrite", "open", "moved_from", "moved_to",
            "move_self", "create", "delete", "delete_self", "unmount",
        ])
        #expect(StatsTable.columns.allSatisfy { $0.mask.rawValue.nonzeroBitCount == 1 })
    }
}
