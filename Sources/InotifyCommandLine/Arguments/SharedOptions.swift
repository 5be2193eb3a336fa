/// What `inotify wait` and `inotify stats` share, as inotifywait and
/// inotifywatch do: the events, the timeout, recursion, symbolic links, the
/// path list and the patterns. Each command keeps its own option table (the
/// order of a table is the order getopt lists ambiguous abbreviations in).
protocol SharedOptions {
    var events: UInt32 { get set }
    var timeout: Int { get set }
    var recursive: Bool { get set }
    var noDereference: Bool { get set }
    var fromFile: [UInt8]? { get set }
    var patterns: [Pattern] { get set }
    var gitIgnore: Bool { get set }
    var help: Bool { get set }
}

/// The codes of the shared long-only options, the same in both tables.
enum SharedOptionCode {
    static let fromFile: Int32 = 300
    /// `--exclude`, `--excludei`, `--include`, `--includei`: this and the next three.
    static let patterns: Int32 = 301
    static let gitIgnore: Int32 = 305

    static let gitIgnoreOption = LongOption(name: "gitignore", takesArgument: false, code: gitIgnore)
    static let gitIgnoreConflict = "--gitignore cannot be specified without -r."
}

extension SharedOptions {
    /// Runs getopt over `arguments` and applies the options in the order
    /// given: the shared ones here, the command's own through `own` (false:
    /// refused, its message printed). Nil once one is refused; at -h it stops
    /// there with `help` set. What comes after (getopt's own failure, options
    /// that conflict) the caller checks, in its tool's order.
    mutating func applyOptions(
        program: String, arguments: [[UInt8]], short: String, long: [LongOption],
        own: (inout Self, _ code: Int32, _ argument: [UInt8]?) -> Bool
    ) -> Getopt.Parsed? {
        let parsed = Getopt.parse(program: program, arguments: arguments, short: short, long: long)
        for (code, argument) in parsed.options {
            if let taken = applyShared(code, argument) {
                guard taken else { return nil }
                if help { return parsed }
                continue
            }
            guard own(&self, code, argument) else { return nil }
        }
        return parsed
    }

    /// Takes one shared option: true when taken, false when refused (the
    /// message is printed), nil when `code` is not a shared option.
    mutating func applyShared(_ code: Int32, _ argument: [UInt8]?) -> Bool? {
        let text = argument.map { String(decoding: $0, as: UTF8.self) } ?? ""
        switch code {
        case Getopt.code("h"): help = true
        case Getopt.code("r"): recursive = true
        case Getopt.code("P"): noDereference = true
        // Accepted as inotify-tools 3.22 accepts them: -F and -S ask for
        // fanotify, which Debian's build (like this one) does not use.
        case Getopt.code("I"), Getopt.code("F"), Getopt.code("S"): break
        case Getopt.code("t"):
            guard let seconds = Timeout.parse(text) else { return false }
            timeout = seconds
        case Getopt.code("e"):
            guard let bits = EventNames.parseOption(text) else { return false }
            events |= bits
        case SharedOptionCode.gitIgnore: gitIgnore = true
        case SharedOptionCode.fromFile:
            if fromFile != nil {
                printError("Multiple --fromfile options given.")
                return false
            }
            fromFile = argument
        default:
            guard let pattern = Pattern.parse(code: code, base: SharedOptionCode.patterns, argument: argument) else {
                return nil
            }
            patterns.append(pattern)
        }
        return true
    }
}
