/// `-c`: `watched,EVENTS,name` with inotifywait's quoting: a field is quoted
/// when it holds a quote, a comma or a newline, or starts or ends with a
/// space; quotes inside are doubled. An empty name leaves the last field empty.
/// A carriage return is quoted too, where inotifywait leaves it bare: a CSV
/// reader takes a bare one for the end of the line (a name ending in one
/// would lose it) or refuses the line.
enum CSVLine {
    static func append(_ event: EventLine, to out: inout [UInt8]) {
        appendField(event.watched, to: &out)
        out.append(UInt8(ascii: ","))
        var names: [UInt8] = []
        PrintedNames.append(event.mask, separator: UInt8(ascii: ","), to: &names)
        names.withUnsafeBytes { appendField($0, to: &out) }
        out.append(UInt8(ascii: ","))
        appendField(event.name, to: &out)
        out.append(0x0A)
    }

    static func appendField(_ field: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        guard let first = field.first, let last = field.last else { return }
        let quote = UInt8(ascii: "\"")
        let needsQuotes = first == 0x20 || last == 0x20
            || field.contains(where: { $0 == quote || $0 == UInt8(ascii: ",") || $0 == 0x0A || $0 == 0x0D })
        guard needsQuotes else {
            out.append(contentsOf: field)
            return
        }
        out.append(quote)
        for byte in field {
            if byte == quote { out.append(quote) }
            out.append(byte)
        }
        out.append(quote)
    }
}
