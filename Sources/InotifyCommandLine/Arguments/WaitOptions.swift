/// `inotify wait`'s options: inotifywait's, spelled and checked as it does,
/// and `--json` and `--null` beside them.
struct WaitOptions: SharedOptions {
    var events: UInt32 = 0
    var monitor = false
    var quiet = 0
    /// Seconds; 0 waits forever.
    var timeout = 0
    var recursive = false
    var csv = false
    var daemon = false
    var syslog = false
    var format: [UInt8]? = nil
    var noNewline = false
    var timefmt: String? = nil
    var fromFile: [UInt8]? = nil
    var outFile: [UInt8]? = nil
    var patterns: [Pattern] = []
    var noDereference = false
    var json = false
    var null = false
    var gitIgnore = false
    var help = false
    var operands: [[UInt8]] = []

    private enum Code {
        static let format: Int32 = 256, timefmt: Int32 = 257, noNewline: Int32 = 259, json: Int32 = 260,
            null: Int32 = 261
    }

    static let longOptions: [LongOption] = [
        LongOption(name: "help", takesArgument: false, code: Getopt.code("h")),
        LongOption(name: "event", takesArgument: true, code: Getopt.code("e")),
        LongOption(name: "monitor", takesArgument: false, code: Getopt.code("m")),
        LongOption(name: "quiet", takesArgument: false, code: Getopt.code("q")),
        LongOption(name: "timeout", takesArgument: true, code: Getopt.code("t")),
        LongOption(name: "recursive", takesArgument: false, code: Getopt.code("r")),
        LongOption(name: "csv", takesArgument: false, code: Getopt.code("c")),
        LongOption(name: "daemon", takesArgument: false, code: Getopt.code("d")),
        LongOption(name: "syslog", takesArgument: false, code: Getopt.code("s")),
        LongOption(name: "no-dereference", takesArgument: false, code: Getopt.code("P")),
        LongOption(name: "inotify", takesArgument: false, code: Getopt.code("I")),
        LongOption(name: "fanotify", takesArgument: false, code: Getopt.code("F")),
        LongOption(name: "filesystem", takesArgument: false, code: Getopt.code("S")),
        LongOption(name: "format", takesArgument: true, code: Code.format),
        LongOption(name: "no-newline", takesArgument: false, code: Code.noNewline),
        LongOption(name: "timefmt", takesArgument: true, code: Code.timefmt),
        LongOption(name: "fromfile", takesArgument: true, code: SharedOptionCode.fromFile),
        LongOption(name: "outfile", takesArgument: true, code: Getopt.code("o")),
        LongOption(name: "json", takesArgument: false, code: Code.json),
        LongOption(name: "null", takesArgument: false, code: Code.null),
        SharedOptionCode.gitIgnoreOption,
    ] + Pattern.longOptions(from: SharedOptionCode.patterns)

    /// Parses and checks the arguments; nil after printing why they are wrong.
    static func parse(program: String, arguments: [[UInt8]]) -> WaitOptions? {
        var options = WaitOptions()
        let parsed = options.applyOptions(
            program: program, arguments: arguments, short: "hcdrsmqPIFSo:e:t:", long: longOptions
        ) { options, code, argument in
            switch code {
            case Getopt.code("m"): options.monitor = true
            case Getopt.code("q"): options.quiet += 1
            case Getopt.code("c"): options.csv = true
            case Getopt.code("d"): options.daemon = true; options.monitor = true; options.syslog = true
            case Getopt.code("s"): options.syslog = true
            case Getopt.code("o"):
                if options.outFile != nil { printError("Multiple --outfile options given."); return false }
                options.outFile = argument
            case Code.format: options.format = argument
            case Code.noNewline: options.noNewline = true
            case Code.timefmt: options.timefmt = argument.map { String(decoding: $0, as: UTF8.self) } ?? ""
            case Code.json: options.json = true
            case Code.null: options.null = true
            default: break
            }
            return true
        }
        guard let parsed else { return nil }
        if options.help { return options }
        if let conflict = options.conflict() {
            printError(conflict)
            return nil
        }
        if parsed.failed { return nil }
        options.operands = parsed.operands
        return options
    }

    /// The first pair of options that cannot go together, in inotifywait's words.
    func conflict() -> String? {
        if let conflict = Pattern.conflict(patterns) { return conflict }
        if format != nil && csv { return "-c and --format cannot both be specified." }
        if json && (csv || format != nil) { return "--json cannot be combined with -c or --format." }
        if null && (csv || format != nil || json) { return "--null cannot be combined with -c, --format or --json." }
        if format == nil && noNewline { return "--no-newline cannot be specified without --format." }
        if format == nil && timefmt != nil { return "--timefmt cannot be specified without --format." }
        if let format, format.containsSubsequence(Array("%T".utf8)), timefmt == nil {
            return "%T is in --format string, but --timefmt was not specified."
        }
        if daemon && outFile == nil { return "-o must be specified with -d." }
        if gitIgnore && !recursive { return SharedOptionCode.gitIgnoreConflict }
        return nil
    }
}

extension Array where Element == UInt8 {
    func containsSubsequence(_ needle: [UInt8]) -> Bool {
        guard needle.count <= count else { return false }
        return (0...(count - needle.count)).contains { self[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
