/// Strict RFC 4648 base64 with padding, read back: nil for a length that is
/// not a multiple of 4, a byte outside the alphabet, padding anywhere but at
/// the end, or bits set in the padding's place (one encoding per byte string).
enum Base64Decoding {
    static func decode(_ text: [UInt8]) -> [UInt8]? {
        guard text.count % 4 == 0 else { return nil }
        var out: [UInt8] = []
        var index = 0
        while index < text.count {
            let quad = Array(text[index..<(index + 4)])
            let last = index + 4 == text.count
            let padding = quad.reversed().prefix { $0 == UInt8(ascii: "=") }.count
            guard padding <= 2, last || padding == 0 else { return nil }
            var value: UInt32 = 0
            for byte in quad.prefix(4 - padding) {
                guard let digit = sextet(byte) else { return nil }
                value = value << 6 | digit
            }
            value <<= UInt32(6 * padding)
            let bytes = [UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
            // The bits padding stands in for must be zero.
            guard bytes.suffix(padding).allSatisfy({ $0 == 0 }) else { return nil }
            out += bytes.prefix(3 - padding)
            index += 4
        }
        return out
    }

    private static func sextet(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): UInt32(byte - UInt8(ascii: "A"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): UInt32(byte - UInt8(ascii: "a") + 26)
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0") + 52)
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: nil
        }
    }
}
