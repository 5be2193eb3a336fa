/// inotifywatch's table: a row per watched path with a count per event, the
/// columns only for events that occurred (all with `-z`), sorted by one
/// column, widths and spacing as inotifywatch prints them.
struct StatsTable: Sendable {
    /// The columns, in inotifywatch's order, with the width it pads to.
    static let columns: [(name: String, bits: UInt32)] = [
        ("access", 0x1), ("modify", 0x2), ("attrib", 0x4), ("close_write", 0x8), ("close_nowrite", 0x10),
        ("open", 0x20), ("moved_from", 0x40), ("moved_to", 0x80), ("move_self", 0x800), ("create", 0x100),
        ("delete", 0x200), ("delete_self", 0x400), ("unmount", 0x2000),
    ]

    /// How to sort: by `bits` (0 for the total), ascending or not.
    struct Sort: Sendable {
        var bits: UInt32 = 0
        var ascending = false
    }

    struct Row: Sendable {
        let path: [UInt8]
        /// Order of first appearance: inotifywatch breaks ties by watch
        /// descriptor, which is the order watches were added.
        let order: Int
        var total: UInt32 = 0
        var counts = [UInt32](repeating: 0, count: StatsTable.columns.count)

        func count(_ bits: UInt32) -> UInt32 {
            if bits == 0 { return total }
            guard let index = StatsTable.columns.firstIndex(where: { $0.bits == bits }) else { return 0 }
            return counts[index]
        }
    }

    private(set) var rows: [Row] = []
    private var index: [[UInt8]: Int] = [:]

    /// A row for a watched path even before it has events (shown with `-z`).
    mutating func add(_ path: [UInt8]) {
        _ = rowIndex(path)
    }

    mutating func record(_ path: UnsafeRawBufferPointer, mask: UInt32) {
        let row = rowIndex(Array(path))
        rows[row].total &+= 1
        for (column, entry) in Self.columns.enumerated() where mask & entry.bits != 0 {
            rows[row].counts[column] &+= 1
        }
    }

    private mutating func rowIndex(_ path: [UInt8]) -> Int {
        if let existing = index[path] { return existing }
        rows.append(Row(path: path, order: rows.count))
        index[path] = rows.count - 1
        return rows.count - 1
    }

    var total: UInt32 { rows.reduce(0) { $0 &+ $1.total } }

    /// The table's bytes (paths exactly as they are); nil when nothing
    /// occurred ("No events occurred.").
    func render(events: UInt32, zero: Bool, sort: Sort) -> [UInt8]? {
        guard total > 0 else { return nil }
        let shown = Self.columns.indices.filter { column in
            let entry = Self.columns[column]
            return events & entry.bits != 0 && (zero || rows.contains { $0.counts[column] > 0 })
        }
        var header = "total  "
        for column in shown { header += Self.columns[column].name + "  " }
        header += "filename\n"
        var out = Array(header.utf8)
        let sorted = rows.filter { zero || $0.total > 0 }.sorted { left, right in
            let (a, b) = (left.count(sort.bits), right.count(sort.bits))
            if a == b { return left.order < right.order }
            return sort.ascending ? a < b : a > b
        }
        for row in sorted {
            var counts = Self.padded(row.total, to: 5)
            for column in shown { counts += Self.padded(row.counts[column], to: Self.columns[column].name.count) }
            out.append(contentsOf: counts.utf8)
            out.append(contentsOf: row.path)
            out.append(0x0A)
        }
        return out
    }

    /// `%-Nu` and two spaces.
    private static func padded(_ value: UInt32, to width: Int) -> String {
        let digits = String(value)
        return digits + String(repeating: " ", count: max(0, width - digits.count)) + "  "
    }
}
