import Inotify

/// What `inotify wait` and `inotify stats` share, as inotifywait and
/// inotifywatch do: the events, the timeout, recursion, symbolic links, the
/// path list and the patterns.
protocol SharedOptions {
    var events: Inotify.EventMask { get set }
    var timeout: Int { get set }
    var recursive: Bool { get set }
    var noDereference: Bool { get set }
    var fromFile: [UInt8]? { get set }
    var patterns: [Pattern] { get set }
    var gitIgnore: Bool { get set }
    var help: Bool { get set }
    var version: Bool { get set }
    /// inotify or fanotify: the command's default, then `-I`, `-F`, `-S`.
    var backend: Backend { get set }
    /// `-S`: a fanotify mark on the whole filesystem each path is on.
    var filesystem: Bool { get set }
    /// Whether a negative `-t` is inotify-tools 4's probe (fsnotifywait,
    /// fsnotifywatch) rather than an error.
    var negativeTimeoutProbes: Bool { get set }
}

/// The refusal of `--gitignore` alone, which both commands give.
let gitIgnoreConflict = "--gitignore cannot be specified without -r."

extension SharedOptions {
    /// Takes one of the shared options: false when `option` is not one of
    /// them; throws inotify-tools' refusal of its value.
    mutating func applyShared(_ option: GivenOption) throws(UsageError) -> Bool {
        switch option.key {
        case .help: help = true
        case .version: version = true
        case .recursive: recursive = true
        case .noDereference: noDereference = true
        // As inotify-tools 4: the last of -I and -F wins; -S asks for
        // fanotify too, and stays asked for after a later -I, which it then
        // has no meaning for.
        case .inotify: backend = .inotify
        case .fanotify: backend = .fanotify
        case .filesystem:
            filesystem = true
            backend = .fanotify
        case .timeout: timeout = try Timeout.parse(option.text, negativeProbes: negativeTimeoutProbes)
        case .event: events.formUnion(try EventList.parseOption(option.text))
        case .gitIgnore: gitIgnore = true
        case .fromFile:
            if fromFile != nil { throw UsageError("Multiple --fromfile options given.") }
            fromFile = option.argument
        default:
            guard let pattern = Pattern(option.key, option.argument ?? []) else { return false }
            patterns.append(pattern)
        }
        return true
    }

    /// Runs getopt over `arguments` with `command`'s table, taking the
    /// options in the order given, the shared ones here and the command's
    /// own through `own`, until one is refused or `--help` or `--version` comes (inotify-tools
    /// reads no further either). What comes after (getopt's own refusal,
    /// options that conflict) the caller checks, in its tool's order.
    mutating func takeOptions(
        _ command: Command, arguments: [[UInt8]],
        own: (inout Self, GivenOption) throws(UsageError) -> Void
    ) -> Result<Getopt.Outcome, UsageError> {
        let spec = CommandSpec.spec(command)
        backend = spec.backend
        negativeTimeoutProbes = spec.negativeTimeoutProbes
        var refusal: UsageError? = nil
        let outcome = Getopt.parse(arguments: arguments, table: GetoptTable(for: command)) { option in
            do throws(UsageError) {
                if try !applyShared(option) { try own(&self, option) }
            } catch {
                refusal = error
                return false
            }
            return !help && !version
        }
        if let refusal { return .failure(refusal) }
        return .success(outcome)
    }
}
