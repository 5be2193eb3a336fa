import Inotify
import Synchronization
import SystemPackage

/// fanotify behind ``ChangeSource``: one filesystem mark for the whole tree,
/// however many directories it has, and the tree's directories known by file
/// handle (its engine, `FanotifyEngine`). No watch per directory, so no watch limit and
/// no window between a new directory and its watch: what happens in a
/// directory made a moment ago is reported like anything else.
///
/// Needs CAP_SYS_ADMIN (a filesystem mark), and a kernel that reports a
/// rename's two places and a target's handle (5.17). Renames are one event
/// (``Change/tracker`` is nil); the kernel's events are kept as each
/// change's raw record (``Change/Raw/fanotify(_:)``). What it does not do
/// (git's rules, following links) it refuses (``Unsupported``); with
/// ``TreeWatcher/SourceKind/automatic`` the inotify source does those.
/// A filesystem mounted in the tree after the start is not watched.
public struct FanotifySource: ChangeSource {
    /// The root as given.
    public let root: FilePath
    private let engine: FanotifyEngine
    private var stopped = false
    private let reading = InotifySource.ReadProgress()

    /// An option this source does not follow: named, with what to use instead.
    public struct Unsupported: Error, CustomStringConvertible, Sendable, Hashable {
        /// The option, as `TreeWatcher.Options` spells it.
        public let option: String
        /// `The fanotify source does not follow gitIgnore: use the inotify source`.
        public var description: String {
            "The fanotify source does not follow \(option): use the inotify source (SourceKind.inotify or .automatic)"
        }
    }

    /// The first option in `options` this source does not follow; nil when it follows them all.
    public static func unsupportedOption(in options: TreeWatcher.Options) -> Unsupported? {
        if options.gitIgnore { return Unsupported(option: "gitIgnore") }
        if options.followSymbolicLinks { return Unsupported(option: "followSymbolicLinks") }
        return nil
    }

    /// Marks the filesystem of `root` (and of any filesystem mounted below
    /// it) and lists the tree to learn its directories' handles, on a
    /// thread of its own: ready when it returns, and every change from then
    /// on reported. With ``TreeWatcher/Options/readyBeforeListing``, ready
    /// once the mark is made, in milliseconds whatever the tree's size, and
    /// listed by the first ``next()``. Throws ``Unsupported`` for an option it does not follow,
    /// `Fanotify.Error` where fanotify cannot be had (EPERM without
    /// CAP_SYS_ADMIN, EINVAL on a kernel without the reports it needs, a
    /// filesystem without file handles), `Inotify.Error` for a root that is
    /// missing or not a directory.
    public init(root: FilePath, options: TreeWatcher.Options = TreeWatcher.Options()) throws {
        if let unsupported = Self.unsupportedOption(in: options) { throw unsupported }
        let group = try Fanotify(flags: FanotifyEngine.groupFlags)
        do {
            if options.readyBeforeListing {
                engine = try FanotifyEngine(group: group, root: root, options: options, listing: false)
            } else {
                // Listed on a thread of its own: its opens and reads are
                // told apart by that thread's id, which no caller's can be.
                let built = try ScanThread.run {
                    HandOff(try FanotifyEngine(group: group, root: root, options: options, listing: true))
                }
                guard let engine = built.take() else { fatalError("the first listing's engine was taken twice") }
                self.engine = engine
            }
        } catch {
            Control(group: group, reading: InotifySource.ReadProgress()).stop()
            throw error
        }
        self.root = root
    }

    /// Closes the group: a read waiting in ``next()`` wakes, and the source ends.
    public struct Control: ChangeSourceControl {
        let group: Fanotify
        let reading: InotifySource.ReadProgress

        /// Closes the group, unless closed already.
        public func stop() {
            // close(2) releases the descriptor even when it reports an
            // error, and a source going away has no one to tell.
            guard !group.isClosed else { return }
            do { try group.close() } catch {}
        }

        /// Nothing queued in the kernel, and nothing read that the watcher
        /// has not been handed yet.
        public var isCaughtUp: Bool {
            guard !reading.inHand.load(ordering: .acquiring) else { return false }
            return (try? group.queuedByteCount()) ?? 0 == 0
        }
    }

    /// What closes the group from any thread.
    public var control: Control { Control(group: engine.group, reading: reading) }

    /// The filesystem marks it holds: one, plus one per other filesystem
    /// mounted in the tree.
    public var watchCount: Int { engine.marked.count }

    /// How many directories the tree has now, as the source knows them.
    public var directoryCount: Int { engine.tree.count }

    /// What the first listing could not list, then each read's changes; nil
    /// once the root is gone or the group was closed.
    public mutating func next() throws -> ChangeBatch? {
        try next(waitingAtMost: .seconds(3600))
    }

    /// ``next()``, with an empty batch when nothing came within `timeout`
    /// (tests drive a source on their own thread with it).
    mutating func next(waitingAtMost timeout: Duration) throws -> ChangeBatch? {
        reading.inHand.store(false, ordering: .releasing)
        if engine.needsFirstListing { engine.firstListing = engine.listFirst() }
        if let found = engine.firstListing {
            engine.firstListing = nil
            if !found.isEmpty { return ChangeBatch(found) }
        }
        if engine.needsRescan { return ChangeBatch(try rescan()) }
        if engine.finished || stopped { return nil }
        if !engine.backlog.isEmpty {
            reading.inHand.store(true, ordering: .releasing)
            let changes = engine.processBacklog()
            return ChangeBatch(changes, needsRescan: engine.needsRescan)
        }
        if (try? engine.group.queuedByteCount()) ?? 0 > 0 { reading.inHand.store(true, ordering: .releasing) }
        let events: [Fanotify.Event]
        do {
            events = try engine.group.readEvents(timeout: timeout)
            if !events.isEmpty { reading.inHand.store(true, ordering: .releasing) }
        } catch where engine.group.isClosed {
            stopped = true
            return nil
        }
        let queuedAfter = (try? engine.group.queuedEventCount()) ?? 0
        let changes = engine.process(events, queuedAfter: queuedAfter)
        return ChangeBatch(changes, needsRescan: engine.needsRescan)
    }

    /// Lists the tree again after an overflow, every directory known afresh
    /// by its handle; ends with `rescanned`.
    public mutating func rescan() throws -> [Change] {
        engine.rescan()
    }
}
