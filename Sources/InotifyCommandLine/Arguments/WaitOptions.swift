import Inotify

/// `inotify wait`'s options: inotifywait's, spelled and checked as it does,
/// and `--json` and `--null` beside them.
struct WaitOptions: SharedOptions, Sendable, Equatable {
    var events: Inotify.EventMask = []
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
    var version = false
    var backend = Backend.inotify
    var filesystem = false
    var negativeTimeoutProbes = false
    var operands: [[UInt8]] = []

    /// Parses and checks the arguments, as inotifywait does: options in the
    /// order given until one is refused, then what cannot go together, whose
    /// message follows getopt's if getopt refused an option.
    /// `command` is wait or its fanotify twin, whose default backend it takes.
    static func parse(
        program: String, arguments: [[UInt8]], command: Command = .wait
    ) -> ParsedArguments<WaitOptions> {
        var options = WaitOptions()
        let outcome: Getopt.Outcome
        switch options.takeOptions(command, arguments: arguments, own: { options, option throws(UsageError) in
            try options.applyOwn(option)
        }) {
        case .failure(let refusal): return .refused(refusal)
        case .success(let taken): outcome = taken
        }
        if options.help { return .help }
        if options.version { return .version }
        var lines: [[UInt8]] = []
        if case .failed(let error) = outcome { lines.append(error.message(program: program)) }
        if let conflict = options.conflict() { lines.append(Array(conflict.utf8)) }
        guard lines.isEmpty, case .finished(let operands) = outcome else { return .refused(UsageError(lines: lines)) }
        options.operands = operands
        return .run(options)
    }

    private mutating func applyOwn(_ option: GivenOption) throws(UsageError) {
        switch option.key {
        case .monitor: monitor = true
        case .quiet: quiet += 1
        case .csv: csv = true
        case .daemon: daemon = true; monitor = true; syslog = true
        case .syslog: syslog = true
        case .outFile:
            if outFile != nil { throw UsageError("Multiple --outfile options given.") }
            outFile = option.argument
        case .format: format = option.argument
        case .noNewline: noNewline = true
        case .timefmt: timefmt = option.text
        case .json: json = true
        case .null: null = true
        default: preconditionFailure("--\(option.key) is in wait's table but not taken")
        }
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
        if gitIgnore && !recursive { return gitIgnoreConflict }
        return nil
    }
}

extension Array where Element == UInt8 {
    func containsSubsequence(_ needle: [UInt8]) -> Bool {
        guard needle.count <= count else { return false }
        return (0...(count - needle.count)).contains { self[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
