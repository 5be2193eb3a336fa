import Glibc
@_spi(Concurrency) import Inotify
import InotifyTree
import Synchronization

/// `inotify stats`: inotifywatch, drop-in; and with fanotify (`-F`, `-S`, or
/// called as fsnotifywatch), fsnotifywatch, a row per file. Counts events per
/// watched path until the timeout or SIGINT/SIGTERM/SIGHUP, then prints the
/// table; SIGUSR1 prints it without stopping.
enum StatsCommand {
    /// Runs as `command`: `stats`, or its fanotify twin `fsnotifywatch`.
    static func run(program: String, arguments: [[UInt8]], command: Command = .stats) -> Int32 {
        let options: StatsOptions
        switch StatsOptions.parse(program: program, arguments: arguments, command: command) {
        case .run(let parsed): options = parsed
        case .help: return HelpText.show(command, program: program)
        case .version: return ProjectVersion.show(program: program)
        case .refused(let refusal): return refusal.report()
        }
        guard let filter = Pattern.filter(options.patterns) else { return 1 }
        // Blocked before any thread starts, so that every thread inherits the
        // mask and the signals arrive only through the signalfd.
        let signals: CInt
        switch Syscalls.signalDescriptor(blocking: [SIGINT, SIGTERM, SIGHUP, SIGUSR1]) {
        case .success(let descriptor): signals = descriptor
        case .failure(let errno):
            printError("Couldn't set up signal handling: \(errnoText(errno.rawValue))")
            return 1
        }
        let events = options.events.isEmpty ? Inotify.EventMask.allEvents : options.events
        let marks = FanotifyMarks(options)
        guard let list = PathList.make(operands: options.operands, fromFile: options.fromFile) else { return 1 }
        guard !list.watch.isEmpty else {
            printError("No files specified to watch!")
            return 1
        }
        let diagnostics = Diagnostics(syslog: false, identity: "inotifywatch")
        guard let group = FanotifyWatch.makeBackend(marks, diagnostics: diagnostics) else { return 1 }
        diagnostics.say("Establishing watches...")
        diagnostics.warnAboutProcFiles(list.watch)
        let settings = Settings(options: options, events: events, signals: signals, diagnostics: diagnostics)
        if options.recursive && marks == nil && list.watch.contains(where: isDirectory) {
            if options.verbose > 0 { for root in list.watch { diagnostics.say("Setting up watch(es) on \(display(root))") } }
            guard let set = TreeWatchSet(roots: list.watch, mask: events, excluded: list.exclude,
                                         gitIgnore: options.gitIgnore, diagnostics: diagnostics,
                                         noDereference: options.noDereference, failureVerb: "Failed to watch",
                                         source: options.treeSource)
            else { return 1 }
            set.sayInotifyFallbacks(diagnostics)
            if options.verbose > 0 {
                for root in list.watch { diagnostics.say("OK, \(display(root)) is now being watched.") }
                diagnostics.say("Total of \(set.watchers.reduce(0) { $0 + $1.watcher.watchedDirectories }) watches.")
            }
            settings.announce()
            if options.timeout < 0 { return Timeout.probeEnd() }
            return blockingAwait { await runTree(set, list.watch, settings) }
        }
        let watch: any PathWatch
        if let group {
            if marks == .filesystem, let first = list.watch.first {
                diagnostics.say("Setting up filesystem watch on \(display(first))")
            }
            guard let made = FanotifyWatch(group: group, paths: list.watch, mask: events, filesystem: marks == .filesystem,
                                           noDereference: options.noDereference, diagnostics: diagnostics,
                                           failureVerb: "Failed to watch")
            else { return 1 }
            watch = made
        } else {
            guard let made = RawWatch(paths: list.watch, mask: events, noDereference: options.noDereference,
                                      diagnostics: diagnostics, failureVerb: "Failed to watch")
            else { return 1 }
            watch = made
        }
        if options.verbose > 0 { diagnostics.say("Total of \(watch.rows.count) watches.") }
        settings.announce()
        if options.timeout < 0 { return Timeout.probeEnd() }
        return runRaw(watch, filter, settings)
    }

    struct Settings: Sendable {
        let options: StatsOptions
        let events: Inotify.EventMask
        let signals: CInt
        let diagnostics: Diagnostics

        func announce() {
            diagnostics.say("Finished establishing watches, now collecting statistics.")
            if options.timeout > 0 && options.verbose > 0 {
                diagnostics.say("Will listen for events for \(options.timeout) seconds.")
            }
        }

        /// The table, or "No events occurred." on stderr; `extraNewline` after
        /// a table printed on SIGUSR1, as inotifywatch does. False when the
        /// table could not be written (said on stderr): the run's status is then 1.
        @discardableResult
        func printTable(_ table: StatsTable, extraNewline: Bool = false) -> Bool {
            guard var text = table.render(events: events, zero: options.zero, sort: options.sort ?? StatsTable.Sort())
            else {
                diagnostics.say("No events occurred.")
                return true
            }
            if extraNewline { text.append(0x0A) }
            if let failure = text.withUnsafeBytes({ writeAll(1, $0) }) {
                diagnostics.say("Couldn't write the table: \(errnoText(failure))")
                return false
            }
            return true
        }
    }

    // MARK: Watching paths themselves

    private static func runRaw(_ watch: any PathWatch, _ filter: PathFilter, _ settings: Settings) -> Int32 {
        var table = StatsTable()
        for path in watch.rows { table.add(path) }
        var scratch: [UInt8] = []
        var row: [UInt8] = []
        let deadline = settings.options.timeout > 0 ? Clock.now + Int64(settings.options.timeout) * 1000 : Int64.max
        while true {
            let left = deadline == Int64.max ? 0 : max(1, deadline - Clock.now)
            let stop = watch.run(
                timeout: left, restartsOnEvent: false, signals: settings.signals,
                handle: { line in
                    guard !line.mask.isDisjoint(with: settings.events),
                        filter.reports(watched: line.watched, name: line.name, scratch: &scratch)
                    else { return true }
                    if watch.countsPerFile {
                        // fsnotifywatch's row is the file's path, inotifywatch's the watch's.
                        row.removeAll(keepingCapacity: true)
                        row.append(contentsOf: line.watched)
                        row.append(contentsOf: line.name)
                        row.withUnsafeBytes { table.record($0, mask: line.mask) }
                    } else {
                        table.record(line.watched, mask: line.mask)
                    }
                    return true
                },
                batchEnd: { true })
            switch stop {
            case .signal(SIGUSR1):
                settings.printTable(table, extraNewline: true)
                continue
            case .failed:
                return 1
            case .done, .timedOut, .signal, .nothingLeft:
                return settings.printTable(table) ? 0 : 1
            }
        }
    }

    // MARK: Watching trees

    private static func runTree(_ set: TreeWatchSet, _ roots: [[UInt8]], _ settings: Settings) async -> Int32 {
        let shared = SharedTable()
        shared.table.withLock { table in
            for root in roots { table.add(set.lines(root).rootPrefix) }
        }
        // The signals are read on a thread of their own: the tasks below are
        // busy awaiting changes.
        let signals = settings.signals
        // A signal that cannot be read ends the run as a failure, as it does without -r.
        let signalFailure = ExitStatus()
        let started = Syscalls.spawnThread(named: "inotify-signals") {
            while true {
                switch Syscalls.readSignal(signals) {
                case .success(SIGUSR1):
                    let snapshot = shared.table.withLock { $0 }
                    settings.printTable(snapshot, extraNewline: true)
                case .success(0):
                    continue  // a read too short to be a signal
                case .success:
                    set.closeAll()
                    return
                case .failure(let errno):
                    // Signals stay blocked: without this thread none would end the run.
                    settings.diagnostics.say("Couldn't read a signal: \(errnoText(errno.rawValue))")
                    signalFailure.value.store(1, ordering: .relaxed)
                    set.closeAll()
                    return
                }
            }
        }
        if case .failure(let errno) = started {
            settings.diagnostics.say("Couldn't start the signal thread: \(errno)")
            return 1
        }
        let stop = await set.run(timeout: settings.options.timeout, restartsOnChange: false,
                                 diagnostics: settings.diagnostics) {
            TreeStatsConsumer(settings: settings, shared: shared)
        }
        if stop == .failed || signalFailure.value.load(ordering: .relaxed) != 0 { return 1 }
        return settings.printTable(shared.table.withLock { $0 }) ? 0 : 1
    }
}

/// The table the roots' tasks and the signal thread share.
final class SharedTable: Sendable {
    let table = Lock(StatsTable())
}

/// One root's changes counted per directory, as inotifywatch -r counts them per watch.
private struct TreeStatsConsumer: TreeConsumer {
    let settings: StatsCommand.Settings
    let shared: SharedTable
    let filter: PathFilter
    var scratch: [UInt8] = []
    var lines: TreeLines? = nil

    init(settings: StatsCommand.Settings, shared: SharedTable) {
        self.settings = settings
        self.shared = shared
        filter = Pattern.filter(settings.options.patterns) ?? PathFilter()
    }

    mutating func begin(_ lines: TreeLines) {
        self.lines = lines
    }

    mutating func consume(_ change: Change, root: [UInt8]) -> Bool {
        if settings.diagnostics.notice(change, root: root, verb: "Failed to watch") { return true }
        if lines == nil { lines = TreeLines(root: root) }
        let events = settings.events
        lines!.forEachLine(change) { line in
            guard !line.mask.isDisjoint(with: events),
                filter.reports(watched: line.watched, name: line.name, scratch: &scratch)
            else { return }
            shared.table.withLock { $0.record(line.watched, mask: line.mask) }
        }
        return true
    }

    mutating func flush() {}
}
