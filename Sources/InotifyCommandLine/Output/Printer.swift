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
}
