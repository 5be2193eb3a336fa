import CInotifyCommand
import Glibc
@_spi(Concurrency) import Inotify
import InotifyTree

/// `inotify run`: runs a command at start and again after each settled
/// batch of the tree's changes, as watchexec and entr do; the loop itself
/// is ``RunLoop``.
enum RunCommand {
    static func run(program: String, arguments: [[UInt8]]) -> Int32 {
        let options: RunOptions
        switch RunOptions.parse(program: program, arguments: arguments) {
        case .run(let parsed): options = parsed
        case .help: return HelpText.show(.run, program: program)
        case .version: return ProjectVersion.show(program: program)
        case .refused(let refusal): return refusal.report()
        }
        if let problem = CommandLookup.problem(options.command[0]) {
            printError("\(program): \(problem)")
            return 1
        }
        guard let filter = Pattern.filter(options.patterns) else { return 1 }
        // Blocked before any thread starts, so that every thread inherits the
        // mask and the signals arrive only through the signalfd; the command
        // is started with none blocked.
        let signals: CInt
        switch Syscalls.signalDescriptor(blocking: [SIGINT, SIGTERM, SIGHUP, SIGCHLD]) {
        case .success(let descriptor): signals = descriptor
        case .failure(let errno):
            printError("\(program): couldn't set up signal handling: \(errnoText(errno.rawValue))")
            return 1
        }
        // Without it the loop still works: what the command leaves behind is
        // then reaped by init, and a stop polls until its group is gone.
        _ = cic_become_subreaper()
        guard let list = PathList.make(operands: options.paths.isEmpty ? [Array(".".utf8)] : options.paths,
                                       fromFile: nil)
        else { return 1 }
        guard !list.watch.isEmpty else {
            printError("\(program): no paths to watch (each was left out with @).")
            return 1
        }
        let diagnostics = Diagnostics(syslog: false, identity: "inotify run")
        guard diagnostics.canMakeInstance() else { return 1 }
        guard let changes = ChangesFile(program: program) else { return 1 }
        // The changes file is written before each run: inside a watched
        // tree (TMPDIR in it, or /tmp watched), it would start the next run.
        let excluded = list.exclude + list.watch.compactMap { changes.directory(under: $0) }
        guard let set = TreeWatchSet(roots: list.watch, mask: mask(options.events), excluded: excluded,
                                     gitIgnore: options.ignoreFiles, diagnostics: diagnostics)
        else {
            changes.remove()
            return 1
        }
        if !options.quiet { diagnostics.say("\(program): watches established.") }
        guard let inbox = BatchInbox() else {
            printError("\(program): couldn't make a pipe: \(errnoText(errno))")
            changes.remove()
            set.closeAll()
            return 1
        }
        for entry in set.watchers {
            let batches = entry.watcher.settled(quiet: options.debounce, maxWait: options.maxWait)
            let root = entry.root
            Task {
                do {
                    for try await batch in batches { inbox.put(.batch(root: root, batch)) }
                    inbox.put(.ended(root: root, error: nil))
                } catch {
                    inbox.put(.ended(root: root, error: "\(error)"))
                }
            }
        }
        let loop = RunLoop(program: program, options: options, set: set, filter: filter, changes: changes,
                           inbox: inbox, signals: signals, diagnostics: diagnostics)
        let status = loop.run()
        set.closeAll()
        changes.remove()
        return status
    }

    /// The inotify events watched for `events` (`-e`); none asked: what
    /// changes files, and never opens or reads, which the command itself
    /// makes as it runs.
    static func mask(_ events: Inotify.EventMask) -> Inotify.EventMask {
        events.isEmpty ? [.create, .delete, .movedFrom, .movedTo, .modify, .closeWrite, .attrib] : events
    }
}
