import Glibc
import Inotify
import SystemPackage

/// Turns kernel events into tree changes and keeps the watches true to the
/// tree. Synchronous and single-threaded: the watcher's own thread drives it.
///
/// `@unchecked Sendable` because it crosses threads twice, each time handed
/// over whole: the initializer of `TreeWatcher` has it built on a thread of
/// its own (``ScanThread``), takes it when that thread is done, hands it to
/// the watcher's thread, and never touches it again.
///
/// Never wrong about the tree, by three rules (the scan is in
/// `TreeEngine+Scan.swift`):
/// - **Watch before list**: a new directory is watched before it is listed,
///   so whatever appears in it is seen by the listing or reported by the kernel.
/// - **Reach by descriptor**: every directory is reached from its parent's
///   descriptor (the root's is held open), never by a path joined from names,
///   which can lead to another directory by the time it is used; a directory
///   reached through a path of the tree is checked to be the one the tree
///   holds (device and inode).
/// - **A listing supersedes what came before it** (``ListingLog``): entry
///   events of a directory queued before its latest listing are not applied,
///   and the listing's own events are not reported.
///
/// With `Options.gitIgnore`, what git ignores is out of its sight, and the
/// rules follow the tree as it changes (`TreeEngine+Ignore.swift`,
/// `TreeEngine+IgnoreWalk.swift`).
final class TreeEngine: @unchecked Sendable {
    let inotify: Inotify
    let root: FilePath
    /// The root as bytes, for the rare path that is given to the kernel whole.
    let rootBytes: PathBuffer
    let options: TreeWatcher.Options
    var tree = WatchTree()
    /// The root is gone (its IN_IGNORED arrived): nothing more can happen.
    private(set) var finished = false
    /// What the first scan had to report (directories it could not watch):
    /// the first changes the consumer sees.
    private(set) var startupChanges: [Change] = []

    struct PendingMove {
        let cookie: UInt32
        let parent: Int32
        let name: EventName
        let path: FilePath
        let isDirectory: Bool
        let event: Inotify.Event
        let deadline: ContinuousClock.Instant
        /// Ignored by git's rules where it was: the consumer never knew it.
        var ignored = false
        /// The directory the tree holds at the name was listed after this
        /// event: one that came there later, not the one that moved.
        var laterInTree = false
    }

    /// MOVED_FROM halves waiting for their MOVED_TO, oldest first.
    var pendingMoves: [PendingMove] = []
    /// Names reported by a scan of a new directory whose kernel CREATE may
    /// still be queued: that CREATE is the same creation, reported once.
    var scanned = Set<WatchTree.ChildKey>()
    static let scannedLimit = 65_536
    /// Watches whose filesystem was unmounted (IN_UNMOUNT seen), until their
    /// IN_IGNORED: each is in the table, and the kernel ends every one, so
    /// the set holds no more than the table does.
    private var unmounted = Set<Int32>()
    /// How many directories scans have listed: what the leaf test saves shows here.
    var listings = 0
    /// Where directories are listed, one at a time.
    let listingBuffer = UnsafeMutableRawBufferPointer.allocate(
        byteCount: Directory.listingBufferSize, alignment: 8)
    /// Whether watches are added through /proc/self/fd, exactly on the
    /// directory a descriptor holds; where procfs is missing, by whole path.
    /// (No descriptor is held between events: a directory held open is not
    /// freed when deleted, and its IN_DELETE_SELF and IN_IGNORED wait for the
    /// close, so a held root would never be seen to go.)
    var viaProc = true
    /// Where listings fall in the stream: what they supersede, and their own events.
    var log = ListingLog()
    /// Whether listings' own events can reach the watches at all (OPEN, ACCESS
    /// or CLOSE_NOWRITE asked for); when not, nothing is counted.
    let countsOwnEvents: Bool
    /// Bytes read from the kernel so far (every read reaches ``process``), and
    /// bytes processed: an event's position in the stream.
    var readBytes: UInt64 = 0
    private var processedBytes: UInt64 = 0
    /// Events read while a scan ran, so that a long listing cannot overflow the
    /// kernel's queue; they come before anything read after them.
    var backlog: [Inotify.Event] = []
    /// New directories whose parent could not be reached at its path yet: a
    /// rename of it, or above it, is still to be read. Tried again after each batch.
    var deferred: [DeferredWatch] = []
    /// Directories a listing found under a name other than the tree's (their
    /// rename not yet read) and moved there: their old place, until the
    /// rename's events come, which the listing has reported already.
    var relocatedFrom: [WatchTree.ChildKey: Int32] = [:]
    /// The tree before a rescan, while it runs: which watches the kernel had.
    var previousTree: WatchTree?
    /// git's ignore rules for the tree, with `Options.gitIgnore`
    /// (`TreeEngine+Ignore.swift`).
    var ignore: IgnoreRules?
    /// Parts of the tree whose ignore decisions may have changed, to be
    /// walked after the batch: out of reach when their rules changed (a
    /// rename above them still to be read), or renamed as a listing found.
    var reconsiderations: [Reconsideration] = []
    /// Walks done whose end the events read have not passed yet.
    var walked: [Walked] = []
    /// Names a walk reported (brought into sight, or out of it), by where
    /// it listed them: their entry events from before are superseded.
    var walkSuperseded: [WatchTree.ChildKey: UInt64] = [:]
    /// While the rules change under the events (a walk due or not yet
    /// passed), what the consumer was last told of a name: in sight (made,
    /// moved there, brought into sight by a walk) or not (deleted, moved
    /// away, out of sight). Where it holds a name, that, not the rules of
    /// before, says what the consumer has.
    var consumerKnows: [WatchTree.ChildKey: Bool] = [:]
    /// Directories a reporting scan listed while the rules changed: what
    /// they held was reported by the rules of then, not of before.
    var listedWhileChanging: [Int32: UInt64] = [:]
    /// The problems reported for each directory's `.gitignore`, by the
    /// directory's path, and for the files that apply to the whole tree.
    var reportedProblems: [FilePath: [IgnoreProblem]] = [:]
    var reportedTreeWideProblems = Set<IgnoreProblem>()

    struct DeferredWatch {
        let parent: Int32
        let name: EventName
        var attempts = 0
    }

    /// What every directory watch asks for: the events the tree's structure
    /// needs, plus those the user wants reported.
    var directoryMask: Inotify.EventMask {
        var mask = options.events.union([.create, .movedFrom, .movedTo, .delete, .onlyDir])
        if !options.followSymbolicLinks { mask.insert(.dontFollow) }
        // A .gitignore written in place changes the rules.
        if options.gitIgnore { mask.insert(.closeWrite) }
        return mask
    }

    /// The root's own deletion and move end or change the watcher; a root
    /// given as a link is followed, as the path was meant.
    var rootMask: Inotify.EventMask { directoryMask.union([.deleteSelf, .moveSelf]).subtracting(.dontFollow) }

    deinit {
        listingBuffer.deallocate()
    }

    init(inotify: Inotify, root: FilePath, options: TreeWatcher.Options) throws {
        self.inotify = inotify
        self.root = root
        self.rootBytes = PathBuffer(root)
        self.options = options
        countsOwnEvents = !options.events.isDisjoint(with: ListingLog.listingEvents)
        readIgnoreRules(&startupChanges)
        try watchRoot(first: true, &startupChanges)
    }

    // MARK: Events

    func process(_ events: [Inotify.Event], now: ContinuousClock.Instant) throws -> [Change] {
        var out: [Change] = []
        readBytes += Self.size(of: events)
        let batch = backlog.isEmpty ? events : backlog + events
        backlog = []
        try handle(batch, now: now, &out)
        try retryDeferred(&out)
        try flushExpiredMoves(now: now, &out)
        return out
    }

    /// When the engine must run again without a new event: at once for events
    /// read during a scan, soon for directories to watch once reachable, at
    /// the oldest unpaired MOVED_FROM's deadline; nil if none.
    var nextDeadline: ContinuousClock.Instant? {
        if !backlog.isEmpty { return .now }
        let retry: ContinuousClock.Instant? = deferred.isEmpty && reconsiderations.isEmpty
            ? nil : .now.advanced(by: .milliseconds(5))
        switch (retry, pendingMoves.first?.deadline) {
        case let (retry?, move?): return min(retry, move)
        case let (retry, move): return retry ?? move
        }
    }

    static func size(of events: [Inotify.Event]) -> UInt64 {
        events.reduce(0) { $0 + 16 + UInt64($1.len) }
    }

    /// Reports unpaired MOVED_FROMs whose window has passed, but only once the
    /// kernel holds nothing more: a MOVED_TO still queued, behind a long
    /// listing, would otherwise be taken for a move into the tree.
    func flushExpiredMoves(now: ContinuousClock.Instant, _ out: inout [Change]) throws {
        while let first = pendingMoves.first, first.deadline <= now {
            let more = try inotify.readEvents(timeout: .zero)
            if !more.isEmpty {
                readBytes += Self.size(of: more)
                try handle(more, now: now, &out)
                continue
            }
            pendingMoves.removeFirst()
            try movedOut(first, &out)
        }
    }

    /// Handles `events`, then what scans among them read meanwhile, which
    /// came after them, until nothing read is left.
    private func handle(_ events: [Inotify.Event], now: ContinuousClock.Instant, _ out: inout [Change]) throws {
        var batch = events
        while true {
            for event in batch { try handleInOrder(event, now: now, &out) }
            // Once what has been read is handled: the walks the rules' changes need.
            if backlog.isEmpty { try reconsiderPending(&out) }
            if backlog.isEmpty { return }
            batch = backlog
            backlog = []
        }
    }

    private func handleInOrder(_ event: Inotify.Event, now: ContinuousClock.Instant, _ out: inout [Change]) throws {
        let position = processedBytes
        processedBytes += 16 + UInt64(event.len)
        log.passed(position)
        if !walked.isEmpty { passedWalks(position) }
        if countsOwnEvents, log.isOwn(event, at: position) { return }
        try handle(event, position: position, now: now, &out)
    }

    private static let entryEvents: Inotify.EventMask = [.create, .delete, .movedFrom, .movedTo]

    private func handle(_ event: Inotify.Event, position: UInt64, now: ContinuousClock.Instant, _ out: inout [Change]) throws {
        try handleEvent(event, position: position, now: now, &out)
        // A .gitignore changed: the rules change here, once the event itself is handled.
        if ignore != nil, event.hasName, !event.mask.isDisjoint(with: Self.ignoreFileEvents),
           event.storedName == Self.ignoreFileName, let directory = tree.cachedPath(of: event.wd)
        {
            try ignoreFileChanged(in: event.wd, directory: directory, &out)
        }
    }

    private func handleEvent(_ event: Inotify.Event, position: UInt64, now: ContinuousClock.Instant, _ out: inout [Change]) throws {
        if event.mask.contains(.queueOverflow) {
            out.append(Change(.overflow, path: FilePath(), root: root, isDirectory: true, events: [event]))
            try rescan(&out)
            out.append(Change(.rescanned, path: FilePath(), root: root, isDirectory: true))
            return
        }
        if event.mask.contains(.ignored) {
            let wasUnmounted = unmounted.remove(event.wd) != nil
            if tree.contains(event.wd) { try watchEnded(event.wd, unmounted: wasUnmounted, &out) }
            return
        }
        // Paths are made only for what needs one: a directory made and deleted
        // over and over sends DELETE_SELF to a new wd each time, and needs none.
        if event.mask.contains(.unmount) {
            guard let directory = tree.cachedPath(of: event.wd) else { return }
            unmounted.insert(event.wd)
            report(.unmounted, directory, isDirectory: true, [event], &out)
            return
        }
        guard event.hasName else {
            // An event on a watched directory itself. For all but the root its
            // parent's event tells the structural story; the event itself is
            // reported only when asked for.
            let isRoot = event.wd == tree.rootWD
            let asked = event.mask.intersection(options.events).subtracting(isRoot ? [.deleteSelf, .moveSelf] : [])
            let reportsOther = !asked.isEmpty && (isRoot || options.reportSelfEvents)
            guard isRoot || reportsOther, let directory = tree.cachedPath(of: event.wd) else { return }
            if isRoot {
                if event.mask.contains(.deleteSelf) { report(.rootDeleted, directory, isDirectory: true, [event], &out) }
                if event.mask.contains(.moveSelf) { report(.rootMoved, directory, isDirectory: true, [event], &out) }
            }
            if reportsOther { report(.other, directory, isDirectory: true, [event], &out) }
            return
        }
        // The directory's listing came after this and shows what it did.
        if !event.mask.isDisjoint(with: Self.entryEvents), log.isSuperseded(event.wd, at: position) { return }
        guard let directory = tree.cachedPath(of: event.wd) else { return }  // a watch already dropped, or below one
        let name = event.storedName
        let path = directory.appending(name: name)
        let isDirectory = event.mask.contains(.isDir)
        let key = WatchTree.ChildKey(parent: event.wd, name: name)
        // A rename's source that the consumer has out of sight: its move is a move in.
        var sourceUnknown = false
        if ignore != nil {
            let hidden = ignores(path, name: name, isDirectory: isDirectory)
            var wasHidden = hidden
            if !reconsiderations.isEmpty || !walked.isEmpty {
                if let at = walkSuperseded[key], position < at, !event.mask.isDisjoint(with: Self.entryEvents) {
                    return  // the walk listed it after this, and said what became of it
                }
                if let told = consumerKnows[key] {
                    wasHidden = !told
                } else {
                    wasHidden = consumerHasOutOfSight(path, parent: event.wd, name: name, isDirectory: isDirectory, position: position)
                }
                if !event.mask.isDisjoint(with: [.create, .movedTo]) {
                    consumerKnows[key] = !hidden  // reported where it is in sight
                } else if !event.mask.isDisjoint(with: [.delete, .movedFrom]) {
                    consumerKnows[key] = false  // gone from there, reported or not
                }
            } else {
                forgetRulesChange()
            }
            if hidden {
                try handleIgnored(event, name: name, path: path, isDirectory: isDirectory, wasHidden: wasHidden, now: now, &out)
                return
            }
            sourceUnknown = wasHidden
        }

        if event.mask.contains(.create) {
            try flushPendingMoves(from: event.wd, &out)
            if scanned.remove(key) == nil {
                report(.created, path, isDirectory: isDirectory, [event], &out)
            }
            if isDirectory { try watchAndScan(parent: event.wd, name: name, path: path, &out) }
        }
        if isDirectory, !event.mask.isDisjoint(with: [.movedFrom, .delete]),
           let directory = tree.child(of: event.wd, named: name)
        {
            try flushPendingMoves(under: directory, &out)
        }
        if event.mask.contains(.movedFrom) {
            try flushPendingMoves(from: event.wd, &out)
            scanned.remove(key)
            // A scan that made an earlier event of the name known listed
            // what was there when it ran: perhaps what came after this rename.
            let laterInTree = isDirectory
                && tree.child(of: event.wd, named: name).map { log.isSuperseded($0, at: position) } == true
            try awaitPair(event, name: name, path: path, isDirectory: isDirectory, now: now, ignored: sourceUnknown,
                          laterInTree: laterInTree, &out)
        }
        if event.mask.contains(.movedTo) {
            try movedTo(event, parent: event.wd, name: name, path: path, isDirectory: isDirectory, &out)
        }
        if event.mask.contains(.delete) {
            try flushPendingMoves(from: event.wd, &out)
            scanned.remove(key)
            report(.deleted, path, isDirectory: isDirectory, [event], &out)
            // The name is free now. The deleted directory's IN_IGNORED comes
            // only when its inode goes, which a process holding it open can
            // delay past a new directory of the same name: forget it now, so
            // that the new one is watched.
            // (If a listing put a later directory at the name, it goes too,
            // and the event that brought it there lists it again.)
            if isDirectory, let deleted = tree.child(of: event.wd, named: name) {
                try unwatchSubtree(deleted)
            }
            if isDirectory { forgetIgnoreFiles(under: path) }
        }
        if event.mask.contains(.modify) { report(.modified, path, isDirectory: isDirectory, [event], &out) }
        if event.mask.contains(.attrib) { report(.attributesChanged, path, isDirectory: isDirectory, [event], &out) }
        if event.mask.contains(.closeWrite) { report(.closedAfterWrite, path, isDirectory: isDirectory, [event], &out) }
        if !event.mask.isDisjoint(with: Self.otherEvents) { report(.other, path, isDirectory: isDirectory, [event], &out) }
    }

    /// Events with no change kind of their own, reported as `.other` when asked for.
    private static let otherEvents: Inotify.EventMask = [.access, .open, .closeNoWrite]

    /// The kernel ended a watch (IN_IGNORED) that the table still holds.
    /// After an unmount, the directory the mount covered is at the path now,
    /// with whatever it held: it is watched and listed in the mount's place,
    /// as if it had just been made, so nothing made in it is missed. The
    /// mount's other watches end too, each with its own IN_IGNORED; those
    /// below this one are dropped with it. (A deleted directory's IN_IGNORED
    /// comes before its parent's DELETE, which drops the entry as well.)
    private func watchEnded(_ wd: Int32, unmounted wasUnmounted: Bool, _ out: inout [Change]) throws {
        if wd == tree.rootWD || tree.rootWD == nil {
            forget(wd)
            finished = true
            return
        }
        guard wasUnmounted, let node = tree.node(wd), let path = tree.path(of: wd) else {
            forget(wd)
            return
        }
        try unwatchSubtree(wd)
        // A parent that is unmounted as well is dropped at its own IN_IGNORED
        // and its directory listed then, this one included.
        guard tree.contains(node.parent), !unmounted.contains(node.parent) else { return }
        try watchAndScan(parent: node.parent, name: node.name, path: path, &out)
    }

    // MARK: Moves

    /// A rename locks the directories it changes and queues both halves
    /// before it lets go, so once any other entry event of the same
    /// directory is read, an earlier MOVED_FROM of it that is still unpaired
    /// has no MOVED_TO to come: it left the tree.
    private func flushPendingMoves(from parent: Int32, _ out: inout [Change]) throws {
        guard pendingMoves.contains(where: { $0.parent == parent }) else { return }
        var kept: [PendingMove] = []
        for move in pendingMoves {
            if move.parent == parent { try movedOut(move, &out) } else { kept.append(move) }
        }
        pendingMoves = kept
    }

    /// Before a directory moves or goes, the unpaired MOVED_FROMs of
    /// directories at or below it, which came before: reported under the
    /// paths they had, and in the order they happened.
    private func flushPendingMoves(under directory: Int32, _ out: inout [Change]) throws {
        guard pendingMoves.contains(where: { isAncestor(directory, of: $0.parent) }) else { return }
        var kept: [PendingMove] = []
        for move in pendingMoves {
            if isAncestor(directory, of: move.parent) { try movedOut(move, &out) } else { kept.append(move) }
        }
        pendingMoves = kept
    }

    /// An entry event of a name git's rules hide. Nothing is reported but a
    /// rename that takes a visible entry out of sight (a move out), or one
    /// onto a name the consumer has in sight (what it has there is gone); the
    /// rename's halves are still paired, so that one bringing an ignored
    /// entry into sight is a move in; and like every entry event it settles
    /// the unpaired renames of its directory. `wasHidden`: the consumer has
    /// it out of sight too (false where the rules changed and the walk that
    /// tells the consumer is still to come: its deletion is reported then).
    private func handleIgnored(
        _ event: Inotify.Event, name: EventName, path: FilePath, isDirectory: Bool, wasHidden: Bool,
        now: ContinuousClock.Instant, _ out: inout [Change]
    ) throws {
        guard !event.mask.isDisjoint(with: Self.entryEvents) else { return }
        scanned.remove(WatchTree.ChildKey(parent: event.wd, name: name))
        if event.mask.contains(.delete), !wasHidden {
            try flushPendingMoves(from: event.wd, &out)
            report(.deleted, path, isDirectory: isDirectory, [event], &out)
            if isDirectory, let deleted = tree.child(of: event.wd, named: name) { try unwatchSubtree(deleted) }
            if isDirectory { forgetIgnoreFiles(under: path) }
            return
        }
        // A rename onto a name the consumer has in sight (the rules hid it
        // since; the walk that tells is still to come, or passed it before
        // this) replaced what the consumer has there: that is gone.
        let replacesInSight = event.mask.contains(.movedTo) && !wasHidden
        // A directory the tree still holds at the name (an empty one the
        // rename replaced) is gone, in sight or not.
        if event.mask.contains(.movedTo), isDirectory, let replaced = tree.child(of: event.wd, named: name) {
            try flushPendingMoves(under: replaced, &out)
            try unwatchSubtree(replaced)
            forgetIgnoreFiles(under: path)
        }
        if event.mask.contains(.movedTo), let index = pendingMoves.firstIndex(where: { $0.cookie == event.cookie }) {
            let from = pendingMoves.remove(at: index)
            try flushPendingMoves(from: event.wd, &out)
            if replacesInSight { report(.deleted, path, isDirectory: isDirectory, [event], &out) }
            try movedOut(from, &out)
            return
        }
        try flushPendingMoves(from: event.wd, &out)
        if replacesInSight { report(.deleted, path, isDirectory: isDirectory, [event], &out) }
        if event.mask.contains(.movedFrom) {
            try awaitPair(event, name: name, path: path, isDirectory: isDirectory, now: now, ignored: wasHidden, &out)
        }
    }

    /// A MOVED_FROM waits for its MOVED_TO, within the pairing window and
    /// the bound on waiting halves (past it, the oldest is a move out).
    private func awaitPair(
        _ event: Inotify.Event, name: EventName, path: FilePath, isDirectory: Bool, now: ContinuousClock.Instant,
        ignored: Bool, laterInTree: Bool = false, _ out: inout [Change]
    ) throws {
        pendingMoves.append(PendingMove(
            cookie: event.cookie, parent: event.wd, name: name, path: path, isDirectory: isDirectory,
            event: event, deadline: now.advanced(by: options.movePairingWindow), ignored: ignored,
            laterInTree: laterInTree))
        if pendingMoves.count > options.maxPendingMoves { try movedOut(pendingMoves.removeFirst(), &out) }
    }

    private func movedTo(
        _ event: Inotify.Event, parent: Int32, name: EventName, path: FilePath, isDirectory: Bool,
        _ out: inout [Change]
    ) throws {
        guard let index = pendingMoves.firstIndex(where: { $0.cookie == event.cookie }) else {
            try flushPendingMoves(from: parent, &out)
            if scanned.remove(WatchTree.ChildKey(parent: parent, name: name)) == nil {
                report(.movedIn, path, isDirectory: isDirectory, [event], &out)
            }
            if isDirectory {
                // A rename onto an empty directory replaces it: the one the
                // tree held at the name is gone.
                if let replaced = tree.child(of: parent, named: name) {
                    try flushPendingMoves(under: replaced, &out)
                    try unwatchSubtree(replaced)
                }
                try watchAndScan(parent: parent, name: name, path: path, &out)
            }
            return
        }
        let from = pendingMoves.remove(at: index)
        // This rename locked the directory it moved into: any earlier MOVED_FROM
        // of that directory still unpaired was complete before it, out of the tree.
        try flushPendingMoves(from: parent, &out)
        guard tree.contains(from.parent), !from.ignored else {
            // Its directory left the tree first (that move settled just now),
            // or git's rules hid it where it was: this came from outside.
            report(.movedIn, path, isDirectory: isDirectory, [event], &out)
            if isDirectory { try watchAndScan(parent: parent, name: name, path: path, &out) }
            return
        }
        if from.laterInTree, isDirectory, let later = tree.child(of: from.parent, named: from.name) {
            // What the tree holds at the source came there after this rename
            // (a scan for an earlier event found it): it stays out of the
            // tree until the event that brought it there lists it again, and
            // what moved, unwatched so far, is watched and listed here. The
            // consumer, told of the later one's entries under the source,
            // sees a move out and a move in.
            report(.movedOut, from.path, isDirectory: true, [from.event], &out)
            report(.movedIn, path, isDirectory: true, [event], &out)
            try flushPendingMoves(under: later, &out)
            try unwatchSubtree(later)
            forgetIgnoreFiles(under: from.path)
            if let replaced = tree.child(of: parent, named: name) {
                try flushPendingMoves(under: replaced, &out)
                try unwatchSubtree(replaced)
            }
            try watchAndScan(parent: parent, name: name, path: path, &out)
            return
        }
        let fromKey = WatchTree.ChildKey(parent: from.parent, name: from.name)
        if isDirectory, tree.child(of: from.parent, named: from.name) == nil,
           let moved = relocatedFrom.removeValue(forKey: fromKey)
        {
            // A listing found it further on and reported where it is; this
            // is one step of the way there.
            if tree.contains(moved) {
                relocatedFrom[WatchTree.ChildKey(parent: parent, name: name)] = moved
                return
            }
            // Since dropped from where the listing put it (an event of the
            // name from before): what is here now is listed.
            if scanned.remove(WatchTree.ChildKey(parent: parent, name: name)) == nil {
                report(.movedIn, path, isDirectory: isDirectory, [event], &out)
            }
            try watchAndScan(parent: parent, name: name, path: path, &out)
            return
        }
        report(.moved(from: from.path), path, isDirectory: isDirectory, [from.event, event], &out)
        guard isDirectory else { return }
        if let moved = tree.child(of: from.parent, named: from.name) {
            if excludesDirectory(name: name, path: { path }) {
                try unwatchSubtree(moved)
            } else if isAncestor(moved, of: parent) {
                // Into its own subtree: a listing placed that subtree where it
                // went later, and this rename came first. The tree cannot hold
                // both; it is listed again, and the consumer told to resync.
                try rescan(&out)
                out.append(Change(.rescanned, path: FilePath(), root: root, isDirectory: true))
            } else {
                if let stale = tree.child(of: parent, named: name), stale != moved {
                    try flushPendingMoves(under: stale, &out)
                    try unwatchSubtree(stale)
                }
                tree.move(moved, to: parent, name: name)
                try directoryMoved(moved, from: from.path, to: path, &out)
            }
        } else {
            // It was not watched where it came from (excluded there): watch it now.
            try watchAndScan(parent: parent, name: name, path: path, &out)
        }
    }

    private func movedOut(_ move: PendingMove, _ out: inout [Change]) throws {
        let key = WatchTree.ChildKey(parent: move.parent, name: move.name)
        if move.isDirectory, tree.child(of: move.parent, named: move.name) == nil,
           relocatedFrom.removeValue(forKey: key) != nil
        {
            return  // a listing found it elsewhere in the tree and reported its move
        }
        // One the consumer has out of sight is not reported; its watches,
        // if the tree still holds it (the rules changed since), go all the same.
        if !move.ignored { report(.movedOut, move.path, isDirectory: move.isDirectory, [move.event], &out) }
        if move.isDirectory, let moved = tree.child(of: move.parent, named: move.name) {
            // Out of the tree, it would go on reporting under a path that is no
            // longer its own.
            try unwatchSubtree(moved)
        }
        if move.isDirectory { forgetIgnoreFiles(under: move.path) }
    }

    // MARK: Watches

    /// Removes the watches of `wd` and everything below it, at once: their
    /// IN_IGNORED events then find nothing left to remove.
    func unwatchSubtree(_ wd: Int32) throws {
        let members = tree.node(wd)?.childCount == 0 ? [wd] : tree.subtree(of: wd)
        for member in members {
            try removeWatchIfPresent(member)
            forget(member)
        }
    }

    /// EINVAL means the kernel dropped the watch already (its IN_IGNORED may be
    /// queued, or lost in an overflow): gone either way. Other errors are real.
    func removeWatchIfPresent(_ wd: Int32) throws {
        do { try inotify.removeWatchUntracked(wd) } catch where error.errno == .invalidArgument {}
    }

    func forget(_ wd: Int32) {
        tree.remove(wd)
    }

    /// After an overflow: list the whole tree again. Watches are added where
    /// missing (adding one that exists returns the same wd), directories are
    /// placed where they are now, and watches of directories no longer in the
    /// tree are removed. Events read after the overflow that came before a
    /// directory's new listing are superseded by it.
    private func rescan(_ out: inout [Change]) throws {
        pendingMoves.removeAll()
        scanned.removeAll()
        unmounted.removeAll()  // their IN_IGNORED may be among the events lost
        deferred.removeAll()
        relocatedFrom.removeAll()
        log.reset()
        // Read afresh, as the tree is: the rules of directories gone go too.
        readIgnoreRules(&out)
        let old = tree
        previousTree = old
        defer { previousTree = nil }
        tree = WatchTree()
        try watchRoot(first: false, &out)
        for wd in old.watchDescriptors where !tree.contains(wd) {
            try removeWatchIfPresent(wd)
        }
    }

    // MARK: Reporting

    func excludesDirectory(name: EventName, path: () -> FilePath) -> Bool {
        if options.excludeDirectories.contains(where: { pattern in
            pattern.contains("/") ? Directory.matches(pattern, path()) : Directory.matches(pattern, FilePath(names: [name]))
        }) {
            return true
        }
        if let exclude = options.excludeDirectory { return exclude(path()) }
        return false
    }

    func report(
        _ kind: Change.Kind, _ path: FilePath, isDirectory: Bool, _ events: [Inotify.Event], scan: Bool = false,
        _ out: inout [Change]
    ) {
        guard wanted(kind) else { return }
        if !path.isEmpty {
            if !options.includePaths.isEmpty && !options.includePaths.contains(where: { Directory.matches($0, path) }) {
                return
            }
            if options.excludePaths.contains(where: { Directory.matches($0, path) }) { return }
        }
        out.append(Change(kind, path: path, root: root, isDirectory: isDirectory, foundByScan: scan, events: events))
    }

    /// Changes of kinds the options did not ask for are not reported (the
    /// watches still ask the kernel for what the tree's structure needs).
    private func wanted(_ kind: Change.Kind) -> Bool {
        switch kind {
        case .created: options.events.contains(.create)
        case .deleted: options.events.contains(.delete)
        case .moved, .movedIn, .movedOut: !options.events.isDisjoint(with: .move)
        case .modified: options.events.contains(.modify)
        case .attributesChanged: options.events.contains(.attrib)
        case .closedAfterWrite: options.events.contains(.closeWrite)
        case .other: true  // built only from events asked for
        case .rootDeleted, .rootMoved, .unmounted, .overflow, .rescanned, .unwatched, .ignoreProblem, .becameIgnored: true
        }
    }
}

