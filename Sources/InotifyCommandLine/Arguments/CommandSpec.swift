/// The subcommands of `inotify`. What each is called and how its help
/// begins is in ``CommandSpec``.
enum Command: String, CaseIterable, Sendable, Hashable {
    case wait, stats, events, run, fsnotifywait, fsnotifywatch
}

/// One command as plain data: the names it runs under and the parts of its
/// help that are not options. Its options are the rows of
/// ``OptionSpec/table`` that name it.
struct CommandSpec: Sendable {
    let command: Command
    /// `inotify wait`, and the tool it stands in for when a link is named so.
    let programNames: [String]
    /// Its line in `inotify --help`.
    let summary: String
    /// What follows the program name in the usage line.
    let usage: String
    let description: String
    /// Operands with a meaning of their own (`@path`), as help rows.
    let operands: [HelpRow]
    /// Whether help lists the names `-e` takes.
    let listsEventNames: Bool
    let exitStatuses: [HelpRow]
    /// The exit status after `--help`: inotifywait and inotifywatch exit 1.
    let helpStatus: Int32
    /// The command whose rows of the table it takes, where it is another's
    /// twin (fsnotifywait is inotifywait with fanotify as the default): a
    /// row's help for the twin is its help for this one, unless the row
    /// says otherwise.
    var sharesOptionsOf: Command? = nil
    /// What watches unless -I, -F or -S say otherwise.
    var backend = Backend.inotify
    /// Whether a negative -t sets up the watches and exits 1 (inotify-tools
    /// 4's probe of fanotify), rather than being refused.
    var negativeTimeoutProbes = false

    /// A name and its explanation, a line of help.
    struct HelpRow: Sendable {
        let name: String
        let text: String
    }

    /// The single-word program names: the links `inotify` answers to.
    var linkNames: [String] { programNames.filter { !$0.contains(" ") } }

    /// Every command, in ``Command`` order.
    static let all: [CommandSpec] = Command.allCases.map(spec)

    /// The data of `command`.
    static func spec(_ command: Command) -> CommandSpec {
        switch command {
        case .wait: wait
        case .stats: stats
        case .events: events
        case .run: run
        case .fsnotifywait: fsnotifywait
        case .fsnotifywatch: fsnotifywatch
        }
    }

    private static let wait = CommandSpec(
        command: .wait,
        programNames: ["inotify wait", "inotifywait"],
        summary: "Wait for events; a drop-in inotifywait (-r misses nothing)",
        usage: "[options] path... [@excluded-path...]",
        description: "Waits for events on the paths and prints them. Without -m it exits after the first event.",
        operands: [excludedPath],
        listsEventNames: true,
        exitStatuses: [
            HelpRow(name: "0", text: "an event asked for occurred"),
            HelpRow(name: "1", text: "an error, or an event not asked for occurred (the watch deleted or unmounted)"),
            HelpRow(name: "2", text: "--timeout passed without an event"),
        ],
        helpStatus: 1)

    private static let stats = CommandSpec(
        command: .stats,
        programNames: ["inotify stats", "inotifywatch"],
        summary: "Count events per file; a drop-in inotifywatch",
        usage: "[options] path... [@excluded-path...]",
        description: "Counts events per file until --timeout passes or it is interrupted (SIGINT, SIGTERM), "
            + "then prints a table. SIGUSR1 prints the table so far.",
        operands: [excludedPath],
        listsEventNames: true,
        exitStatuses: [
            HelpRow(name: "0", text: "the table was printed"),
            HelpRow(name: "1", text: "an error"),
        ],
        helpStatus: 1)

    private static let events = CommandSpec(
        command: .events,
        programNames: ["inotify events"],
        summary: "Print the raw kernel events as py-inotify prints them",
        usage: "[options] path...",
        description: "Prints every event the kernel sends for the paths, one per line, as py-inotify prints "
            + "them: Event(wd=1, mask=256, cookie=0, len=16, name='f'). Nothing is filtered, merged or "
            + "interpreted: IN_IGNORED, IN_UNMOUNT and IN_Q_OVERFLOW appear as they come.",
        operands: [],
        listsEventNames: true,
        exitStatuses: [],
        helpStatus: 0)

    private static let run = CommandSpec(
        command: .run,
        programNames: ["inotify run"],
        summary: "Run a command, and again each time the tree's changes settle",
        usage: "[options] [path...] -- command [argument...]",
        description: "Runs the command, then watches the paths (default: the current directory) recursively "
            + "and runs it again after each settled batch of changes: the net effect of a burst (an editor's "
            + "save is one change of the file; a git checkout is one batch). The command is run directly, "
            + "not by a shell, in a process group of its own. The batch's changes are in the file named by "
            + "$INOTIFY_CHANGES, as JSON lines (the records of inotify wait's JSON output). SIGINT, SIGTERM "
            + "and SIGHUP stop the command (as a restart does) and end the run; a line on standard error gives each run's exit status and duration.",
        operands: [HelpRow(name: "@<path>", text: "Do not watch <path>, nor anything below it.")],
        listsEventNames: true,
        exitStatuses: [
            HelpRow(name: "0", text: "every watched path is gone"),
            HelpRow(name: "1", text: "an error: bad arguments, a command that cannot be run, a path that cannot be watched"),
            HelpRow(name: "128+N", text: "ended by signal N (130 SIGINT, 143 SIGTERM, 129 SIGHUP), once the command is stopped"),
            HelpRow(name: "status", text: "with --exit-after-run: the command's own (128+N if signal N ended it)"),
        ],
        helpStatus: 0)

    private static let fsnotifywait = CommandSpec(
        command: .fsnotifywait,
        programNames: ["inotify fsnotifywait", "fsnotifywait"],
        summary: "Wait for events with fanotify; a drop-in fsnotifywait",
        usage: wait.usage,
        description: "Waits for events on the paths and prints them, as inotify wait does, with fanotify: a mark on "
            + "each path (-S: on the filesystem it is on), names from the events' own records. Without -m it exits "
            + "after the first event. -I watches with inotify instead.",
        operands: wait.operands,
        listsEventNames: true,
        exitStatuses: wait.exitStatuses,
        helpStatus: 1,
        sharesOptionsOf: .wait,
        backend: .fanotify,
        negativeTimeoutProbes: true)

    private static let fsnotifywatch = CommandSpec(
        command: .fsnotifywatch,
        programNames: ["inotify fsnotifywatch", "fsnotifywatch"],
        summary: "Count events per file with fanotify; a drop-in fsnotifywatch",
        usage: stats.usage,
        description: "Counts events per file until --timeout passes or it is interrupted (SIGINT, SIGTERM), then "
            + "prints a table, as inotify stats does, with fanotify: a mark on each path (-S: on the filesystem it "
            + "is on), a row per file. SIGUSR1 prints the table so far. -I watches with inotify instead.",
        operands: stats.operands,
        listsEventNames: true,
        exitStatuses: stats.exitStatuses,
        helpStatus: 1,
        sharesOptionsOf: .stats,
        backend: .fanotify,
        negativeTimeoutProbes: true)

    private static let excludedPath = HelpRow(
        name: "@<path>", text: "Do not watch <path> (with -r: nor anything below it).")

    /// The command a program name runs: a link named `inotifywait`, say.
    static func command(linkedAs name: String) -> Command? {
        all.first { $0.linkNames.contains(name) }?.command
    }
}
