// Masks to names and back, by one table, as Inotify.EventMask does.

extension Fanotify.EventMask: CustomStringConvertible {
    /// The single bits with their names (the C constant's without `FAN_`), in bit order.
    public static let namedBits: [(name: String, mask: Fanotify.EventMask)] = [
        ("ACCESS", .access), ("MODIFY", .modify), ("ATTRIB", .attrib), ("CLOSE_WRITE", .closeWrite),
        ("CLOSE_NOWRITE", .closeNoWrite), ("OPEN", .open), ("MOVED_FROM", .movedFrom), ("MOVED_TO", .movedTo),
        ("CREATE", .create), ("DELETE", .delete), ("DELETE_SELF", .deleteSelf), ("MOVE_SELF", .moveSelf),
        ("OPEN_EXEC", .openExec), ("Q_OVERFLOW", .queueOverflow), ("FS_ERROR", .fsError),
        ("OPEN_PERM", .openPerm), ("ACCESS_PERM", .accessPerm), ("OPEN_EXEC_PERM", .openExecPerm),
        ("PRE_ACCESS", .preAccess), ("MNT_ATTACH", .mountAttach), ("MNT_DETACH", .mountDetach),
        ("EVENT_ON_CHILD", .eventOnChild), ("RENAME", .rename), ("ONDIR", .onDir),
    ]

    /// Names that stand for several bits; accepted when parsing.
    public static let namedGroups: [(name: String, mask: Fanotify.EventMask)] = [
        ("CLOSE", .close), ("MOVE", .move),
    ]

    /// The set bits by name in bit order joined with `|` (`CREATE|ONDIR`); bits
    /// without a name follow in hex (`0x2000`); an empty mask is `0`.
    public var description: String {
        if isEmpty { return "0" }
        var parts: [String] = []
        var rest = rawValue
        for (name, bit) in Self.namedBits where contains(bit) {
            parts.append(name)
            rest &= ~bit.rawValue
        }
        if rest != 0 { parts.append("0x" + String(rest, radix: 16)) }
        return parts.joined(separator: "|")
    }

    /// Parses a list of names such as `"create,ondir"` or `"CREATE|ONDIR"`:
    /// case-insensitive, with or without `FAN_`, separated by commas, `|` or
    /// spaces; `close` and `move` stand for their bits; hex (`0x2000`) and
    /// `0` are accepted, so that every ``description`` parses back. Throws
    /// ``Fanotify/Error`` (`EINVAL`) naming the valid names.
    public init(parsing text: String) throws(Fanotify.Error) {
        var mask = Fanotify.EventMask()
        let separators: Set<Character> = [",", "|", " ", "\t"]
        for token in text.split(whereSeparator: { separators.contains($0) }) {
            var name = token.uppercased()
            if name.hasPrefix("FAN_") { name.removeFirst(4) }
            if let entry = Self.namedBits.first(where: { $0.name == name }) ?? Self.namedGroups.first(where: { $0.name == name }) {
                mask.formUnion(entry.mask)
            } else if name.hasPrefix("0X"), let bits = UInt64(name.dropFirst(2), radix: 16) {
                mask.formUnion(Fanotify.EventMask(rawValue: bits))
            } else if name != "0" {
                throw Fanotify.Error(
                    .parse, errno: .invalidArgument, value: "'\(token)'",
                    advice: "Not a fanotify event name; valid names (case-insensitive): "
                        + (Self.namedBits + Self.namedGroups).map { $0.name.lowercased() }.joined(separator: ", "))
            }
        }
        self = mask
    }
}
