import Glibc
import Inotify

/// A `--format` string, parsed once: `%w %f %e %Xe %T %c %0 %n %%`, as
/// inotifywait reads them.
struct EventFormat {
    enum Piece: Equatable {
        case literal([UInt8])
        case watched
        case name
        case events(separator: UInt8)
        case time
        case cookie
    }

    let pieces: [Piece]
    let usesTime: Bool

    /// inotifywait's line when no format is given.
    static let standard = EventFormat(pieces: [.watched, .literal([0x20]), .events(separator: UInt8(ascii: ",")),
                                               .literal([0x20]), .name, .literal([0x0A])])

    init(pieces: [Piece]) {
        self.pieces = pieces
        usesTime = pieces.contains(.time)
    }

    /// Parses `text`; `newline` adds the `\n` inotifywait appends unless
    /// `--no-newline` is given.
    init(parsing text: [UInt8], newline: Bool) {
        var pieces: [Piece] = []
        var literal: [UInt8] = []
        func flushLiteral() {
            if !literal.isEmpty { pieces.append(.literal(literal)); literal = [] }
        }
        var index = 0
        while index < text.count {
            let byte = text[index]
            guard byte == UInt8(ascii: "%"), index + 1 < text.count else {
                literal.append(byte)
                index += 1
                continue
            }
            let next = text[index + 1]
            index += 2
            switch next {
            case UInt8(ascii: "%"): literal.append(UInt8(ascii: "%"))
            case UInt8(ascii: "n"): literal.append(0x0A)
            case UInt8(ascii: "0"): literal.append(0)
            case UInt8(ascii: "w"): flushLiteral(); pieces.append(.watched)
            case UInt8(ascii: "f"): flushLiteral(); pieces.append(.name)
            case UInt8(ascii: "e"): flushLiteral(); pieces.append(.events(separator: UInt8(ascii: ",")))
            case UInt8(ascii: "T"): flushLiteral(); pieces.append(.time)
            case UInt8(ascii: "c"): flushLiteral(); pieces.append(.cookie)
            default:
                if index < text.count, text[index] == UInt8(ascii: "e") {
                    // %Xe: the event names separated by X.
                    flushLiteral()
                    pieces.append(.events(separator: next))
                    index += 1
                } else {
                    // Unknown: printed as written, as inotifywait does.
                    literal.append(UInt8(ascii: "%"))
                    literal.append(next)
                }
            }
        }
        if newline { literal.append(0x0A) }
        flushLiteral()
        self.init(pieces: pieces)
    }

    /// Appends the line for `event`; `time` is the `%T` text, made once per batch.
    func append(_ event: EventLine, time: [UInt8], to out: inout [UInt8]) {
        for piece in pieces {
            switch piece {
            case .literal(let bytes): out.append(contentsOf: bytes)
            case .watched: out.append(contentsOf: event.watched)
            case .name: out.append(contentsOf: event.name)
            case .events(let separator): PrintedNames.append(event.mask, separator: separator, to: &out)
            case .time: out.append(contentsOf: time)
            case .cookie: appendHex(event.cookie, to: &out)
            }
        }
    }
}

/// `%c`: the cookie in lowercase hex, as inotifywait prints it.
func appendHex(_ value: UInt32, to out: inout [UInt8]) {
    let digits = Array("0123456789abcdef".utf8)
    var shift = 28
    while shift > 0 && (value >> UInt32(shift)) & 0xF == 0 { shift -= 4 }
    while shift >= 0 {
        out.append(digits[Int((value >> UInt32(shift)) & 0xF)])
        shift -= 4
    }
}

func appendDecimal(_ value: UInt32, to out: inout [UInt8]) {
    if value == 0 { out.append(UInt8(ascii: "0")); return }
    var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    var count = 0
    var rest = value
    withUnsafeMutableBytes(of: &digits) { buffer in
        while rest > 0 {
            buffer[count] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
            count += 1
        }
        for index in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[index]) }
    }
}

/// `%T`: the time now through strftime(3) with the user's `--timefmt`.
struct TimeFormatter {
    let format: String
    private var lastSecond: time_t = -1
    private var lastText: [UInt8] = []

    init(format: String) {
        self.format = format
    }

    mutating func now() -> [UInt8] {
        let seconds = Syscalls.realTime().tv_sec
        if seconds == lastSecond { return lastText }
        var parts = Syscalls.localTime(seconds)
        var buffer = [CChar](repeating: 0, count: 512)
        // Called directly, not through the seam: strftime(3) only formats the
        // calendar time it is given, with no system call and no errno.
        let count = strftime(&buffer, buffer.count, format, &parts)
        lastSecond = seconds
        lastText = buffer[0..<count].map { UInt8(bitPattern: $0) }
        return lastText
    }
}
