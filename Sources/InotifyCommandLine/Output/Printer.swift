/// How `inotify wait` prints an event: inotifywait's default line, a
/// `--format`, `-c` CSV, `--json`, or nothing (`-qq`).
enum Printer {
    case format(EventFormat, TimeFormatter?)
    case csv
    case json
    case nothing

    init(_ options: WaitOptions) {
        if options.quiet >= 2 {
            self = .nothing
        } else if options.json {
            self = .json
        } else if options.null {
            self = .format(EventFormat(parsing: Array("%w%f%0".utf8), newline: false), nil)
        } else if options.csv {
            self = .csv
        } else if let format = options.format {
            let parsed = EventFormat(parsing: format, newline: !options.noNewline)
            self = .format(parsed, parsed.usesTime ? TimeFormatter(format: options.timefmt ?? "") : nil)
        } else {
            self = .format(.standard, nil)
        }
    }

    mutating func append(_ event: EventLine, to out: inout [UInt8]) {
        switch self {
        case .format(let format, var time):
            let now = time?.now() ?? []
            format.append(event, time: now, to: &out)
            if time != nil { self = .format(format, time) }
        case .csv: CSVLine.append(event, to: &out)
        case .json: JSONLine.append(event, to: &out)
        case .nothing: break
        }
    }

    /// Whether notices are written: only `--json` has a place for them; the
    /// other formats are inotifywait's, whose lines stay as they were, and
    /// `-qq` promises nothing on standard output at all.
    var writesNotices: Bool {
        if case .json = self { return true }
        return false
    }

    /// A record about the stream itself (`--json` only), whatever was asked
    /// for and whatever the patterns say: a consumer needs every one to know
    /// when to resync.
    func appendNotice(_ event: EventLine, _ notice: Notice, to out: inout [UInt8]) {
        if case .json = self { JSONLine.append(event, notice: notice, to: &out) }
    }
}
