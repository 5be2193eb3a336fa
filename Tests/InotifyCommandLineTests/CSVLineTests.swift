import Inotify
@testable import InotifyCommandLine
import Testing
import InotifyTestLanes

/// `-c` lines, written in-process: inotifywait's quoting, and a carriage
/// return quoted as well.
@Suite(.inBlockingLane)
struct CSVLineTests {
    func line(_ watched: String, _ name: [UInt8], _ mask: Inotify.EventMask) -> [UInt8] {
        var out: [UInt8] = []
        Array(watched.utf8).withUnsafeBytes { watched in
            name.withUnsafeBytes { name in
                CSVLine.append(EventLine(watched: watched, name: name, mask: mask, cookie: 0), to: &out)
            }
        }
        return out
    }

    @Test func fieldsWithAQuoteACommaANewlineOrAnEdgeSpaceAreQuotedAsInotifywaitQuotesThem() {
        #expect(line("d/", Array("a,b".utf8), [.closeWrite]) == Array("d/,\"CLOSE_WRITE,CLOSE\",\"a,b\"\n".utf8))
        #expect(line("d/", Array("q\"uote".utf8), .create) == Array("d/,CREATE,\"q\"\"uote\"\n".utf8))
        #expect(line("d/", Array(" lead".utf8), .create) == Array("d/,CREATE,\" lead\"\n".utf8))
        #expect(line("d/", Array("a\nb".utf8), .create) == Array("d/,CREATE,\"a\nb\"\n".utf8))
        #expect(line("d/", Array("plain".utf8), .create) == Array("d/,CREATE,plain\n".utf8))
        #expect(line("d/", [], .deleteSelf) == Array("d/,DELETE_SELF,\n".utf8))
    }

    /// Unquoted, `report\r` at the end of a line reads back as `report`
    /// (CRLF is a line end), and a reader that takes only CRLF refuses it.
    @Test func aCarriageReturnIsQuotedSoThatNoReaderTakesItForALineEnd() {
        #expect(line("d/", Array("report\r".utf8), .create) == Array("d/,CREATE,\"report\r\"\n".utf8))
        #expect(line("d\r/", Array("x".utf8), .create) == Array("\"d\r/\",CREATE,x\n".utf8))
    }
}
