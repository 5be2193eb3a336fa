import Inotify
import SystemPackage

/// Turns kernel events into tree changes and keeps the watches true to the
/// tree. Synchronous and single-threaded: the watcher's own thread drives it.
///
/// `@unchecked Sendable` because it crosses to that thread once: the
/// initializer of `TreeWatcher` builds it, hands it to the thread it starts,
/// and never touches it again. Only that thread ever uses it.
///
/// No missed creations: a new directory is watched *before* it is listed, so
/// whatever appears in it is either seen by the listing (reported as found by
/// scan) or reported by the kernel, and both halves of the overlap are told
/// apart where the same name turns up twice.
final class TreeEngine: @unchecked Sendable {
    let inotify: Inotify
    let root: FilePath
    /// The root as bytes, which new directories' paths are joined to.
    private let rootBytes: PathBuffer
    let options: TreeWatcher.Options
    private(set) var tree = WatchTree()
    /// The root is gone (its IN_IGNORED arrived): nothing more can happen.
    private(set) var finished = false
    /// What the first scan had to report (directories it could not watch):
    /// the first changes the consumer sees.
    private(set) var startupChanges: [Change] = []

    private struct PendingMove {
        let cookie: UInt32
        let parent: Int32
        let name: EventName
        let path: FilePath
        let isDirectory: Bool
        let event: Inotify.Event
        let deadline: ContinuousClock.Instant
    }

    /// MOVED_FROM halves waiting for their MOVED_TO, oldest first.
    private var pendingMoves: [PendingMove] = []
    /// Names reported by a scan of a new directory whose kernel CREATE may
    /// still be queued: that CREATE is the same creation, reported once.
    private(set) var scanned = Set<WatchTree.ChildKey>()
    private static let scannedLimit = 65_536
    /// Watches whose filesystem was unmounted (IN_UNMOUNT seen), until their
    /// IN_IGNORED: each is in the table, and the kernel ends every one, so
    /// the set holds no more than the table does.
    private var unmounted = Set<Int32>()
    /// How many directories scans have listed: what the leaf test saves shows here.
    private(set) var listings = 0
    /// Where directories are listed, one at a time.
    private let listingBuffer = UnsafeMutableRawBufferPointer.allocate(
        byteCount: Directory.listingBufferSize, alignment: 8)

    /// What every directory watch asks for: the events the tree's structure
    /// needs, plus those the user wants reported.
    private var directoryMask: Inotify.EventMask {
        var mask = options.events.union([.create, .movedFrom, .movedTo, .delete, .onlyDir])
        if !options.followSymbolicLinks { mask.insert(.dontFollow) }
        return mask
    }

    deinit {
        listingBuffer.deallocate()
    }

    init(inotify: Inotify, root: FilePath, options: TreeWatcher.Options) throws {
        self.inotify = inotify
        self.root = root
        self.rootBytes = PathBuffer(root)
        self.options = options
        try watchRoot(&startupChanges)
    }

    // MARK: Events

    func process(_ events: [Inotify.Event], now: ContinuousClock.Instant) throws -> [Change] {
        var out: [Change] = []
        for event in events {
            try handle(event, now: now, &out)
        }
        try flushExpiredMoves(now: now, &out)
        return out
    }

    /// When the oldest unpaired MOVED_FROM must be reported; nil if none waits.
    var nextDeadline: ContinuousClock.Instant? { pendingMoves.first?.deadline }

    func flushExpiredMoves(now: ContinuousClock.Instant, _ out: inout [Change]) throws {
        while let first = pendingMoves.first, first.deadline <= now {
            pendingMoves.removeFirst()
            try movedOut(first, &out)
        }
    }

    private func handle(_ event: Inotify.Event, now: ContinuousClock.Instant, _ out: inout [Change]) throws {
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
        guard let directory = tree.cachedPath(of: event.wd) else { return }  // a watch already dropped, or below one
        let name = event.storedName
        let path = directory.appending(name: name)
        let isDirectory = event.mask.contains(.isDir)
        let key = WatchTree.ChildKey(parent: event.wd, name: name)

        if event.mask.contains(.create) {
            if scanned.remove(key) == nil {
                report(.created, path, isDirectory: isDirectory, [event], &out)
            }
            if isDirectory { try watchAndScan(parent: event.wd, name: name, path: path, report: true, &out) }
        }
        if event.mask.contains(.movedFrom) {
            scanned.remove(key)
            pendingMoves.append(PendingMove(
                cookie: event.cookie, parent: event.wd, name: name, path: path, isDirectory: isDirectory,
                event: event, deadline: now.advanced(by: options.movePairingWindow)))
            if pendingMoves.count > options.maxPendingMoves { try movedOut(pendingMoves.removeFirst(), &out) }
        }
        if event.mask.contains(.movedTo) {
            try movedTo(event, parent: event.wd, name: name, path: path, isDirectory: isDirectory, &out)
        }
        if event.mask.contains(.delete) {
            scanned.remove(key)
            report(.deleted, path, isDirectory: isDirectory, [event], &out)
            // The name is free now. The deleted directory's IN_IGNORED comes
            // only when its inode goes, which a process holding it open can
            // delay past a new directory of the same name: forget it now, so
            // that the new one is watched.
            if isDirectory, let deleted = tree.child(of: event.wd, named: name) {
                try removeWatchIfPresent(deleted)
                forget(deleted)
            }
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
        try watchAndScan(parent: node.parent, name: node.name, path: path, report: true, &out)
    }

    private func movedTo(
        _ event: Inotify.Event, parent: Int32, name: EventName, path: FilePath, isDirectory: Bool,
        _ out: inout [Change]
    ) throws {
        guard let index = pendingMoves.firstIndex(where: { $0.cookie == event.cookie }) else {
            report(.movedIn, path, isDirectory: isDirectory, [event], &out)
            if isDirectory { try watchAndScan(parent: parent, name: name, path: path, report: true, &out) }
            return
        }
        let from = pendingMoves.remove(at: index)
        report(.moved(from: from.path), path, isDirectory: isDirectory, [from.event, event], &out)
        guard isDirectory else { return }
        if let moved = tree.child(of: from.parent, named: from.name) {
            if excludesDirectory(name: name, path: { path }) {
                try unwatchSubtree(moved)
            } else {
                tree.move(moved, to: parent, name: name)
            }
        } else {
            // It was not watched where it came from (excluded there): watch it now.
            try watchAndScan(parent: parent, name: name, path: path, report: true, &out)
        }
    }

    private func movedOut(_ move: PendingMove, _ out: inout [Change]) throws {
        report(.movedOut, move.path, isDirectory: move.isDirectory, [move.event], &out)
        if move.isDirectory, let moved = tree.child(of: move.parent, named: move.name) {
            // Out of the tree, it would go on reporting under a path that is no
            // longer its own.
            try unwatchSubtree(moved)
        }
    }

    // MARK: Watching

    private func watchRoot(_ out: inout [Change]) throws {
        let mask = directoryMask.union([.deleteSelf, .moveSelf]).subtracting(.dontFollow)
        let wd = try inotify.addWatchUntracked(root, mask: mask)
        tree.insertRoot(wd, id: options.followSymbolicLinks ? Directory.identity(of: root, follow: true)?.id : nil)
        try scan(wd, path: FilePath(), absolute: rootBytes, report: false, &out)
    }

    /// Watches a new directory, then lists it; below it, the same for every
    /// subdirectory, depth first.
    private func watchAndScan(
        parent: Int32, name: EventName, path: FilePath, report: Bool, _ out: inout [Change]
    ) throws {
        if tree.child(of: parent, named: name) != nil { return }  // watched already, by an earlier scan
        guard !excludesDirectory(name: name, path: { path }) else { return }
        let absolute = rootBytes.appending(path)
        guard let watch = try addDirectoryWatch(absolute, path: { path }, &out) else { return }
        tree.insert(watch.wd, parent: parent, name: name, id: watch.id)
        try scan(watch.wd, path: path, absolute: absolute, report: report, &out)
    }

    /// Lists `absolute` and everything below it, adding a watch on each
    /// directory before listing it. Relative paths are made only where a
    /// change or a path pattern needs them: the first scan of a large tree
    /// makes none.
    private func scan(_ wd: Int32, path: FilePath, absolute: PathBuffer, report: Bool, _ out: inout [Change]) throws {
        let needsPaths = report || options.excludeDirectory != nil || options.excludeDirectories.contains { $0.contains("/") }
        // Depth first: what waits to be listed is one branch's worth of
        // directories, not a whole level of the tree (a wide tree's level can
        // be most of it).
        var stack: [(wd: Int32, path: FilePath?, absolute: PathBuffer)] = [(wd, path, absolute)]
        // Listing a leaf finds nothing to watch; only a reporting scan (or one
        // that follows links, which the link count does not show) needs its files.
        let skipsLeaves = !report && !options.followSymbolicLinks
        // Per scan: a device number can be given to another filesystem after
        // an unmount, and the next scan may be an overflow's, much later.
        var leafTest = LeafTest()
        while let (directoryWD, directoryPath, directoryAbsolute) = stack.popLast() {
            if skipsLeaves && leafTest.isLeaf(directoryAbsolute) { continue }
            listings += 1
            let failure = try Directory.forEachEntry(of: directoryAbsolute, buffer: listingBuffer) { (bytes, kind) throws in
                if !report && kind == .other { return }  // a file of the first scan: nothing to do
                let name = EventName(bytes)
                let childAbsolute = directoryAbsolute.appending(name)
                let childPath = needsPaths ? directoryPath?.appending(name: name) : nil
                let isDirectory = isDirectoryEntry(kind, at: childAbsolute)
                if report, let childPath {
                    scanned.insert(WatchTree.ChildKey(parent: directoryWD, name: name))
                    if scanned.count > Self.scannedLimit { scanned.removeAll() }
                    self.report(.created, childPath, isDirectory: isDirectory, [], scan: true, &out)
                }
                guard isDirectory else { return }
                // A directory new to the watcher may have been reached already by
                // an event; the first scan's directories cannot have been.
                if report, tree.child(of: directoryWD, named: name) != nil { return }
                guard !excludesDirectory(name: name, path: { childPath ?? self.relative(childAbsolute) }),
                      let watch = try addDirectoryWatch(childAbsolute, path: { childPath ?? self.relative(childAbsolute) }, &out)
                else { return }
                if tree.contains(watch.wd) { return }  // the same directory by another path
                tree.insert(watch.wd, parent: directoryWD, name: name, id: watch.id)
                stack.append((watch.wd, childPath, childAbsolute))
            }
            switch failure {
            case nil, .noSuchFileOrDirectory?, .notDirectory?: continue  // listed, or gone meanwhile
            case let errno?:
                self.report(.unwatched(reason: "cannot list it: \(errno)"), relative(directoryAbsolute), isDirectory: true, [], &out)
            }
        }
    }

    /// Adds the watch of one directory below the root; nil where there is
    /// nothing to watch (gone, not a directory, a link loop) or the limit
    /// policy says go on. `path` is asked for only to report.
    private func addDirectoryWatch(
        _ absolute: PathBuffer, path: () -> FilePath, _ out: inout [Change]
    ) throws -> (wd: Int32, id: FileID?)? {
        var id: FileID?
        if options.followSymbolicLinks {
            guard let identity = Directory.identity(of: absolute, follow: true), identity.isDirectory else { return nil }
            if tree.wd(of: identity.id) != nil { return nil }  // a loop, or a second way to the same place
            id = identity.id
        }
        do {
            let mask = directoryMask
            return (try absolute.withCString { (cString) throws(Inotify.Error) in
                try inotify.addWatchUntracked(cString: cString, mask: mask)
            }, id)
        } catch {
            guard let error = error as? Inotify.Error else { throw error }
            switch error.errno {
            case .noSuchFileOrDirectory, .notDirectory:
                return nil  // deleted or replaced before we got to it
            case .noSpace where options.onWatchLimit == .continueAndReport,
                 .permissionDenied, .tooManySymbolicLinkLevels:
                report(.unwatched(reason: error.description), path(), isDirectory: true, [], &out)
                return nil
            default:
                throw error
            }
        }
    }

    /// `absolute` relative to the root, for the rare report that needs it.
    private func relative(_ absolute: PathBuffer) -> FilePath {
        var path = absolute.filePath
        return path.removePrefix(root) ? path : absolute.filePath
    }

    private func isDirectoryEntry(_ kind: Directory.EntryKind, at absolute: PathBuffer) -> Bool {
        switch kind {
        case .directory: return true
        case .other: return false
        case .unknown: return Directory.identity(of: absolute, follow: false)?.isDirectory ?? false
        case .symbolicLink:
            return options.followSymbolicLinks && (Directory.identity(of: absolute, follow: true)?.isDirectory ?? false)
        }
    }

    /// Removes the watches of `wd` and everything below it, at once: their
    /// IN_IGNORED events then find nothing left to remove.
    private func unwatchSubtree(_ wd: Int32) throws {
        for member in tree.subtree(of: wd) {
            try removeWatchIfPresent(member)
            forget(member)
        }
    }

    /// EINVAL means the kernel dropped the watch already (its IN_IGNORED may be
    /// queued, or lost in an overflow): gone either way. Other errors are real.
    private func removeWatchIfPresent(_ wd: Int32) throws {
        do { try inotify.removeWatchUntracked(wd) } catch where error.errno == .invalidArgument {}
    }

    private func forget(_ wd: Int32) {
        tree.remove(wd)
    }

    /// After an overflow: list the whole tree again. Watches are added where
    /// missing (adding one that exists returns the same wd), directories are
    /// placed where they are now, and watches of directories no longer in the
    /// tree are removed.
    private func rescan(_ out: inout [Change]) throws {
        pendingMoves.removeAll()
        scanned.removeAll()
        unmounted.removeAll()  // their IN_IGNORED may be among the events lost
        let old = tree
        tree = WatchTree()
        try watchRoot(&out)
        for wd in old.watchDescriptors where !tree.contains(wd) {
            try removeWatchIfPresent(wd)
        }
    }

    // MARK: Reporting

    private func excludesDirectory(name: EventName, path: () -> FilePath) -> Bool {
        if options.excludeDirectories.contains(where: { pattern in
            pattern.contains("/") ? Directory.matches(pattern, path()) : Directory.matches(pattern, FilePath(names: [name]))
        }) {
            return true
        }
        if let exclude = options.excludeDirectory { return exclude(path()) }
        return false
    }

    private func report(
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
        case .rootDeleted, .rootMoved, .unmounted, .overflow, .rescanned, .unwatched: true
        }
    }
}
