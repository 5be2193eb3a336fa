extension OptionSpec {
    /// Every option of every command, in one table. A command's getopt table
    /// keeps this order, which is the order getopt lists the candidates of an
    /// ambiguous abbreviation in (`--ex`: '--exclude' '--excludei'): among
    /// inotify-tools' options it is theirs, so those messages match. Help
    /// lists options in this order too.
    static let table: [OptionSpec] = [
        OptionSpec(
            .help, "help", "h",
            help: [
                .wait: "Print this help.", .stats: "Print this help.", .events: "Print this help.",
                .run: "Print this help.",
            ],
            inotifyTools: ["-h", "--help"]),
        OptionSpec(
            .event, "event", "e", .required("events"),
            help: [
                .wait: "Events to report: a comma-separated list of the names below, any case; repeatable "
                    + "(default: all).",
                .stats: "Events to count: a comma-separated list of the names below, any case; repeatable "
                    + "(default: all).",
                .run: "Events that are changes: a comma-separated list of the names below, any case; "
                    + "repeatable (default: what changes files: create, delete, moves, modify, close_write, "
                    + "attrib; never open or access, which the command itself causes).",
            ],
            inotifyTools: ["-e", "--event"]),
        OptionSpec(
            .mask, "mask", "e", .required("events"),
            help: [
                .events: "Events to watch: a comma-separated list of the names below, any case; repeatable "
                    + "(default: all_events)."
            ]),
        OptionSpec(
            .monitor, "monitor", "m",
            help: [
                .wait: "Keep printing events until --timeout passes or nothing is left to watch (without it: "
                    + "exit after the first event)."
            ],
            inotifyTools: ["-m", "--monitor"]),
        OptionSpec(
            .quiet, "quiet", "q",
            help: [
                .wait: "Do not print the set-up messages; -qq prints nothing at all.",
                .run: "Print no status line after a run, and no messages but errors.",
            ],
            inotifyTools: ["-q", "--quiet"]),
        OptionSpec(
            .timeout, "timeout", "t", .required("seconds"),
            help: [
                .wait: "Give up after <seconds> without an event (exit status 2); 0 waits forever.",
                .stats: "Stop after <seconds>; 0 runs until interrupted.",
                .fsnotifywait: "Give up after <seconds> without an event (exit status 2); 0 waits forever; a "
                    + "negative number sets up the watches, then exits 1: inotify-tools' probe of fanotify.",
                .fsnotifywatch: "Stop after <seconds>; 0 runs until interrupted; a negative number sets up the "
                    + "watches, then exits 1: inotify-tools' probe of fanotify.",
            ],
            inotifyTools: ["-t", "--timeout"]),
        OptionSpec(
            .verbose, "verbose", "v",
            help: [.stats: "Say more while setting up."],
            inotifyTools: ["-v", "--verbose"]),
        OptionSpec(
            .zero, "zero", "z",
            help: [.stats: "Show every event's column and every watched file, even those with only zeros."],
            inotifyTools: ["-z", "--zero"]),
        OptionSpec(
            .ascending, "ascending", "a", .required("event"),
            help: [.stats: "Sort by the count of <event> (or 'total'), ascending."],
            inotifyTools: ["-a", "--ascending"]),
        OptionSpec(
            .descending, "descending", "d", .required("event"),
            help: [.stats: "Sort by the count of <event> (or 'total'), descending (default: by total)."],
            inotifyTools: ["-d", "--descending"]),
        OptionSpec(
            .recursive, "recursive", "r",
            help: [
                .wait: "Watch every directory below the paths. Files made in new directories are reported, "
                    + "renamed directories report their new paths, and an overflow is followed by a rescan.",
                .stats: "Watch every directory below the paths.",
            ],
            inotifyTools: ["-r", "--recursive"]),
        OptionSpec(
            .csv, "csv", "c",
            help: [.wait: "Print events as CSV: watched,EVENTS,name."],
            inotifyTools: ["-c", "--csv"]),
        OptionSpec(
            .daemon, "daemon", "d",
            help: [.wait: "Like --monitor, in the background, appending to --outfile; implies --syslog."],
            inotifyTools: ["-d", "--daemon"]),
        OptionSpec(
            .syslog, "syslog", "s",
            help: [.wait: "Send messages to syslog instead of standard error."],
            inotifyTools: ["-s", "--syslog"]),
        OptionSpec(
            .noDereference, "no-dereference", "P",
            help: [
                .wait: "Watch symbolic links themselves, not what they point to.",
                .stats: "Watch symbolic links themselves, not what they point to.",
            ],
            inotifyTools: ["-P", "--no-dereference"]),
        OptionSpec(
            .inotify, "inotify", "I",
            help: [
                .wait: "Watch with inotify (the default): a watch on each path, with -r on each directory.",
                .stats: "Watch with inotify (the default): a watch on each path, with -r on each directory.",
                .fsnotifywait: "Watch with inotify instead of fanotify, as inotifywait does.",
                .fsnotifywatch: "Watch with inotify instead of fanotify, as inotifywatch does.",
            ],
            inotifyTools: ["-I", "--inotify"]),
        OptionSpec(
            .fanotify, "fanotify", "F",
            help: [
                .wait: "Watch with fanotify, as fsnotifywait does: a mark on each path; names come from the "
                    + "events' records.",
                .stats: "Watch with fanotify, as fsnotifywatch does: a mark on each path, a row per file.",
                .fsnotifywait: "Watch with fanotify (the default): a mark on each path; names come from the "
                    + "events' records.",
                .fsnotifywatch: "Watch with fanotify (the default): a mark on each path, a row per file.",
            ],
            inotifyTools: ["-F", "--fanotify"]),
        OptionSpec(
            .filesystem, "filesystem", "S",
            help: [
                .wait: "Watch the whole filesystem each path is on: a fanotify filesystem mark (implies -F; "
                    + "needs CAP_SYS_ADMIN).",
                .stats: "Count events on the whole filesystem each path is on: a fanotify filesystem mark "
                    + "(implies -F; needs CAP_SYS_ADMIN).",
            ],
            inotifyTools: ["-S", "--filesystem"]),
        OptionSpec(
            .format, "format", nil, .required("format"),
            help: [
                .wait: "Print events with a printf-like format: %w the watched path, %f the file name, "
                    + "%e the events (comma-separated), %Xe the events separated by X, %T the time "
                    + "(--timefmt), %c the cookie, %0 a NUL byte, %n a newline, %% a percent sign."
            ],
            inotifyTools: ["--format"]),
        OptionSpec(
            .noNewline, "no-newline",
            help: [.wait: "Do not add a newline after each --format line."],
            inotifyTools: ["--no-newline"]),
        OptionSpec(
            .timefmt, "timefmt", nil, .required("format"),
            help: [.wait: "The strftime(3) format of %T."],
            inotifyTools: ["--timefmt"]),
        OptionSpec(
            .fromFile, "fromfile", nil, .required("file"),
            help: [
                .wait: "Read paths to watch, one per line, from <file> ('-': standard input).",
                .stats: "Read paths to watch, one per line, from <file> ('-': standard input).",
            ],
            inotifyTools: ["--fromfile"]),
        OptionSpec(
            .outFile, "outfile", "o", .required("file"),
            help: [.wait: "Append events to <file> instead of printing them on standard output."],
            inotifyTools: ["-o", "--outfile"]),
        OptionSpec(
            .json, "json",
            help: [
                .wait: "Print one JSON object per event per line; names that are not UTF-8 are kept exactly "
                    + "in base64 fields. An overflow, a rescan, a watch's end, an unmount and an unwatched "
                    + "directory are records too, told by their \"notice\" key."
            ]),
        OptionSpec(
            .null, "null",
            help: [.wait: "Print each event's path (%w%f) followed by a NUL byte."]),
        OptionSpec(
            .gitIgnore, "gitignore",
            help: [
                .wait: "With -r: watch and report only what git does not ignore (.gitignore files, "
                    + ".git/info/exclude, the global excludes file); never .git.",
                .stats: "With -r: watch and count only what git does not ignore; never .git.",
            ]),
        OptionSpec(
            .exclude, "exclude", nil, .required("regex"),
            help: [
                .wait: "Do not report events whose path (%w%f) matches the POSIX extended regular "
                    + "expression <regex>; repeat to exclude several.",
                .stats: "Do not count events whose path matches <regex>; repeatable.",
                .run: "Leave out changes whose path matches <regex>; repeatable.",
            ],
            inotifyTools: ["--exclude"]),
        OptionSpec(
            .excludei, "excludei", nil, .required("regex"),
            help: [
                .wait: "Like --exclude, ignoring case.", .stats: "Like --exclude, ignoring case.",
                .run: "Like --exclude, ignoring case.",
            ],
            inotifyTools: ["--excludei"]),
        OptionSpec(
            .include, "include", nil, .required("regex"),
            help: [
                .wait: "Report only events whose path matches <regex> (one of them, if repeated).",
                .stats: "Count only events whose path matches <regex> (one of them, if repeated).",
                .run: "Take only changes whose path matches <regex> (one of them, if repeated).",
            ],
            inotifyTools: ["--include"]),
        OptionSpec(
            .includei, "includei", nil, .required("regex"),
            help: [
                .wait: "Like --include, ignoring case.", .stats: "Like --include, ignoring case.",
                .run: "Like --include, ignoring case.",
            ],
            inotifyTools: ["--includei"]),
        OptionSpec(
            .count, "count", "n", .required("count"),
            help: [.events: "Exit after <count> events."]),
        OptionSpec(
            .debounce, "debounce", nil, .required("duration"),
            help: [
                .run: "A batch of changes closes once the tree has been quiet this long (default 50ms). "
                    + "Durations: 50ms, 2s, 1.5s, 1m, or a number of milliseconds."
            ]),
        OptionSpec(
            .maxWait, "max-wait", nil, .required("duration"),
            help: [
                .run: "A batch closes at the latest this long after its first change, so that writing "
                    + "without pause still runs the command (default 1s). While a version control lock "
                    + "(.git/index.lock, .hg/wlock) exists, the batch waits for it, up to 30s."
            ]),
        OptionSpec(
            .noIgnore, "no-ignore",
            help: [
                .run: "Watch everything: by default what git ignores (.gitignore files, .git/info/exclude, "
                    + "the global excludes file) and .git itself are not watched."
            ]),
        OptionSpec(
            .stdin, "stdin",
            help: [
                .run: "Give the command the batch's changes on its standard input, as JSON lines (the "
                    + "records of inotify wait's JSON output); they are always in the file named by $INOTIFY_CHANGES."
            ]),
        OptionSpec(
            .onBusy, "on-busy", nil, .required("policy"),
            help: [
                .run: "When changes come while the command runs: queue (the default: run again once it ends, "
                    + "with every change meanwhile), restart (stop it and run again), signal (send it --signal), "
                    + "or do-nothing."
            ]),
        OptionSpec(
            .signal, "signal", nil, .required("signal"),
            help: [.run: "The signal that stops the command (restart, exit) or that --on-busy signal sends: "
                + "a name (TERM, INT, HUP, USR1...) or a number (default TERM)."]),
        OptionSpec(
            .stopTimeout, "stop-timeout", nil, .required("duration"),
            help: [.run: "How long a stopped command has to end before its whole process group is killed "
                + "(SIGKILL; default 10s)."]),
        OptionSpec(
            .exitAfterRun, "exit-after-run", "z",
            help: [.run: "Exit after the first run that changes started (the first after the one at start), "
                + "with the command's exit status (as entr -z)."]),
        OptionSpec(
            .clear, "clear", "c",
            help: [.run: "Clear the screen before each run."]),
        OptionSpec(
            .postpone, "postpone", "p",
            help: [.run: "Do not run the command at start: wait for the first batch of changes."]),
        // Last: inotify-tools has no --version, and getopt lists an
        // ambiguous abbreviation's candidates in table order.
        OptionSpec(
            .version, "version",
            help: [
                .wait: "Print the version and exit.", .stats: "Print the version and exit.",
                .events: "Print the version and exit.", .run: "Print the version and exit.",
            ]),
    ]

    /// The options of `command`, in table order.
    static func options(of command: Command) -> [OptionSpec] {
        table.filter { $0.help(for: command) != nil }
    }
}
