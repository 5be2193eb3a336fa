import Inotify

/// inotifywatch's table: a row per watched path with a count per event, the
/// columns only for events that occurred (all with `-z`), sorted by one
/// column, widths and spacing as inotifywatch prints them.
struct StatsTable: Sendable {
    /// The columns in inotifywatch's order, from the library's table of
    /// names; a column is as wide as its name.
    static let columns: [(name: String, mask: Inotify.EventMask)] =
        Inotify.EventMask.nameTable
        .compactMap { entry in entry.inotifywatchColumn.map { (column: $0, entry: entry) } }
        .sorted { $0.column < $1.column }
        .map { ($0.entry.name.lowercased(), $0.entry.mask) }

    /// How to sort: by a column or the total, ascending or not.
    struct Sort: Sendable, Equatable {
        enum Key: Sendable, Equatable {
            case total
            /// The column of this event.
            case event(Inotify.EventMask)
        }

        var key = Key.total
        var ascending = false
    }

    struct Row: Sendable {
        let path: [UInt8]
        /// Order of first appearance: inotifywatch breaks ties by watch
        /// descriptor, which is the order watches were added.
        let order: Int
        var total: UInt32 = 0
        var counts = [UInt32](repeating: 0, count: StatsTable.columns.count)

        func count(_ key: Sort.Key) -> UInt32 {
            guard case .event(let mask) = key else { return total }
            guard let index = StatsTable.columns.firstIndex(where: { $0.mask == mask }) else { return 0 }
            return counts[index]
        }
    }

    private(set) var rows: [Row] = []
    private var index: [[UInt8]: Int] = [:]

    /// A row for a watched path even before it has events (shown with `-z`).
    mutating func add(_ path: [UInt8]) {
        _ = rowIndex(path)
    }

    mutating func record(_ path: UnsafeRawBufferPointer, mask: Inotify.EventMask) {
        let row = rowIndex(Array(path))
        rows[row].total &+= 1
        for (column, entry) in Self.columns.enumerated() where mask.contains(entry.mask) {
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
    func render(events: Inotify.EventMask, zero: Bool, sort: Sort) -> [UInt8]? {
        guard total > 0 else { return nil }
        let shown = Self.columns.indices.filter { column in
            events.contains(Self.columns[column].mask) && (zero || rows.contains { $0.counts[column] > 0 })
        }
        var header = "total  "
        for column in shown { header += Self.columns[column].name + "  " }
        header += "filename\n"
        var out = Array(header.utf8)
        let sorted = rows.filter { zero || $0.total > 0 }.sorted { left, right in
            let (a, b) = (left.count(sort.key), right.count(sort.key))
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
