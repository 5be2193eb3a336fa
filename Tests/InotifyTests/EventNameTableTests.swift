import Inotify
import Testing
import InotifyTestLanes

/// The one table of mask names: the library's names, and the orders
/// inotify-tools prints them in, which scripts match on.
@Suite("EventMask name table", .inBlockingLane)
struct EventNameTableTests {
    typealias Mask = Inotify.EventMask

    @Test("inotifywait's names for every bit come in its order, CLOSE beside either close")
    func inotifywaitOrder() {
        let printed = Mask.nameTable.filter { $0.inotifyTools == .printed }.map(\.name)
        #expect(printed == [
            "ACCESS", "MODIFY", "ATTRIB", "CLOSE_WRITE", "CLOSE_NOWRITE", "OPEN", "MOVED_FROM", "MOVED_TO", "CREATE",
            "DELETE", "DELETE_SELF", "UNMOUNT", "Q_OVERFLOW", "IGNORED", "CLOSE", "MOVE_SELF", "ISDIR", "ONESHOT",
        ])
    }

    @Test("inotify-tools reads the names it prints, MOVE and ALL_EVENTS, and no flag of add_watch")
    func inotifyToolsReads() {
        let readOnly = Mask.nameTable.filter { $0.inotifyTools == .readOnly }.map(\.name)
        #expect(readOnly == ["MOVE", "ALL_EVENTS"])
        let unknown = Mask.nameTable.filter { $0.inotifyTools == .unknown }.map(\.mask)
        #expect(unknown.reduce(Mask()) { $0.union($1) } == [.onlyDir, .dontFollow, .exclUnlink, .maskCreate, .maskAdd])
    }

    @Test("inotifywatch's columns are the twelve events and UNMOUNT, MOVE_SELF after MOVED_TO")
    func inotifywatchColumns() {
        let columns = Mask.nameTable.compactMap { row in row.inotifywatchColumn.map { ($0, row.name) } }
        #expect(columns.map(\.0).sorted() == Array(0..<13))
        #expect(columns.sorted { $0.0 < $1.0 }.map(\.1) == [
            "ACCESS", "MODIFY", "ATTRIB", "CLOSE_WRITE", "CLOSE_NOWRITE", "OPEN", "MOVED_FROM", "MOVED_TO",
            "MOVE_SELF", "CREATE", "DELETE", "DELETE_SELF", "UNMOUNT",
        ])
    }

    @Test("every bit the kernel knows has exactly one name, and the single bits run in bit order")
    func everyBitOnce() {
        let names = Mask.nameTable.map(\.name)
        #expect(Set(names).count == names.count)
        let bits = Mask.namedBits.map(\.mask.rawValue)
        #expect(bits == bits.sorted())
        #expect(bits.reduce(0, |) == Mask.allKnownBits.rawValue)
        #expect(bits.count == Mask.allKnownBits.rawValue.nonzeroBitCount)
        #expect(Mask.namedGroups.map(\.name) == ["CLOSE", "MOVE", "ALL_EVENTS"])
    }
}
