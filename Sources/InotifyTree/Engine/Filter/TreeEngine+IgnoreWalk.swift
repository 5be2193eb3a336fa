import Glibc
import Inotify
import SystemPackage

// How git's rules follow the tree (Options.gitIgnore). What can change a
// decision already taken is met by walking the part of the tree it concerns,
// at once, so that what the walk reports comes where the change happened:
// - a `.gitignore` made, written, replaced or removed, if what it says
//   changed: its directory's subtree;
// - a directory renamed within the tree: its subtree, whose paths, and so
//   the rules that apply to them, have changed (its own `.gitignore` files
//   move with it). One a listing finds renamed is walked after the batch.
// The walk lists each watched directory of the subtree, and compares each
// entry's decision before (the rules and path it had) and now: a watched
// directory or a file now ignored is reported as `becameIgnored` (a
// directory loses its watches); a directory or file no longer ignored is
// reported as created, found by scan, a directory watched and listed as a
// new one is. So the changes still rebuild the part of the tree in sight.
// Directories visible before and now but not in the tree are being made or
// renamed: their events tell.
// The walk's listings supersede nothing (it reports only what the rules
// changed, not what the events still to be read will), and its own open,
// reads and close are told apart like every listing's.

extension TreeEngine {
    // MARK: What changes decisions

    /// A `.gitignore` event in directory `wd`, at `directory`: the file is
    /// read again, and if it says something new, the subtree walked.
    func ignoreFileChanged(in wd: Int32, directory: FilePath, _ out: inout [Change]) throws {
        guard ignore != nil else { return }
        let before = ignore!.rules
        let item = IgnoreState.Reconsideration(wd: wd, before: before, oldPath: nil)
        guard let reached = reach(wd) else {
            // Out of reach at its path: a rename above it still to be read.
            ignore!.reconsiderations.append(item)
            return
        }
        defer { DirectoryDescriptor.close(reached.fd) }
        try loadIgnoreFile(of: wd, path: directory, from: reached.fd, &out)
        if ignore!.rules.digest(ofDirectory: directory) == before.digest(ofDirectory: directory) { return }
        try walk(item, &out)
    }

    /// Directory `wd` was renamed within the tree from `from` to `to`;
    /// `atOnce`: walked now, or (found so by a listing) after the batch.
    func directoryMoved(_ wd: Int32, from: FilePath, to: FilePath, atOnce: Bool = true, _ out: inout [Change]) throws {
        guard ignore != nil else { return }
        let before = ignore!.rules
        ignore!.rules.move(directory: from, to: to)
        ignore!.moveReportedProblems(from: from, to: to)
        let item = IgnoreState.Reconsideration(wd: wd, before: before, oldPath: from)
        if atOnce { try walk(item, &out) } else { ignore!.reconsiderations.append(item) }
    }

    /// Walks the part of the tree `item` names now; what is out of reach
    /// waits for the next batch.
    private func walk(_ item: IgnoreState.Reconsideration, _ out: inout [Change]) throws {
        var again: [IgnoreState.Reconsideration] = []
        let start = try streamPosition()
        try reconsider(item, again: &again, &out)
        let end = try streamPosition()
        ignore!.walked.append(IgnoreState.Walked(item: item, start: start, end: end))
        ignore!.reconsiderations += again
    }

    /// The walks due, once what has been read is handled. A part of the
    /// tree out of reach (a rename above it still to be read) keeps the
    /// rules it was judged by, and is tried again after the next batch, as
    /// a new directory out of reach is: judged later by rules read later,
    /// what hid it from the consumer would be forgotten.
    func reconsiderPending(_ out: inout [Change]) throws {
        guard let due = ignore?.reconsiderations, !due.isEmpty else { return }
        ignore!.reconsiderations = []
        for item in due { try walk(item, &out) }
    }

    // MARK: The walk

    private struct WalkFrame {
        let fd: CInt
        let wd: Int32
        let path: FilePath
        let oldPath: FilePath
        let parent: Int32?
        let name: EventName
        var children: [EventName]
        var next = 0
    }

    private func reconsider(
        _ item: IgnoreState.Reconsideration, again: inout [IgnoreState.Reconsideration], _ out: inout [Change]
    ) throws {
        guard let node = tree.node(item.wd), let path = tree.path(of: item.wd) else { return }  // gone from the tree
        func later(_ wd: Int32, oldPath: FilePath, attempts: Int) {
            guard attempts < Self.deferredAttempts else { return }
            again.append(IgnoreState.Reconsideration(wd: wd, before: item.before, oldPath: oldPath, attempts: attempts))
        }
        guard let reached = reach(item.wd) else {
            later(item.wd, oldPath: item.oldPath ?? path, attempts: item.attempts + 1)
            return
        }
        defer { DirectoryDescriptor.close(reached.fd) }
        let isRoot = item.wd == tree.rootWD
        guard let first = try relist(Array(".".utf8CString), in: reached.fd, wd: item.wd, path: path, oldPath: item.oldPath ?? path,
                                     parent: isRoot ? nil : node.parent, name: node.name, before: item.before, &out)
        else {
            later(item.wd, oldPath: item.oldPath ?? path, attempts: item.attempts + 1)
            return
        }
        var stack = [first]
        defer { for frame in stack { try? closeListing(frame.fd, wd: frame.wd, parent: frame.parent, name: frame.name) } }
        while !stack.isEmpty {
            let top = stack.count - 1
            guard stack[top].next < stack[top].children.count else {
                let done = stack.removeLast()
                try closeListing(done.fd, wd: done.wd, parent: done.parent, name: done.name)
                continue
            }
            let name = stack[top].children[stack[top].next]
            stack[top].next += 1
            let frame = stack[top]
            guard let wd = tree.child(of: frame.wd, named: name) else { continue }  // unwatched meanwhile
            let oldPath = frame.oldPath.appending(name: name)
            if let child = try relist(name.cString, in: frame.fd, wd: wd, path: frame.path.appending(name: name),
                                      oldPath: oldPath, parent: frame.wd, name: name, before: item.before, &out)
            {
                stack.append(child)
            } else {
                later(wd, oldPath: oldPath, attempts: 0)
            }
        }
    }

    /// Opens and lists the watched directory `wd` (`name` in `parentFD`),
    /// acting on what the rules changed; the frame to descend into, or nil
    /// where it is not the directory the tree holds (its events tell).
    private func relist(
        _ name: [CChar], in parentFD: CInt, wd: Int32, path: FilePath, oldPath: FilePath, parent: Int32?,
        name nodeName: EventName, before: IgnoreRules, _ out: inout [Change]
    ) throws -> WalkFrame? {
        let start = try streamPosition()
        let opened = name.withUnsafeBufferPointer {
            DirectoryDescriptor.open($0.baseAddress!, in: parentFD, forListing: true, follow: false)
        }
        guard case .success(let fd) = opened else { return nil }
        guard let info = DirectoryDescriptor.status(fd), let node = tree.node(wd),
              node.identity == .unknown || FileID(info) == node.identity
        else {
            // Another directory at the name: its open and close were ours.
            DirectoryDescriptor.close(fd)
            if countsOwnEvents, let parent {
                log.caused(ListingLog.OwnCounts(), on: wd, ListingLog.OwnCounts(open: 1, closeNoWrite: 1),
                           onParent: parent, name: nodeName, from: start, to: try streamPosition())
            }
            return nil
        }
        try loadIgnoreFile(of: wd, path: path, from: fd, &out)
        var children: [EventName] = []
        var newlyVisible: [Candidate] = []
        let (_, reads) = try Directory.forEachEntry(of: fd, buffer: listingBuffer) { (bytes, kind, inode) throws in
            let isDirectory = isDirectoryEntry(kind, bytes, in: fd)
            // git takes a link to a directory for a file.
            let asGitSees = isDirectory && kind != .symbolicLink
            let entry = EventName(bytes)
            let entryPath = path.appending(name: entry)
            let now = ignores(entryPath, name: entry, isDirectory: asGitSees)
            let key = WatchTree.ChildKey(parent: wd, name: entry)
            if isDirectory, let child = tree.child(of: wd, named: entry) {
                if now {
                    scanned.remove(key)
                    ignore!.walkSuperseded[key] = start
                    ignore!.consumerKnows[key] = false
                    report(.becameIgnored, entryPath, isDirectory: true, [], &out)
                    try unwatchSubtree(child)
                    forgetIgnoreFiles(under: entryPath)
                } else {
                    children.append(entry)
                }
                return
            }
            let was = ignore!.hid(oldPath.appending(name: entry), name: entry, isDirectory: asGitSees, by: before)
            if now && !was && !isDirectory {
                scanned.remove(key)
                ignore!.walkSuperseded[key] = start
                ignore!.consumerKnows[key] = false
                report(.becameIgnored, entryPath, isDirectory: false, [], &out)
                return
            }
            guard !now, was else { return }
            // Visible now, ignored before: new to the consumer. (Its kernel
            // CREATE, if still to come, is the same creation.)
            scanned.insert(key)
            ignore!.walkSuperseded[key] = start
            ignore!.consumerKnows[key] = true
            if isDirectory {
                newlyVisible.append(Candidate(name: entry, inode: inode, kind: kind))
            } else {
                report(.created, entryPath, isDirectory: false, [], scan: true, &out)
            }
        }
        if countsOwnEvents {
            recordOwnListing(wd: wd, parent: parent, name: nodeName, openedWhileWatched: true, reads: reads,
                             from: start, to: try streamPosition())
        }
        if !newlyVisible.isEmpty {
            // Watched and listed as new directories: they, and what they
            // hold, reported as found by scan.
            try scan(from: Frame(fd: fd, owned: false, wd: wd, path: path, parent: nil, name: EventName([]),
                                 children: newlyVisible), report: true, &out)
        }
        return WalkFrame(fd: fd, wd: wd, path: path, oldPath: oldPath, parent: parent, name: nodeName, children: children)
    }
}
