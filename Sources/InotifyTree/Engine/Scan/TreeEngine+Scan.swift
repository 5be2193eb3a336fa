import Glibc
import Inotify
import SystemPackage

// Scanning: watch a directory, then list it; below it, the same for every
// subdirectory, depth first. Every directory is opened relative to its
// parent's descriptor and watched through /proc/self/fd, so what is watched
// and listed is the directory the tree says, whatever is renamed meanwhile.
// A scan that reports nothing skips listing leaves (``LeafTest``); one that
// follows symbolic links enters a directory once, by device and inode.
// How a directory is listed is in `TreeEngine+Listing.swift`.

extension TreeEngine {
    /// A directory being scanned: open (for its children to be reached from),
    /// with the subdirectories its listing found still to be entered.
    struct Frame {
        let fd: CInt
        /// Closed when the frame is done; a borrowed descriptor (the root's,
        /// or a parent reached for one event) is not.
        let owned: Bool
        let wd: Int32
        /// Relative to the root; nil in a scan that needs no paths.
        let path: FilePath?
        /// Its parent's watch and its name there, for its own events.
        let parent: Int32?
        let name: EventName
        var children: [Candidate]
        var next = 0
    }

    /// A subdirectory a listing found: its name, inode (`d_ino`) and type.
    struct Candidate {
        let name: EventName
        let inode: UInt64
        let kind: Directory.EntryKind
        /// Made known by an event, which has reported it: a reporting scan
        /// reports only what it finds inside.
        var announced = false
    }

    /// What opening a directory entry to list it came to.
    enum ListingOpen {
        case opened(CInt)
        /// Gone, not a directory (a link, when links are not followed), or
        /// replaced by a file: its events tell the rest.
        case gone
        /// There, but it cannot be listed (EACCES, EMFILE).
        case unlistable(Errno)
    }

    /// Opens entry `name` of directory `parent` to list it.
    static func openToList(_ name: [CChar], in parent: CInt, follow: Bool) -> ListingOpen {
        let opened = name.withUnsafeBufferPointer {
            DirectoryDescriptor.open($0.baseAddress!, in: parent, forListing: true, follow: follow)
        }
        switch opened {
        case .success(let fd): return .opened(fd)
        case .failure(.noSuchFileOrDirectory), .failure(.notDirectory), .failure(.tooManySymbolicLinkLevels): return .gone
        case .failure(let errno): return .unlistable(errno)
        }
    }

    enum Placement { case new, same, relocated }

    // MARK: Entry points

    /// Watches the root (again, after an overflow: the same wd comes back)
    /// through a descriptor of it, and lists the tree below it.
    func watchRoot(first: Bool, _ out: inout [Change]) throws {
        let opened = root.withPlatformString {
            DirectoryDescriptor.open($0, in: AT_FDCWD, forListing: false, follow: true)
        }
        let rootFD: CInt
        switch opened {
        case .success(let fd): rootFD = fd
        case .failure(let errno):
            // The watch by path fails the same way, with the library's words
            // for it (which name the root and say what to do).
            let wd = try watches.add(root, mask: rootMask)
            try removeWatchIfPresent(wd)
            throw Inotify.Error(.addWatch, errno: errno, path: root)
        }
        var rootOwned = true
        defer { if rootOwned { DirectoryDescriptor.close(rootFD) } }
        if first { viaProc = DirectoryDescriptor.procReaches(rootFD) }
        let wd: Int32
        if viaProc {
            // Whatever the kernel answers for the root is the watcher's error,
            // with the root named and the kernel's own errno (ENOSPC, EACCES):
            // a root that cannot be watched is not a directory to report and skip.
            do {
                wd = try DirectoryDescriptor.procPath(rootFD).withUnsafeBufferPointer { (buffer) throws(Inotify.Error) in
                    try watches.add(cString: buffer.baseAddress!, mask: rootMask)
                }
            } catch {
                throw Inotify.Error(.addWatch, errno: error.errno, path: root, value: error.value, advice: error.advice)
            }
        } else {
            wd = try watches.add(root, mask: rootMask)
        }
        let info: stat
        switch Syscalls.status(rootFD) {
        case .success(let status): info = status
        case .failure(let errno): throw Inotify.Error(.addWatch, errno: errno, path: root)
        }
        let identity = FileID(info)
        tree.insertRoot(wd, id: options.followSymbolicLinks ? identity : nil, identity: identity)
        let start = try streamPosition()
        let listing = ".".withCString { DirectoryDescriptor.open($0, in: rootFD, forListing: true, follow: true) }
        guard case .success(let fd) = listing else {
            if case .failure(let errno) = listing {
                reportUnlistable(errno, FilePath(), &out)
            }
            return
        }
        DirectoryDescriptor.close(rootFD)
        rootOwned = false
        let children = try closing(fd) {
            try list(fd, wd: wd, path: FilePath(), parent: nil, name: EventName([]),
                     openedWhileWatched: true, start: start, report: false, &out)
        }
        try scan(from: Frame(fd: fd, owned: true, wd: wd, path: FilePath(), parent: nil, name: EventName([]), children: children),
                 report: false, &out)
    }

    /// Watches and lists a directory an event made known (created, moved in,
    /// uncovered by an unmount), reporting what the listing finds. Where its
    /// parent cannot be reached at the tree's path for it (a rename above it
    /// is still to be read), it is tried again after the batch.
    @discardableResult
    func watchAndScan(parent: Int32, name: EventName, path: FilePath, _ out: inout [Change]) throws -> Bool {
        if tree.child(of: parent, named: name) != nil { return true }  // watched already
        guard let reached = reach(parent) else {
            deferred.append(DeferredWatch(parent: parent, name: name, due: queuedEnd))
            return false
        }
        let frame = Frame(fd: reached.fd, owned: reached.owned, wd: parent, path: path.removingLastComponent(),
                          parent: nil, name: EventName([]), children: [Candidate(name: name, inode: 0, kind: .unknown, announced: true)])
        try scan(from: frame, report: true, &out)
        return true
    }

    /// New directories whose parents were out of reach, tried again.
    func retryDeferred(_ out: inout [Change]) throws {
        guard !deferred.isEmpty else { return }
        let waiting = deferred
        deferred = []
        for var item in waiting {
            guard tree.contains(item.parent), tree.child(of: item.parent, named: item.name) == nil,
                  let directory = tree.path(of: item.parent)
            else { continue }  // its parent left the tree, or it is watched now
            let path = directory.appending(name: item.name)
            if try watchAndScan(parent: item.parent, name: item.name, path: path, &out) { continue }
            deferred.removeLast()
            if isCaughtUp(to: item.due) {
                item.attempts += 1
                item.due = queuedEnd
            }
            item.tries += 1
            if item.attempts >= Self.deferredAttempts || item.tries >= Self.deferredTriesLimit {
                let reason = "its parent directory was not found at its path (\(whereReachFails(item.parent)))"
                report(.unwatched(reason: reason), path, isDirectory: true, [], &out)
            } else {
                deferred.append(item)
            }
        }
    }

    /// Where the stream ends now: what was read, and what waits in the
    /// kernel's queue (unknown: taken as nothing, so that tries still count).
    private var queuedEnd: UInt64 {
        readBytes + UInt64((try? watches.queuedByteCount()) ?? 0)
    }

    /// Whether a try of a directory out of reach since the stream ended at
    /// `due` counts: only once what was queued by then is handled and no
    /// directory's rename waits for its other half. Until then a rename not
    /// handled yet can explain it (counting every batch, a busy writer's
    /// reads used up the tries in a few milliseconds, and the directory
    /// was left unwatched).
    private func isCaughtUp(to due: UInt64) -> Bool {
        processedBytes >= due && !moves.waitsForDirectory
    }

    /// Tries with nothing left to handle, 5 ms apart when nothing else
    /// comes: about half a second of a parent that stays out of reach.
    static let deferredAttempts = 100
    /// Tries in all: writers that never pause can keep a directory's
    /// rename waiting at every try, and each try opens a path.
    static let deferredTriesLimit = 10_000

    /// Where the tree's path for directory `wd` first leads elsewhere than
    /// to the directories it holds: for a report that gives up on it.
    func whereReachFails(_ wd: Int32) -> String {
        var chain: [Int32] = []
        var current: Int32? = wd
        while let next = current, let node = tree.node(next), node.parent != WatchTree.noParent, chain.count <= tree.count {
            chain.append(next)
            current = node.parent
        }
        for step in chain.reversed() {
            guard let node = tree.node(step), let path = tree.path(of: step) else { break }
            guard let info = rootBytes.appending(path).withCString({ DirectoryDescriptor.status(of: $0, in: AT_FDCWD, follow: false) })
            else { return "\(path) is missing" }
            if !DirectoryDescriptor.isDirectory(info) { return "\(path) is not a directory" }
            if node.identity != .unknown && FileID(info) != node.identity { return "\(path) is another directory than the one watched" }
        }
        return "it is there now"
    }

    /// An O_PATH descriptor of directory `wd`, reached by the tree's path and
    /// checked to be that directory; nil when the path leads elsewhere or
    /// nowhere (a rename not yet read, or the root moved).
    func reach(_ wd: Int32) -> (fd: CInt, owned: Bool)? {
        guard let node = tree.node(wd), let path = tree.cachedPath(of: wd) else { return nil }
        // Links inside the tree are followed only where the tree follows
        // them; the root, as given, always.
        let opened = rootBytes.appending(path).withCString {
            DirectoryDescriptor.open($0, in: AT_FDCWD, forListing: false, follow: options.followSymbolicLinks || path.isEmpty)
        }
        guard case .success(let fd) = opened else { return nil }
        guard let info = DirectoryDescriptor.status(fd),
              node.identity == .unknown || FileID(info) == node.identity
        else {
            DirectoryDescriptor.close(fd)
            return nil
        }
        return (fd, true)
    }

    // MARK: The scan

    /// Depth first: what waits is one branch's worth of directories, each
    /// with the names of its subdirectories not yet entered, and each open
    /// (one descriptor per level) so that its subdirectories are reached
    /// from it.
    func scan(from first: Frame, report: Bool, _ out: inout [Change]) throws {
        var stack = [first]
        defer {
            for frame in stack { try? close(frame) }
        }
        // Listing a leaf finds nothing to watch; only a reporting scan (or one
        // that follows links, which the link count does not show) needs its files.
        let skipsLeaves = !report && !options.followSymbolicLinks
        // Per scan: a device number can be given to another filesystem after
        // an unmount, and the next scan may be an overflow's, much later.
        var leafTest = LeafTest()
        while !stack.isEmpty {
            let top = stack.count - 1
            guard stack[top].next < stack[top].children.count else {
                let done = stack.removeLast()
                try close(done)
                continue
            }
            let candidate = stack[top].children[stack[top].next]
            stack[top].next += 1
            if let child = try enter(candidate, from: stack[top], report: report, skipsLeaves: skipsLeaves,
                                     leafTest: &leafTest, &out)
            {
                stack.append(child)
            }
        }
    }

    /// Watches the directory `candidate` names in `frame`'s directory and
    /// lists it, unless the scan needs not (a leaf, a directory known
    /// already); the frame to descend into, or nil.
    private func enter(
        _ candidate: Candidate, from frame: Frame, report: Bool, skipsLeaves: Bool, leafTest: inout LeafTest,
        _ out: inout [Change]
    ) throws -> Frame? {
        let name = candidate.name
        let needsPaths = report || ignore != nil || filter.excludesDirectoriesByPath
        let childPath = needsPaths ? frame.path?.appending(name: name) : nil
        let path = { childPath ?? (self.tree.path(of: frame.wd) ?? FilePath()).appending(name: name) }
        let reportsItself = report && !candidate.announced
        // One an event made known was judged then; judged again here, where
        // the rules may have changed since (a directory retried after the
        // batch). One a listing found, the listing judged just now.
        if candidate.announced && ignore != nil && ignores(path(), name: name, isDirectory: true) { return nil }
        if filter.excludesDirectory(name: name, path: path) {
            if reportsItself { self.report(.created, path(), isDirectory: true, [], scan: true, &out) }
            return nil
        }
        let cName = name.cString

        // The first scan's way: a watch through the parent's descriptor and
        // one fstatat, no open, for the many directories that are leaves.
        // The inode the listing saw, the one fstatat sees after the watch, and
        // so the watched one, agree, or the entry changed meanwhile (an event
        // of the parent tells what became of it) and the way below is taken.
        if skipsLeaves && viaProc && candidate.kind == .directory {
            let proc = WatchTarget.name(cName, in: frame.fd)
            guard let wd = try addWatch(proc, mask: directoryMask, path: path, &out) else { return nil }
            if let info = cName.withUnsafeBufferPointer({ DirectoryDescriptor.status(of: $0.baseAddress!, in: frame.fd, follow: false) }),
               DirectoryDescriptor.isDirectory(info), UInt64(info.st_ino) == candidate.inode
            {
                let identity = FileID(info)
                guard try place(wd, parent: frame.wd, name: name, identity: identity, path: path, report: report, &out) == .new
                else { return nil }
                if leafTest.isLeaf(info, path: proc) {
                    if ignore != nil { try loadIgnoreFile(ofLeaf: wd, name: name, path: path(), in: frame.fd, &out) }
                    return nil
                }
                let start = try streamPosition()
                let fd: CInt
                switch Self.openToList(cName, in: frame.fd, follow: false) {
                case .opened(let descriptor): fd = descriptor
                case .gone: return nil
                case .unlistable(let errno):
                    // Watched, but what is below it cannot be seen (EMFILE,
                    // EACCES): said, as the other way says it, not dropped.
                    try unwatchSubtree(wd)
                    reportUnlistable(errno, path(), &out)
                    return nil
                }
                let now: stat
                switch Syscalls.status(fd) {
                case .success(let info): now = info
                case .failure(let errno):
                    // Watched, but not known to be what was listed: said, not dropped.
                    DirectoryDescriptor.close(fd)
                    try unwatchSubtree(wd)
                    reportUnlistable(errno, path(), &out)
                    return nil
                }
                guard FileID(now) == identity else {
                    // Another directory is at the name now; the watched one is
                    // elsewhere, not yet listed: its subtree is found by the
                    // rename's events, or gone. The open and close were the
                    // watcher's own on the parent's watch.
                    DirectoryDescriptor.close(fd)
                    if countsOwnEvents {
                        log.caused(ListingLog.OwnCounts(), on: wd, ListingLog.OwnCounts(open: 1, closeNoWrite: 1),
                                   onParent: frame.wd, name: name, from: start, to: try streamPosition())
                    }
                    try unwatchSubtree(wd)
                    return nil
                }
                let children = try closing(fd) {
                    try list(fd, wd: wd, path: childPath, parent: frame.wd, name: name,
                             openedWhileWatched: true, start: start, report: report, &out)
                }
                return Frame(fd: fd, owned: true, wd: wd, path: childPath, parent: frame.wd, name: name, children: children)
            }
            if !tree.contains(wd) && previousTree?.contains(wd) != true { try removeWatchIfPresent(wd) }
        }

        // Open first, then watch what is open: exact, and the way for reporting scans.
        let follow = options.followSymbolicLinks
        let start = try streamPosition()
        let fd: CInt
        switch Self.openToList(cName, in: frame.fd, follow: follow) {
        case .opened(let descriptor): fd = descriptor
        case .gone:
            if reportsItself { self.report(.created, path(), isDirectory: true, [], scan: true, &out) }
            return nil
        case .unlistable(let errno):
            if reportsItself { self.report(.created, path(), isDirectory: true, [], scan: true, &out) }
            reportUnlistable(errno, path(), &out)
            return nil
        }
        let info: stat
        switch Syscalls.status(fd) {
        case .success(let status): info = status
        case .failure(let errno):
            // Open, but what it is cannot be told (ENOMEM): said, not dropped.
            DirectoryDescriptor.close(fd)
            if reportsItself { self.report(.created, path(), isDirectory: true, [], scan: true, &out) }
            reportUnlistable(errno, path(), &out)
            return nil
        }
        let identity = FileID(info)
        if follow, tree.wd(of: identity) != nil {
            DirectoryDescriptor.close(fd)  // a loop, or a second way to the same place
            return nil
        }
        let watchPath: WatchTarget = viaProc ? .directory(fd) : .path(rootBytes.appending(path()).bytes)
        // /proc/self/fd/N is a link to what the descriptor holds, which was
        // opened without following links: the link must be followed here.
        let mask = viaProc ? directoryMask.subtracting(.dontFollow) : directoryMask
        guard let wd = try closing(fd, { try addWatch(watchPath, mask: mask, path: path, &out) }) else {
            DirectoryDescriptor.close(fd)
            return nil
        }
        let wasWatched = tree.contains(wd) || previousTree?.contains(wd) == true
        let placement = try closing(fd) {
            try place(wd, parent: frame.wd, name: name, identity: identity, path: path, report: report,
                      announced: candidate.announced, &out)
        }
        if placement == .new && reportsItself { self.report(.created, path(), isDirectory: true, [], scan: true, &out) }
        if placement != .new || (skipsLeaves && leafTest.isLeaf(info, path: watchPath)) {
            // (A path is made only where the rules need one: the first scan makes none.)
            if placement == .new && ignore != nil { try closing(fd) { try loadIgnoreFile(of: wd, path: path(), from: fd, &out) } }
            if countsOwnEvents {
                let end = try closing(fd) { try streamPosition() }
                log.caused(ListingLog.OwnCounts(open: wasWatched ? 1 : 0), on: wd, ListingLog.OwnCounts(open: 1),
                           onParent: frame.wd, name: name, from: start, to: end)
            }
            try closeListing(fd, wd: wd, parent: frame.wd, name: name)
            return nil
        }
        let children = try closing(fd) {
            try list(fd, wd: wd, path: childPath, parent: frame.wd, name: name,
                     openedWhileWatched: wasWatched, start: start, report: report, &out)
        }
        return Frame(fd: fd, owned: true, wd: wd, path: childPath, parent: frame.wd, name: name, children: children)
    }

    /// `body`'s result; where it throws, `fd` is closed first: a listing
    /// descriptor not yet handed to a frame has no other owner.
    private func closing<T>(_ fd: CInt, _ body: () throws -> T) throws -> T {
        do { return try body() } catch {
            DirectoryDescriptor.close(fd)
            throw error
        }
    }

    /// Enters a directory just watched in the tree. Found where the tree has
    /// it, nothing changes; found under another name (a listing sees what is
    /// now, before its rename's events are read), the tree follows it there,
    /// and a reporting scan reports the move; a stale entry at the name goes.
    private func place(
        _ wd: Int32, parent: Int32, name: EventName, identity: FileID, path: () -> FilePath, report: Bool,
        announced: Bool = false, _ out: inout [Change]
    ) throws -> Placement {
        if let node = tree.node(wd) {
            if node.parent == parent && node.name == name { return .same }
            // The root, or a directory that would sit below itself (a bind
            // mount shows one directory twice): left where it is.
            if wd == tree.rootWD || isAncestor(wd, of: parent) { return .same }
            let oldPath = tree.path(of: wd)
            // What left from below it and waits for a pair came before this
            // move, which changes the paths it is told under: told first.
            try flushPendingMoves(under: wd, &out)
            if relocatedFrom.count >= Self.relocatedLimit { relocatedFrom.removeAll() }
            relocatedFrom[WatchTree.ChildKey(parent: node.parent, name: node.name)] = wd
            if let stale = tree.child(of: parent, named: name), stale != wd {
                try letGo(stale, &out)
            }
            tree.move(wd, to: parent, name: name)
            if report, let oldPath {
                self.report(.moved(from: oldPath), path(), isDirectory: true, [], scan: true, &out)
            }
            if let oldPath { try directoryMoved(wd, from: oldPath, to: path(), atOnce: false, &out) }
            return .relocated
        }
        if let stale = tree.child(of: parent, named: name) { try unwatchSubtree(stale) }
        tree.insert(wd, parent: parent, name: name, id: options.followSymbolicLinks ? identity : nil, identity: identity)
        return .new
    }

    static let relocatedLimit = 4096

    /// Whether `wd` is `other` or above it in the tree.
    func isAncestor(_ wd: Int32, of other: Int32) -> Bool {
        var current = other
        var steps = 0
        while let node = tree.node(current), steps <= tree.count {
            if current == wd { return true }
            if node.parent == WatchTree.noParent { return false }
            current = node.parent
            steps += 1
        }
        return false
    }
}
