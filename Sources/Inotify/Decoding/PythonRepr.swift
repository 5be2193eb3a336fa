// Python's repr() of a str, so that Event.description prints what py-inotify
// prints. Bytes that do not decode as UTF-8 are shown as \xNN instead of
// being replaced, so that a description never hides which bytes a name had.

enum PythonRepr {
    static func string(_ bytes: UnsafeRawBufferPointer) -> String {
        let hasSingle = bytes.contains(UInt8(ascii: "'"))
        let hasDouble = bytes.contains(UInt8(ascii: "\""))
        let quote: Character = hasSingle && !hasDouble ? "\"" : "'"
        var out = String(quote)
        var index = 0
        while index < bytes.count {
            guard let (scalar, length) = decodeScalar(bytes, at: index) else {
                out += "\\x" + hex(UInt32(bytes[index]), digits: 2)
                index += 1
                continue
            }
            index += length
            out += escaped(scalar, quote: quote)
        }
        out.append(quote)
        return out
    }

    private static func escaped(_ scalar: Unicode.Scalar, quote: Character) -> String {
        switch scalar {
        case "\\": return "\\\\"
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        case _ where Character(scalar) == quote: return "\\" + String(quote)
        default: break
        }
        let value = scalar.value
        if value < 0x20 || value == 0x7F || (0x80..<0xA0).contains(value) {
            return "\\x" + hex(value, digits: 2)
        }
        if !isPrintable(scalar) {
            return value <= 0xFFFF ? "\\u" + hex(value, digits: 4) : "\\U" + hex(value, digits: 8)
        }
        return String(scalar)
    }

    /// Python's str.isprintable, close enough: separators and format,
    /// surrogate, private-use and unassigned characters are escaped.
    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return true }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned,
            .lineSeparator, .paragraphSeparator, .spaceSeparator:
            return false
        default:
            return true
        }
    }

    private static func decodeScalar(_ bytes: UnsafeRawBufferPointer, at start: Int) -> (Unicode.Scalar, Int)? {
        var iterator = bytes[start...].makeIterator()
        var decoder = UTF8()
        switch decoder.decode(&iterator) {
        case .scalarValue(let scalar):
            return (scalar, UTF8.width(scalar))
        case .emptyInput, .error:
            return nil
        }
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
