import Inotify

/// Event names as inotify-tools spells, orders and parses them: `CLOSE_WRITE,CLOSE`
/// rather than the library's `CLOSE_WRITE`, because scripts match on these strings.
enum EventNames {
    /// The order inotify-tools prints names in. CLOSE and MOVE_SELF come after
    /// IGNORED there, not in bit order, and CLOSE is added to either close.
    static let printed: [(name: [UInt8], bits: UInt32)] = [
        ("ACCESS", Inotify.IN_ACCESS),
        ("MODIFY", Inotify.IN_MODIFY),
        ("ATTRIB", Inotify.IN_ATTRIB),
        ("CLOSE_WRITE", Inotify.IN_CLOSE_WRITE),
        ("CLOSE_NOWRITE", Inotify.IN_CLOSE_NOWRITE),
        ("OPEN", Inotify.IN_OPEN),
        ("MOVED_FROM", Inotify.IN_MOVED_FROM),
        ("MOVED_TO", Inotify.IN_MOVED_TO),
        ("CREATE", Inotify.IN_CREATE),
        ("DELETE", Inotify.IN_DELETE),
        ("DELETE_SELF", Inotify.IN_DELETE_SELF),
        ("UNMOUNT", Inotify.IN_UNMOUNT),
        ("Q_OVERFLOW", Inotify.IN_Q_OVERFLOW),
        ("IGNORED", Inotify.IN_IGNORED),
        ("CLOSE", Inotify.IN_CLOSE),
        ("MOVE_SELF", Inotify.IN_MOVE_SELF),
        ("ISDIR", Inotify.IN_ISDIR),
        ("ONESHOT", Inotify.IN_ONESHOT),
    ].map { (Array($0.0.utf8), $0.1) }

    /// Names accepted by `-e`, case-insensitively: the printed ones and the groups.
    static let accepted: [(name: String, bits: UInt32)] =
        printed.map { (String(decoding: $0.name, as: UTF8.self), $0.bits) } + [
            ("MOVE", Inotify.IN_MOVE),
            ("ALL_EVENTS", Inotify.IN_ALL_EVENTS),
        ]

    /// Appends the names of `mask` joined by `separator`; bits without a name
    /// are left out, and a mask with no named bit is printed as `0x%08x`.
    static func append(_ mask: UInt32, separator: UInt8, to out: inout [UInt8]) {
        var first = true
        for entry in printed where mask & entry.bits != 0 {
            if !first { out.append(separator) }
            out.append(contentsOf: entry.name)
            first = false
        }
        if first {
            out.append(contentsOf: "0x".utf8)
            let digits = Array("0123456789abcdef".utf8)
            for shift in stride(from: 28, through: 0, by: -4) { out.append(digits[Int((mask >> UInt32(shift)) & 0xF)]) }
        }
    }

    static func string(_ mask: UInt32, separator: Character = ",") -> String {
        var bytes: [UInt8] = []
        append(mask, separator: separator.asciiValue ?? UInt8(ascii: ","), to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// One `-e` value: names separated by commas, any case. Nil if one is unknown.
    static func parse(_ text: String) -> UInt32? {
        var mask: UInt32 = 0
        // Empty names (`create,,delete`) are skipped, as inotify-tools skips them.
        for token in text.split(separator: ",") {
            let upper = token.uppercased()
            guard let entry = accepted.first(where: { $0.name == upper }) else { return nil }
            mask |= entry.bits
        }
        return mask
    }

    /// One `-e` value, or nil after inotify-tools' message for an unknown name.
    static func parseOption(_ text: String) -> UInt32? {
        guard let bits = parse(text) else {
            printError("'\(text)' is not a valid event!  Run with the '--help' option to see a list of events.")
            return nil
        }
        return bits
    }

    /// The one name of a single event bit (`-a`/`-d` of the stats table), any case.
    static func single(_ text: String) -> UInt32? {
        let upper = text.uppercased()
        return printed.first(where: { String(decoding: $0.name, as: UTF8.self) == upper })?.bits
    }
}
