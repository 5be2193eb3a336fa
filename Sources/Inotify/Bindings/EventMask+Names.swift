// Masks to names and back, by the table in EventMask+NameTable.swift: what a
// person reading events wants first.

extension Inotify.EventMask: CustomStringConvertible {
    /// The set bits by name in bit order joined with `|` (`CREATE|ISDIR`); bits
    /// without a name follow in hex (`0x1000`); an empty mask is `0`.
    public var description: String {
        if isEmpty { return "0" }
        // Appended by hand: `joined(separator:)` is not specialized here,
        // and its first generic call costs more than the rest of a
        // one-shot command's start (the runtime's witness lookup).
        var text = ""
        var rest = rawValue
        for (name, bit) in Self.namedBits where contains(bit) {
            if !text.isEmpty { text += "|" }
            text += name
            rest &= ~bit.rawValue
        }
        if rest != 0 { text += (text.isEmpty ? "0x" : "|0x") + String(rest, radix: 16) }
        return text
    }
}

extension Inotify.EventMask {
    /// A name in a mask list that is not an event or flag name.
    public struct UnknownNameError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The name as it was given.
        public let name: String
        /// The names that would have been accepted.
        public let validNames: [String]

        /// `unknown inotify event name 'crate'; valid names (case-insensitive): access, ...`
        public var description: String {
            "unknown inotify event name '\(name)'; valid names (case-insensitive): "
                + validNames.map { $0.lowercased() }.joined(separator: ", ")
        }
    }

    /// Every name ``init(parsing:)`` accepts, single bits first.
    public static var validNames: [String] {
        namedBits.map(\.name) + namedGroups.map(\.name)
    }

    /// Parses a list of names such as `"create,close_write"` or `"CREATE|ISDIR"`.
    ///
    /// Names are case-insensitive, may carry the `IN_` prefix, and are separated by
    /// commas, `|` or spaces. `close`, `move` and `all_events` stand for their bits,
    /// as in inotifywait. Hex (`0x1000`) and `0` are accepted, so that every
    /// ``description`` parses back to the same mask.
    public init(parsing text: String) throws(UnknownNameError) {
        var mask = Inotify.EventMask()
        let separators: Set<Character> = [",", "|", " ", "\t"]
        for token in text.split(whereSeparator: { separators.contains($0) }) {
            mask.formUnion(try Self.mask(named: String(token)))
        }
        self = mask
    }

    private static func mask(named token: String) throws(UnknownNameError) -> Inotify.EventMask {
        var name = token.uppercased()
        if name.hasPrefix("IN_") { name.removeFirst(3) }
        if let entry = namedBits.first(where: { $0.name == name })
            ?? namedGroups.first(where: { $0.name == name })
        {
            return entry.mask
        }
        if name == "0" { return [] }
        if name.hasPrefix("0X"), let bits = UInt32(name.dropFirst(2), radix: 16) {
            return Inotify.EventMask(rawValue: bits)
        }
        throw UnknownNameError(name: token, validNames: validNames)
    }
}
