import Glibc
import Inotify
import InotifyTree
import Synchronization

/// `inotify wait`: inotifywait, drop-in; and with fanotify (`-F`, `-S`, or
/// called as fsnotifywait), fsnotifywait. Exit status 0 when an event asked
/// for came, 1 on error or when the event was one not asked for (the watch
/// deleted or unmounted), 2 on timeout.
enum WaitCommand {
    /// Runs as `command`: `wait`, or its fanotify twin `fsnotifywait`.
    static func run(program: String, arguments: [[UInt8]], command: Command = .wait) -> Int32 {
        let options: WaitOptions
        switch WaitOptions.parse(program: program, arguments: arguments, command: command) {
        case .run(let parsed): options = parsed
        case .help: return HelpText.show(command, program: program)
        case .version: return ProjectVersion.show(program: program)
        case .refused(let refusal): return refusal.report()
        }
        guard let filter = Pattern.filter(options.patterns) else { return 1 }
        let asked = options.events.isEmpty ? Inotify.EventMask.allEvents : options.events
        var mask = asked
        if options.monitor && options.recursive {
            // As inotifywait: the tree follows creations and renames.
            mask.formUnion([.create, .movedTo, .movedFrom])
        }
        let marks = FanotifyMarks(options)
        // As fsnotifywait: an event on a directory is one asked for.
        if marks != nil { mask.insert(.isDir) }
        guard let list = PathList.make(operands: options.operands, fromFile: options.fromFile) else { return 1 }
        guard !list.watch.isEmpty else {
            printError("No files specified to watch!")
            return 1
        }
        guard let output = OutputTarget.open(outFile: options.outFile, daemon: options.daemon) else { return 1 }
        let diagnostics = Diagnostics(syslog: options.syslog, identity: "inotifywait")
        // inotify-tools makes its instance, or its fanotify group, before it says anything.
        guard let group = FanotifyWatch.makeBackend(marks, diagnostics: diagnostics) else { return 1 }
        if options.quiet == 0 {
            if marks == .filesystem {
                diagnostics.say("Setting up filesystem watches.")
            } else {
                diagnostics.say(options.recursive
                    ? "Setting up watches.  Beware: since -r was given, this may take a while!"
                    : "Setting up watches.")
            }
        }
        if options.quiet < 2 { diagnostics.warnAboutProcFiles(list.watch) }
        let settings = Settings(
            options: options, asked: asked, mask: mask, descriptor: output, diagnostics: diagnostics,
            backend: marks == nil ? .inotify : .fanotify)
        if options.recursive && marks == nil && list.watch.contains(where: isDirectory) {
            guard let set = TreeWatchSet(roots: list.watch, mask: mask, excluded: list.exclude,
                                         gitIgnore: options.gitIgnore, diagnostics: diagnostics,
                                         noDereference: options.noDereference, source: options.treeSource)
            else { return 1 }
            if options.quiet == 0 { set.sayInotifyFallbacks(diagnostics) }
            if options.quiet == 0 { diagnostics.say("Watches established.") }
            if options.timeout < 0 { return Timeout.probeEnd() }
            return blockingAwait { await runTree(set, settings) }
        }
        let watch: any PathWatch
        if let group {
            guard let made = FanotifyWatch(group: group, paths: list.watch, mask: mask, filesystem: marks == .filesystem,
                                           noDereference: options.noDereference, diagnostics: diagnostics)
            else { return 1 }
            watch = made
        } else {
            guard let made = RawWatch(paths: list.watch, mask: mask, noDereference: options.noDereference,
                                      diagnostics: diagnostics)
            else { return 1 }
            watch = made
        }
        if options.quiet == 0 { diagnostics.say("Watches established.") }
        if options.timeout < 0 { return Timeout.probeEnd() }
        return runRaw(watch, filter, settings)
    }

    /// What the event loops need, fixed before they start.
    struct Settings: Sendable {
        let options: WaitOptions
        /// The events asked for: only these are printed.
        let asked: Inotify.EventMask
        /// The events watched (with -m -r, also what the tree needs).
        let mask: Inotify.EventMask
        let descriptor: CInt
        let diagnostics: Diagnostics
        /// What watches the paths (without -r).
        var backend = Backend.inotify
    }

    // MARK: Watching paths themselves

    private static func runRaw(_ watch: any PathWatch, _ filter: PathFilter, _ settings: Settings) -> Int32 {
        var printer = Printer(settings.options)
        var out = OutputBuffer(descriptor: settings.descriptor)
        var scratch: [UInt8] = []
        var status: Int32 = 0
        var writeFailed = false
        let stop = watch.run(
            timeout: Int64(settings.options.timeout) * 1000, restartsOnEvent: true, signals: nil,
            handle: { line in
                // A notice takes the place of the event's line, asked for or not.
                let notice = printer.writesNotices ? Notice(kernelMask: line.mask) : nil
                if let notice { printer.appendNotice(line, notice, to: &out.bytes) }
                if line.mask.contains(.queueOverflow) {
                    settings.diagnostics.say(Messages.overflow(recursive: false, backend: settings.backend))
                    // fanotify's overflow is a line in every format: with
                    // the kernel's records lost, it is all that says so.
                    if notice == nil && settings.backend == .fanotify { printer.append(line, to: &out.bytes) }
                    return true
                }
                guard filter.reports(watched: line.watched, name: line.name, scratch: &scratch) else { return true }
                if notice == nil && !line.mask.isDisjoint(with: settings.asked) { printer.append(line, to: &out.bytes) }
                guard settings.options.monitor else {
                    status = line.mask.isDisjoint(with: settings.mask) ? 1 : 0
                    return false
                }
                return true
            },
            batchEnd: {
                if let failure = out.flush() {
                    settings.diagnostics.say("Couldn't write events: \(errnoText(failure))")
                    writeFailed = true
                    return false
                }
                return true
            })
        if writeFailed { return 1 }
        switch stop {
        case .done: return status
        case .nothingLeft:
            if settings.options.quiet == 0 { settings.diagnostics.say(Messages.nothingLeft) }
            return 0
        case .timedOut: return 2
        case .signal, .failed: return 1
        }
    }

    // MARK: Watching trees

    private static func runTree(_ set: TreeWatchSet, _ settings: Settings) async -> Int32 {
        let status = ExitStatus()
        let sink = LineSink(descriptor: settings.descriptor)
        let stop = await set.run(timeout: settings.options.timeout, diagnostics: settings.diagnostics) {
            TreeWaitConsumer(settings: settings, sink: sink, status: status)
        }
        switch stop {
        case .done: return status.value.load(ordering: .relaxed)
        case .timedOut: return 2
        case .failed: return 1
        case .ended:
            if settings.options.quiet == 0 { settings.diagnostics.say(Messages.nothingLeft) }
            return settings.options.monitor ? 0 : 1
        }
    }
}

/// The exit status decided inside a task.
final class ExitStatus: Sendable {
    let value = Atomic<Int32>(0)
}

/// One root's changes printed as inotifywait -r prints its events.
struct TreeWaitConsumer: TreeConsumer {
    let settings: WaitCommand.Settings
    let sink: LineSink
    let status: ExitStatus
    var printer: Printer
    let filter: PathFilter
    var out: [UInt8] = []
    var scratch: [UInt8] = []
    var lines: TreeLines? = nil
    /// The root was deleted or unmounted: the end of its changes is its
    /// watch's end, even if the run closes the watchers meanwhile.
    var rootEnded = false
    var writeFailed = false

    init(settings: WaitCommand.Settings, sink: LineSink, status: ExitStatus) {
        self.settings = settings
        self.sink = sink
        self.status = status
        printer = Printer(settings.options)
        filter = Pattern.filter(settings.options.patterns) ?? PathFilter()
    }

    mutating func begin(_ lines: TreeLines) {
        self.lines = lines
    }

    mutating func consume(_ change: Change, root: [UInt8]) -> Bool {
        if lines == nil { lines = TreeLines(root: root) }
        switch change.kind {
        case .rootDeleted: rootEnded = true
        case .unmounted where change.path.isEmpty: rootEnded = true
        default: break
        }
        // A notice takes the place of the change's lines, asked for or not.
        var noticed = false
        if printer.writesNotices {
            lines!.forEachNotice(change) { line, notice in
                printer.appendNotice(line, notice, to: &out)
                noticed = true
            }
        }
        if settings.diagnostics.notice(change, root: root, verb: "Couldn't watch") { return true }
        var keepGoing = true
        lines!.forEachLine(change) { line in
            guard keepGoing, filter.reports(watched: line.watched, name: line.name, scratch: &scratch) else { return }
            if !noticed && !line.mask.isDisjoint(with: settings.asked) { printer.append(line, to: &out) }
            if !settings.options.monitor {
                status.value.store(line.mask.isDisjoint(with: settings.mask) ? 1 : 0, ordering: .relaxed)
                keepGoing = false
            }
        }
        return keepGoing
    }

    mutating func streamEnded(root: [UInt8], closed: Bool) {
        guard printer.writesNotices, rootEnded || !closed else { return }
        if lines == nil { lines = TreeLines(root: root) }
        lines!.withRootEnd { line, notice in printer.appendNotice(line, notice, to: &out) }
    }

    var bufferedBytes: Int { out.count }

    mutating func flush() {
        if let failure = sink.write(&out) {
            settings.diagnostics.say("Couldn't write events: \(errnoText(failure))")
            writeFailed = true
        }
    }
}
