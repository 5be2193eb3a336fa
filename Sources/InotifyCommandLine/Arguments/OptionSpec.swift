/// Which option a row of ``OptionSpec/table`` is: what the code that applies
/// options switches on. getopt_long hands back a code per option, which
/// ``GetoptTable`` maps to this.
enum OptionKey: Sendable, Hashable {
    case help, event, mask, monitor, quiet, timeout, verbose, zero, ascending, descending, recursive
    case csv, daemon, syslog, noDereference, inotify, fanotify, filesystem, format, noNewline, timefmt
    case fromFile, outFile, json, null, gitIgnore, exclude, excludei, include, includei, count
    case debounce, maxWait, noIgnore, stdin, onBusy, signal, stopTimeout, exitAfterRun, clear, postpone
    case version
}

/// Whether an option takes a value, getopt_long's `has_arg`, and the value's
/// name in help (`<events>`).
enum OptionArgument: Sendable, Hashable {
    /// `-m`, `--monitor`.
    case none
    /// `-e VALUE`, `-eVALUE`, `--event VALUE`, `--event=VALUE`.
    case required(String)
    /// `-xVALUE` or `--name=VALUE` only: a separate word is an operand.
    case optional(String)

    /// getopt_long's `has_arg`: `no_argument`, `required_argument` or
    /// `optional_argument`.
    var hasArg: Int32 {
        switch self {
        case .none: 0
        case .required: 1
        case .optional: 2
        }
    }

    /// The value's name; nil for an option without one.
    var valueName: String? {
        switch self {
        case .none: nil
        case .required(let name), .optional(let name): name
        }
    }
}

/// One command-line option, as plain data: how it is spelled, whether it
/// takes a value, which commands have it and what their help says of it,
/// and how inotify-tools spells it. getopt_long's tables and each command's
/// help are made from these rows (``GetoptTable``, ``HelpText``), so the two
/// cannot disagree.
struct OptionSpec: Sendable, Hashable {
    let key: OptionKey
    /// `--long`, without the dashes.
    let long: String
    /// `-s`, if the option has a short form.
    let short: Character?
    let argument: OptionArgument
    /// The commands that have the option, each with the option's help line
    /// there (a command counts events where another prints them), as the
    /// row gives them; ``help(for:)`` adds the twins
    /// (``CommandSpec/sharesOptionsOf``). Pairs, not a dictionary: a
    /// one-shot command reads a few rows once, and a dictionary keyed by an
    /// enum of this module costs the Swift runtime a search of every
    /// protocol conformance in the binary at start-up (Benchmarks/README).
    let ownHelp: [HelpLine]
    /// The spellings inotifywait and inotifywatch accept for the same option
    /// (`-t`, `--timeout`); empty for one of this tool's own.
    let inotifyTools: [String]

    /// A command and what its help says of the option.
    struct HelpLine: Sendable, Hashable {
        let command: Command
        let text: String
    }

    init(
        _ key: OptionKey, _ long: String, _ short: Character? = nil, _ argument: OptionArgument = .none,
        help: KeyValuePairs<Command, String>, inotifyTools: [String] = []
    ) {
        self.key = key
        self.long = long
        self.short = short
        self.argument = argument
        self.ownHelp = help.map { HelpLine(command: $0.key, text: $0.value) }
        self.inotifyTools = inotifyTools
    }

    /// The option's help line in `command`, nil if the command has no such
    /// option: the row's own, or for a command that shares another's
    /// options (fsnotifywait wait's) the other's, where the row does not
    /// say otherwise.
    func help(for command: Command) -> String? {
        if let own = ownHelp.first(where: { $0.command == command }) { return own.text }
        guard let twin = CommandSpec.spec(command).sharesOptionsOf else { return nil }
        return ownHelp.first { $0.command == twin }?.text
    }

    /// The commands the option belongs to, in ``Command`` order.
    var commands: [Command] { Command.allCases.filter { help(for: $0) != nil } }

    /// The program names it answers under: its commands' (`inotify wait`,
    /// `inotifywait`, ...).
    var programNames: [String] { commands.flatMap { CommandSpec.spec($0).programNames } }

    /// Its spellings, short first: `-e`, `--event`.
    var spellings: [String] {
        (short.map { ["-\($0)"] } ?? []) + ["--\(long)"]
    }
}
