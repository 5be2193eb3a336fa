import Inotify

/// An event's names as inotifywait prints them (`%e`, CSV, JSON, the default
/// line): the library's table in its order, `CLOSE` beside either close.
enum PrintedNames {
    /// The names inotifywait prints, as bytes, made once from the library's
    /// table: a burst of events is printed without a conversion per name.
    private static let printed: [(name: [UInt8], mask: Inotify.EventMask)] =
        Inotify.EventMask.nameTable.filter { $0.inotifyTools == .printed }.map { (Array($0.name.utf8), $0.mask) }

    /// Calls `body` with each name `mask` has, in inotifywait's order.
    static func forEach(in mask: Inotify.EventMask, _ body: ([UInt8]) -> Void) {
        for entry in printed where !mask.isDisjoint(with: entry.mask) { body(entry.name) }
    }

    /// Appends the names of `mask` joined by `separator`; bits without a name
    /// are left out, and a mask with no named bit is printed as `0x%08x`.
    static func append(_ mask: Inotify.EventMask, separator: UInt8, to out: inout [UInt8]) {
        var first = true
        forEach(in: mask) { name in
            if !first { out.append(separator) }
            out.append(contentsOf: name)
            first = false
        }
        if first {
            out.append(contentsOf: "0x".utf8)
            let digits = Array("0123456789abcdef".utf8)
            for shift in stride(from: 28, through: 0, by: -4) {
                out.append(digits[Int((mask.rawValue >> UInt32(shift)) & 0xF)])
            }
        }
    }
}
