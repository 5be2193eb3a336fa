/// Reads CSV as RFC 4180 defines it, with a line ending in LF as well as
/// CRLF: fields separated by commas; a field in double quotes may hold any
/// byte, a quote written twice; a field without quotes holds no quote, comma,
/// CR or LF. Spaces are data. Anything else is nil: a stray quote, a quoted
/// field followed by more than a comma or a line end, a lone CR.
enum CSVReader {
    static func records(_ bytes: [UInt8]) -> [[[UInt8]]]? {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr: UInt8 = 0x0D, lf: UInt8 = 0x0A
        var records: [[[UInt8]]] = []
        var fields: [[UInt8]] = []
        var index = 0
        while index < bytes.count {
            var field: [UInt8] = []
            if bytes[index] == quote {
                index += 1
                while true {
                    guard index < bytes.count else { return nil }
                    if bytes[index] == quote {
                        if index + 1 < bytes.count && bytes[index + 1] == quote {
                            field.append(quote)
                            index += 2
                            continue
                        }
                        index += 1
                        break
                    }
                    field.append(bytes[index])
                    index += 1
                }
            } else {
                while index < bytes.count, ![quote, comma, cr, lf].contains(bytes[index]) {
                    field.append(bytes[index])
                    index += 1
                }
            }
            fields.append(field)
            // After a field: a comma and another field, or the end of the record.
            if index == bytes.count { break }
            switch bytes[index] {
            case comma:
                index += 1
                if index == bytes.count { fields.append([]) }
            case lf:
                index += 1
                records.append(fields)
                fields = []
            case cr where index + 1 < bytes.count && bytes[index + 1] == lf:
                index += 2
                records.append(fields)
                fields = []
            default:
                return nil
            }
        }
        if !fields.isEmpty { records.append(fields) }
        return records
    }
}
