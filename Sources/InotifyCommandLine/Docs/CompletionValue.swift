/// What an option's value completes to, in every shell's script: event
/// names, files, a few choices, or nothing (a value only the user knows).
enum CompletionValue: Sendable, Equatable {
    /// The option takes no value.
    case none
    /// Event names, a comma-separated list: the name after the last comma.
    case events
    /// One event name, or `total` (`--ascending`, `--descending`).
    case eventOrTotal
    /// A strftime(3) format: a few useful ones.
    case timeFormat
    /// A file.
    case path
    /// One of these words.
    case choices([String])
    /// Anything: a number, a duration, a regex, a format.
    case free

    /// The formats offered for `--timefmt`.
    static let timeFormats = ["%H:%M:%S", "%F %T", "%FT%T%z", "%s", "%T"]

    /// The names `-e` takes, as help lists them.
    static var eventNames: [String] { HelpText.eventNames }

    /// What `option`'s value completes to. Every key is named, so that a
    /// new option that takes a value is given its completion on purpose.
    static func of(_ option: OptionSpec) -> CompletionValue {
        if option.argument == .none { return .none }
        switch option.key {
        case .event, .mask: return .events
        case .ascending, .descending: return .eventOrTotal
        case .timefmt: return .timeFormat
        case .fromFile, .outFile: return .path
        case .onBusy: return .choices(RunOptions.OnBusy.allCases.map(\.rawValue))
        case .signal: return .choices(SignalName.names.map(\.name))
        case .timeout, .format, .exclude, .excludei, .include, .includei, .count, .debounce, .maxWait,
            .stopTimeout:
            return .free
        case .help, .monitor, .quiet, .verbose, .zero, .recursive, .csv, .daemon, .syslog, .noDereference,
            .inotify, .fanotify, .filesystem, .noNewline, .json, .null, .gitIgnore, .noIgnore, .stdin,
            .exitAfterRun, .clear, .postpone, .version:
            return .none
        }
    }
}
