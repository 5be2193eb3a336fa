import Glibc
import Inotify

/// `inotify run`'s options: what to watch, how changes settle, and how the
/// command is run. The command is everything after the first `--`.
struct RunOptions: Sendable, Equatable {
    /// What a batch that comes while the command runs does (`--on-busy`).
    enum OnBusy: String, Sendable, Equatable, CaseIterable {
        /// Run again once the command ends, with everything that changed
        /// meanwhile: no change is dropped.
        case queue
        /// Stop the command (its whole process group) and run it again.
        case restart
        /// Send the command `--signal`; do not run it again.
        case signal
        /// Nothing: the changes are dropped (and said to be, unless --quiet).
        case doNothing = "do-nothing"
    }

    /// Empty: the library's standard kinds (no opens, reads or closes
    /// without a write, which the command itself would cause).
    var events: Inotify.EventMask = []
    var patterns: [Pattern] = []
    var quiet = false
    var debounce: Duration = .milliseconds(50)
    var maxWait: Duration = .seconds(1)
    var ignoreFiles = true
    var changesOnStdin = false
    var onBusy = OnBusy.queue
    var signal: CInt = SIGTERM
    var stopTimeout: Duration = .seconds(10)
    var exitAfterRun = false
    var clear = false
    var postpone = false
    /// Paths as given (`@path` leaves one out); none watches `.`.
    var paths: [[UInt8]] = []
    /// The command and its arguments, as given.
    var command: [[UInt8]] = []

    /// The variable naming the file of the batch's changes, in the command's environment.
    static let changesVariable = "INOTIFY_CHANGES"

    static func parse(program: String, arguments: [[UInt8]]) -> ParsedArguments<RunOptions> {
        // The command is not parsed: split off at the first `--` before
        // getopt sees anything (getopt would move the operands around it).
        let separator = arguments.firstIndex(of: Array("--".utf8))
        let own = separator.map { Array(arguments[..<$0]) } ?? arguments
        var options = RunOptions()
        var help = false
        var version = false
        var refusal: UsageError? = nil
        let outcome = Getopt.parse(arguments: own, table: GetoptTable(for: .run)) { option in
            do throws(UsageError) {
                if option.key == .version { version = true } else { try options.apply(option, help: &help) }
            } catch {
                refusal = error
                return false
            }
            return !help && !version
        }
        if let refusal { return .refused(UsageError(lines: refusal.lines.map { Array("\(program): ".utf8) + $0 })) }
        if help { return .help }
        if version { return .version }
        switch outcome {
        case .finished(let operands): options.paths = operands
        case .failed(let error): return .refused(UsageError(lines: [error.message(program: program)]))
        case .stopped: return .refused(UsageError(lines: []))
        }
        if let conflict = Pattern.conflict(options.patterns) { return .refused(UsageError("\(program): \(conflict)")) }
        guard let separator else {
            return .refused(UsageError(
                "\(program): no command: give it after '--', as in '\(program) src -- make' (see --help)."))
        }
        options.command = Array(arguments[(separator + 1)...])
        guard let name = options.command.first, !name.isEmpty else {
            return .refused(UsageError(
                "\(program): no command after '--': give the command to run and its arguments there."))
        }
        return .run(options)
    }

    private mutating func apply(_ option: GivenOption, help: inout Bool) throws(UsageError) {
        switch option.key {
        case .help: help = true
        case .event: events.formUnion(try EventList.parseOption(option.text))
        case .quiet: quiet = true
        case .debounce: debounce = try DurationValue.parse(option.text, option: "debounce")
        case .maxWait: maxWait = try DurationValue.parse(option.text, option: "max-wait")
        case .stopTimeout: stopTimeout = try DurationValue.parse(option.text, option: "stop-timeout")
        case .noIgnore: ignoreFiles = false
        case .stdin: changesOnStdin = true
        case .onBusy:
            guard let policy = OnBusy(rawValue: option.text) else {
                throw UsageError("--on-busy: '\(option.text)' is not a policy: use "
                    + OnBusy.allCases.map(\.rawValue).joined(separator: ", ") + ".")
            }
            onBusy = policy
        case .signal: signal = try SignalName.parse(option.text)
        case .exitAfterRun: exitAfterRun = true
        case .clear: clear = true
        case .postpone: postpone = true
        default:
            guard let pattern = Pattern(option.key, option.argument ?? []) else {
                preconditionFailure("--\(option.key) is in run's table but not taken")
            }
            patterns.append(pattern)
        }
    }
}
