import Glibc
@_spi(Concurrency) import Inotify
import InotifyTree

/// `inotify run`'s loop, on the command's main thread: it sleeps in poll(2)
/// on the signals (SIGCHLD among them) and on the inbox of settled batches,
/// and decides what runs when. One thread owns every process and the
/// changes waiting for a run; the roots' tasks only hand batches in.
final class RunLoop {
    private let program: String
    private let options: RunOptions
    private let set: TreeWatchSet
    private let changes: ChangesFile
    private let inbox: BatchInbox
    private let signals: CInt
    private let diagnostics: Diagnostics
    private var lines: [[UInt8]: BatchLines] = [:]
    private let commandText: String

    /// The run going on, until its process has ended and been reaped.
    private var current: CommandProcess? = nil
    /// A process group being stopped (for a restart, or the end), until
    /// nothing of it is left: only then does the next run start.
    private var stopping: (process: CommandProcess, deadline: ContinuousClock.Instant, killed: Bool)? = nil
    /// The runs started by changes (not the one at the start), by process.
    private var runsAfterChanges = Set<pid_t>()
    /// What changed since the last run started: its JSON lines and count.
    private var pending: [UInt8] = []
    private var pendingCount = 0
    /// The roots whose changes have not ended.
    private var liveRoots: Int
    /// Set once the run is to end, with its exit status: it ends as soon
    /// as no process of its is left.
    private var exitStatus: Int32? = nil

    init(program: String, options: RunOptions, set: TreeWatchSet, filter: PathFilter, changes: ChangesFile,
         inbox: BatchInbox, signals: CInt, diagnostics: Diagnostics) {
        self.program = program
        self.options = options
        self.set = set
        self.changes = changes
        self.inbox = inbox
        self.signals = signals
        self.diagnostics = diagnostics
        for entry in set.watchers {
            lines[entry.root] = BatchLines(root: entry.root, isDirectory: !set.leaves.contains(entry.root), filter: filter)
        }
        liveRoots = set.watchers.count
        commandText = options.command.map(display).joined(separator: " ")
    }

    func run() -> Int32 {
        if !options.postpone { start(afterChanges: false) }
        while true {
            advance()
            if let exitStatus, stopping == nil, current == nil { return exitStatus }
            var fds = [pollfd(fd: signals, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: inbox.readEnd, events: Int16(POLLIN), revents: 0)]
            // While a group is being stopped, look again now and then: what
            // it left behind may be reaped by init, which tells this nothing.
            let timeout = stopping.map { stop in
                stop.killed ? 50 : min(50, Syscalls.milliseconds(until: stop.deadline))
            } ?? -1
            if case .failure(let errno) = fds.withUnsafeMutableBufferPointer({ Syscalls.poll($0, timeoutMilliseconds: timeout) }) {
                printError("\(program): poll: \(errnoText(errno.rawValue))")
                exitStatus = 1
                killAll()
                return 1
            }
            if fds[0].revents != 0 { takeSignal() }
            if fds[1].revents != 0 { takeBatches() }
            if let stop = stopping, !stop.killed, ContinuousClock.now >= stop.deadline {
                say("'\(commandText)' did not end within \(DurationValue.describe(options.stopTimeout)) of "
                    + "\(SignalName.describe(options.signal)): killing its process group (SIGKILL).")
                stop.process.signalGroup(SIGKILL)
                stopping?.killed = true
            }
        }
    }

    // MARK: What runs when

    /// Starts what is due: a run with the changes waiting once nothing runs,
    /// or, while the command runs, what --on-busy says.
    private func advance() {
        if let stop = stopping, !stop.process.groupIsAlive { stopping = nil }
        if exitStatus != nil {
            if let current, stopping == nil { beginStop(current) }
            return
        }
        guard pendingCount > 0 else { return }
        guard let current else {
            if stopping == nil { start(afterChanges: true) }
            return
        }
        guard stopping == nil else { return }
        switch options.onBusy {
        case .queue:
            break
        case .restart:
            say("\(pendingCount) \(pendingCount == 1 ? "change" : "changes"): restarting '\(commandText)'.")
            beginStop(current)
        case .signal:
            say("\(pendingCount) \(pendingCount == 1 ? "change" : "changes"): sending "
                + "\(SignalName.describe(options.signal)) to '\(commandText)'.")
            current.signalGroup(options.signal)
            clearPending()
        case .doNothing:
            say("\(pendingCount) \(pendingCount == 1 ? "change" : "changes") while '\(commandText)' runs: not run "
                + "(--on-busy do-nothing).")
            clearPending()
        }
    }

    /// A run with the changes waiting (none at the start, `afterChanges`
    /// false): the run that `--exit-after-run` ends on is the first after
    /// changes.
    private func start(afterChanges: Bool) {
        if let failure = changes.write(pending) {
            printError("\(program): couldn't write the changes file \(display(changes.path)): \(errnoText(failure))")
        }
        clearPending()
        var input: CInt? = nil
        if options.changesOnStdin {
            switch changes.openForReading() {
            case .success(let fd): input = fd
            case .failure(let errno):
                printError("\(program): couldn't open \(display(changes.path)): \(errnoText(errno.rawValue))")
            }
        }
        defer { if let input { _ = Syscalls.close(input) } }
        if options.clear {
            let clear = Array("\u{1b}[H\u{1b}[2J\u{1b}[3J".utf8)
            _ = clear.withUnsafeBytes { writeAll(1, $0) }
        }
        let name = RunOptions.changesVariable
        let environment = ProcessEnvironment.entries().filter { !$0.starts(with: Array("\(name)=".utf8)) }
            + [Array("\(name)=".utf8) + changes.path]
        switch CommandProcess.start(options.command, environment: environment, stdin: input) {
        case .success(let process):
            current = process
            if afterChanges { runsAfterChanges.insert(process.pid) }
        case .failure(let errno):
            printError("\(program): couldn't start '\(commandText)': \(errnoText(errno.rawValue))")
            if options.exitAfterRun && afterChanges { exitStatus = 127 }
        }
    }

    /// Sends the stop signal to the command's group; it is killed if
    /// anything of it is left after --stop-timeout.
    private func beginStop(_ process: CommandProcess) {
        process.signalGroup(options.signal)
        // A stopped process would not act on the signal until continued.
        if options.signal != SIGKILL && options.signal != SIGCONT { process.signalGroup(SIGCONT) }
        stopping = (process, ContinuousClock.now.advanced(by: options.stopTimeout), options.signal == SIGKILL)
    }

    /// At a second SIGINT or SIGTERM, or a failure: everything killed now.
    private func killAll() {
        guard let process = current ?? stopping?.process else { return }
        process.signalGroup(SIGKILL)
        stopping = (process, ContinuousClock.now, true)
    }

    private func clearPending() {
        pending.removeAll(keepingCapacity: true)
        pendingCount = 0
    }

    // MARK: What wakes the loop

    private func takeSignal() {
        guard case .success(let signal) = Syscalls.readSignal(signals) else { return }
        switch signal {
        case SIGCHLD:
            CommandProcess.reapAll { pid, status in
                current?.take(reaped: pid, status: status)
                stopping?.process.take(reaped: pid, status: status)
            }
            guard let process = current, process.hasEnded else { return }
            current = nil
            let stopped = stopping?.process === process
            if !options.quiet {
                let seconds = Double((ContinuousClock.now - process.started).components.attoseconds) / 1e18
                    + Double((ContinuousClock.now - process.started).components.seconds)
                say("'\(commandText)' \(process.endDescription) after \(formatSeconds(seconds))"
                    + (stopped && exitStatus == nil ? " (restarting)" : "") + ".")
            }
            let afterChanges = runsAfterChanges.remove(process.pid) != nil
            if options.exitAfterRun && afterChanges && !stopped && exitStatus == nil { exitStatus = process.exitStatus }
        default:
            // SIGINT, SIGTERM, SIGHUP: stop the command as a restart does,
            // then end; a second one does not wait.
            if exitStatus != nil {
                killAll()
                return
            }
            // The status a shell gives a process a signal ended.
            exitStatus = 128 + signal
            if current != nil {
                say("\(SignalName.describe(signal)): stopping '\(commandText)' (\(SignalName.describe(options.signal)) "
                    + "to its process group); another kills it at once.")
            }
        }
    }

    private func takeBatches() {
        for item in inbox.take() {
            switch item {
            case .batch(let root, let batch):
                for notice in batch.notices { _ = diagnostics.notice(notice, root: root, verb: "Couldn't watch") }
                if batch.needsResync && !options.quiet { say(Messages.rescanned(display(root))) }
                pendingCount += lines[root]?.append(batch, root: root, to: &pending) ?? 0
            case .ended(let root, let error):
                liveRoots -= 1
                if let error {
                    printError("\(program): \(display(root)): \(error)")
                    exitStatus = 1
                } else if liveRoots == 0 && exitStatus == nil {
                    say(Messages.nothingLeft)
                    exitStatus = 0
                }
            }
        }
    }

    private func say(_ message: String) {
        if !options.quiet { printError("\(program): \(message)") }
    }

    private func formatSeconds(_ seconds: Double) -> String {
        let milliseconds = Int((seconds * 1000).rounded())
        let fraction = String(milliseconds % 1000)
        return "\(milliseconds / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)s"
    }
}
