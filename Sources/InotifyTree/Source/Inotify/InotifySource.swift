import Inotify
import Synchronization
import SystemPackage

/// inotify behind ``ChangeSource``: a watch on every directory of the tree,
/// kept exact by the tree engine (watch before list, reach by descriptor, a
/// listing supersedes what came before it; renames paired by cookie; git's
/// rules; an overflow reported, and the tree listed again when asked).
///
/// Making one watches the whole tree (on a thread of its own, whose working
/// directory is its own, so that watches are added by bare name): it is
/// ready when the initializer returns. Its changes carry the kernel's events
/// as their raw record (``Change/inotifyEvents``).
public struct InotifySource: ChangeSource {
    /// The root as given.
    public let root: FilePath
    private let engine: TreeEngine
    /// What the first scan had to report, until the first ``next()``.
    private var startup: [Change]?
    private var stopped = false
    private let reading = ReadProgress()

    /// Watches `root` and every directory below it (except those the options
    /// exclude). Throws `Inotify.Error` for a root that cannot be watched,
    /// and, with the `.fail` limit policy, when the watch limit is reached
    /// (the error names the directory and fs.inotify.max_user_watches).
    public init(root: FilePath, options: TreeWatcher.Options = TreeWatcher.Options()) throws {
        // The tree keeps its own table of watches (a parent and a name each).
        let inotify = try Inotify(flags: .closeOnExec, tracksPaths: false)
        let built: HandOff<TreeEngine>
        do {
            built = try ScanThread.run { HandOff(try TreeEngine(inotify: inotify, root: root, options: options)) }
        } catch {
            // Closed here, not whenever the last reference goes: the scan
            // thread may hold one a moment longer, outside the caller's view.
            Control(inotify: inotify, reading: ReadProgress()).stop()
            throw error
        }
        guard let engine = built.take() else { fatalError("the first scan's engine was taken twice") }
        self.root = root
        self.engine = engine
        startup = engine.startupChanges
    }

    /// Closes the inotify instance: a read waiting in ``next()`` wakes, and
    /// the source ends.
    public struct Control: ChangeSourceControl {
        /// Internal for tests, which compare its watches with the disk.
        let inotify: Inotify
        let reading: ReadProgress

        /// Closes the instance, unless closed already.
        public func stop() {
            // A failing close(2) still releases the descriptor on Linux, and a
            // source that is going away has no one to tell.
            guard !inotify.isClosed else { return }
            do { try inotify.close() } catch {}
        }

        /// Nothing queued in the kernel, and nothing read that the watcher
        /// has not been handed yet.
        public var isCaughtUp: Bool {
            guard !reading.inHand.load(ordering: .acquiring) else { return false }
            return (try? inotify.queuedByteCount()) ?? 0 == 0
        }
    }

    /// Whether the source holds events it read and has not handed over: set
    /// before a read when events are queued (after one when they came to a
    /// waiting read), cleared when the watcher asks for more, which it does
    /// once it has passed on the last batch.
    final class ReadProgress: Sendable {
        let inHand = Atomic<Bool>(false)
    }

    /// What closes its inotify instance from any thread.
    public var control: Control { Control(inotify: engine.watches.inotify, reading: reading) }

    /// One watch per directory.
    public var watchCount: Int { engine.tree.count }

    /// What the first scan found to report, then each read's changes (or
    /// none, when a pairing window or a retry is due); nil once the root's
    /// watch ended or the instance was closed.
    public mutating func next() throws -> ChangeBatch? {
        // Asked again: the watcher has passed on the last batch.
        reading.inHand.store(false, ordering: .releasing)
        if let startup {
            self.startup = nil
            if !startup.isEmpty { return ChangeBatch(startup) }
        }
        // Asked for and not done: done now, as the protocol has it done.
        if engine.needsRescan { return ChangeBatch(try engine.rescanAfterOverflow()) }
        if engine.finished || stopped { return nil }
        let timeout = engine.nextDeadline.map { ContinuousClock.now.duration(to: $0) } ?? .seconds(3600)
        let events: [Inotify.Event]
        // Events already queued are in hand from before the read on, so
        // that no moment shows them neither queued nor held (a lagging
        // reader goes from read to read with its queue never empty).
        if (try? engine.watches.queuedByteCount()) ?? 0 > 0 { reading.inHand.store(true, ordering: .releasing) }
        do {
            events = try engine.watches.read(timeout: max(timeout, .zero))
            if !events.isEmpty { reading.inHand.store(true, ordering: .releasing) }
        } catch let error as Inotify.Error where engine.watches.inotify.isClosed && error.errno == .badFileDescriptor {
            stopped = true  // stopped: a clean end
            return nil
        }
        let changes = try engine.process(events, now: .now)
        return ChangeBatch(changes, needsRescan: engine.needsRescan)
    }

    /// Lists the tree again after an overflow: watches added where missing,
    /// dropped where dead, git's rules read afresh; ends with `rescanned`.
    public mutating func rescan() throws -> [Change] {
        try engine.rescanAfterOverflow()
    }
}
