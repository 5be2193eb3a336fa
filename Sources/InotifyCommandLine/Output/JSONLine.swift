import Inotify

/// `--json`: one object per event per line, always valid UTF-8. A path that
/// is not UTF-8 is shown with U+FFFD in its display field and kept exactly,
/// base64-encoded, in a `…Base64` field beside it; control characters are
/// escaped, so no name can break a line.
///
/// `{"watched":"d/","name":"f","path":"d/f","events":["CREATE"],"cookie":0,"time":1764120000.123456,"isDirectory":false}`
///
/// A record about the stream itself has the same keys, led by `notice`
/// (and `reason` for `unwatched`), so that one field tells it from an event:
///
/// `{"notice":"ignored","watched":"d/","name":"","path":"d/","events":["IGNORED"],"cookie":0,"time":1764120000.123456,"isDirectory":false}`
enum JSONLine {
    static func append(_ event: EventLine, notice: Notice? = nil, to out: inout [UInt8]) {
        var path = Array(event.watched)
        path.append(contentsOf: event.name)
        out.append(UInt8(ascii: "{"))
        if let notice {
            out.append(contentsOf: #""notice":""#.utf8)
            out.append(contentsOf: notice.kind.rawValue.utf8)
            out.append(contentsOf: #"","#.utf8)
            if let reason = notice.reason {
                appendString("reason", to: &out)
                out.append(UInt8(ascii: ":"))
                appendString(reason, to: &out)
                out.append(UInt8(ascii: ","))
            }
        }
        appendBytesField("watched", event.watched, to: &out)
        out.append(UInt8(ascii: ","))
        appendBytesField("name", event.name, to: &out)
        out.append(UInt8(ascii: ","))
        path.withUnsafeBytes { appendBytesField("path", $0, to: &out) }
        out.append(contentsOf: #","events":["#.utf8)
        var first = true
        PrintedNames.forEach(in: event.mask) { name in
            if !first { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: name)
            out.append(UInt8(ascii: "\""))
            first = false
        }
        out.append(contentsOf: #"],"cookie":"#.utf8)
        appendDecimal(event.cookie, to: &out)
        let now = Syscalls.realTime()
        out.append(contentsOf: #","time":"#.utf8)
        out.append(contentsOf: "\(now.tv_sec).".utf8)
        let micros = String(now.tv_nsec / 1000)
        out.append(contentsOf: String(repeating: "0", count: 6 - micros.count).utf8)
        out.append(contentsOf: micros.utf8)
        out.append(contentsOf: #","isDirectory":"#.utf8)
        let isDirectory = notice?.isDirectory ?? event.mask.contains(.isDir)
        out.append(contentsOf: (isDirectory ? "true" : "false").utf8)
        out.append(contentsOf: "}\n".utf8)
    }

    /// `"key":"text"`, and `"keyBase64":"..."` after it when the bytes are not UTF-8.
    static func appendBytesField(_ key: String, _ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        let valid = String(validating: bytes, as: UTF8.self) != nil
        appendString(key, to: &out)
        out.append(UInt8(ascii: ":"))
        appendString(String(decoding: bytes, as: UTF8.self), to: &out)
        if !valid {
            out.append(UInt8(ascii: ","))
            appendString(key + "Base64", to: &out)
            out.append(contentsOf: #":""#.utf8)
            Base64.append(bytes, to: &out)
            out.append(UInt8(ascii: "\""))
        }
    }

    static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case 0x0A: out.append(contentsOf: #"\n"#.utf8)
            case 0x0D: out.append(contentsOf: #"\r"#.utf8)
            case 0x09: out.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20, 0x7F:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
