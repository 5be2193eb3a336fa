import Inotify

/// `inotify stats`'s options: inotifywatch's, spelled and checked as it does.
struct StatsOptions: SharedOptions, Sendable, Equatable {
    var events: Inotify.EventMask = []
    /// Seconds; 0 runs until a signal.
    var timeout = 0
    var verbose = 0
    var zero = false
    var recursive = false
    var noDereference = false
    /// `-a` or `-d`; nil sorts by the total, descending.
    var sort: StatsTable.Sort? = nil
    var fromFile: [UInt8]? = nil
    var patterns: [Pattern] = []
    var gitIgnore = false
    var help = false
    var version = false
    var backend = Backend.inotify
    var filesystem = false
    var negativeTimeoutProbes = false
    var operands: [[UInt8]] = []

    /// Parses and checks the arguments, as inotifywatch does: options in the
    /// order given until one is refused, then getopt's refusal, then what
    /// cannot go together.
    /// `command` is stats or its fanotify twin, whose default backend it takes.
    static func parse(
        program: String, arguments: [[UInt8]], command: Command = .stats
    ) -> ParsedArguments<StatsOptions> {
        var options = StatsOptions()
        let outcome: Getopt.Outcome
        switch options.takeOptions(command, arguments: arguments, own: { options, option throws(UsageError) in
            try options.applyOwn(option)
        }) {
        case .failure(let refusal): return .refused(refusal)
        case .success(let taken): outcome = taken
        }
        if options.help { return .help }
        if options.version { return .version }
        if case .failed(let error) = outcome { return .refused(UsageError(lines: [error.message(program: program)])) }
        if let conflict = options.conflict() { return .refused(UsageError(conflict)) }
        guard case .finished(let operands) = outcome else { return .refused(UsageError(lines: [])) }
        options.operands = operands
        return .run(options)
    }

    private mutating func applyOwn(_ option: GivenOption) throws(UsageError) {
        switch option.key {
        case .verbose: verbose += 1
        case .zero: zero = true
        case .ascending, .descending:
            if sort != nil { throw UsageError("Please specify -a or -d once only!") }
            sort = try Self.sortKey(option.text, ascending: option.key == .ascending)
        default: preconditionFailure("--\(option.key) is in stats' table but not taken")
        }
    }

    /// The first option that cannot go with the others, in inotifywatch's words.
    func conflict() -> String? {
        let watched = events.isEmpty ? Inotify.EventMask.allEvents : events
        if case .event(let column) = sort?.key, column.isDisjoint(with: watched) {
            return "Can't sort by an event which isn't being watched for!"
        }
        if let conflict = Pattern.conflict(patterns) { return conflict }
        if gitIgnore && !recursive { return gitIgnoreConflict }
        return nil
    }

    private static func sortKey(_ text: String, ascending: Bool) throws(UsageError) -> StatsTable.Sort {
        switch text.lowercased() {
        case "total":
            return StatsTable.Sort(key: .total, ascending: ascending)
        case "move":
            throw UsageError("Cannot sort by `move' event; please use `moved_from' or `moved_to'.")
        case "close":
            throw UsageError("Cannot sort by `close' event; please use `close_write' or `close_nowrite'.")
        default:
            let upper = text.uppercased()
            guard let column = StatsTable.columns.first(where: { $0.name.uppercased() == upper }) else {
                throw UsageError("'\(text)' is not a valid key for sorting!")
            }
            return StatsTable.Sort(key: .event(column.mask), ascending: ascending)
        }
    }
}
