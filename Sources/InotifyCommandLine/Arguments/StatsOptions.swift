/// `inotify stats`'s options: inotifywatch's, spelled and checked as it does.
struct StatsOptions: SharedOptions, Sendable {
    var events: UInt32 = 0
    /// Seconds; 0 runs until a signal.
    var timeout = 0
    var verbose = 0
    var zero = false
    var recursive = false
    var noDereference = false
    var sort = StatsTable.Sort()
    var fromFile: [UInt8]? = nil
    var patterns: [Pattern] = []
    var gitIgnore = false
    var help = false
    var operands: [[UInt8]] = []

    static let longOptions: [LongOption] = [
        LongOption(name: "help", takesArgument: false, code: Getopt.code("h")),
        LongOption(name: "event", takesArgument: true, code: Getopt.code("e")),
        LongOption(name: "timeout", takesArgument: true, code: Getopt.code("t")),
        LongOption(name: "verbose", takesArgument: false, code: Getopt.code("v")),
        LongOption(name: "zero", takesArgument: false, code: Getopt.code("z")),
        LongOption(name: "ascending", takesArgument: true, code: Getopt.code("a")),
        LongOption(name: "descending", takesArgument: true, code: Getopt.code("d")),
        LongOption(name: "recursive", takesArgument: false, code: Getopt.code("r")),
        LongOption(name: "no-dereference", takesArgument: false, code: Getopt.code("P")),
        LongOption(name: "inotify", takesArgument: false, code: Getopt.code("I")),
        LongOption(name: "fanotify", takesArgument: false, code: Getopt.code("F")),
        LongOption(name: "filesystem", takesArgument: false, code: Getopt.code("S")),
        LongOption(name: "fromfile", takesArgument: true, code: SharedOptionCode.fromFile),
        SharedOptionCode.gitIgnoreOption,
    ] + Pattern.longOptions(from: SharedOptionCode.patterns)

    /// Parses and checks the arguments; nil after printing why they are wrong.
    static func parse(program: String, arguments: [[UInt8]]) -> StatsOptions? {
        var options = StatsOptions()
        var sortGiven = false
        let parsed = options.applyOptions(
            program: program, arguments: arguments, short: "hrzvPIFSa:d:e:t:", long: longOptions
        ) { options, code, argument in
            switch code {
            case Getopt.code("v"): options.verbose += 1
            case Getopt.code("z"): options.zero = true
            case Getopt.code("a"), Getopt.code("d"):
                if sortGiven {
                    printError("Please specify -a or -d once only!")
                    return false
                }
                sortGiven = true
                let text = argument.map { String(decoding: $0, as: UTF8.self) } ?? ""
                guard let sort = sortKey(text, ascending: code == Getopt.code("a")) else { return false }
                options.sort = sort
            default: break
            }
            return true
        }
        guard let parsed else { return nil }
        if options.help { return options }
        if parsed.failed { return nil }
        let watched = options.events == 0 ? 0xFFF : options.events
        if options.sort.bits != 0 && options.sort.bits & watched == 0 {
            printError("Can't sort by an event which isn't being watched for!")
            return nil
        }
        if let conflict = Pattern.conflict(options.patterns) {
            printError(conflict)
            return nil
        }
        if options.gitIgnore && !options.recursive {
            printError(SharedOptionCode.gitIgnoreConflict)
            return nil
        }
        options.operands = parsed.operands
        return options
    }

    private static func sortKey(_ text: String, ascending: Bool) -> StatsTable.Sort? {
        switch text.lowercased() {
        case "total":
            return StatsTable.Sort(bits: 0, ascending: ascending)
        case "move":
            printError("Cannot sort by `move' event; please use `moved_from' or `moved_to'.")
            return nil
        case "close":
            printError("Cannot sort by `close' event; please use `close_write' or `close_nowrite'.")
            return nil
        default:
            guard let bits = EventNames.single(text), StatsTable.columns.contains(where: { $0.bits == bits }) else {
                printError("'\(text)' is not a valid key for sorting!")
                return nil
            }
            return StatsTable.Sort(bits: bits, ascending: ascending)
        }
    }
}
