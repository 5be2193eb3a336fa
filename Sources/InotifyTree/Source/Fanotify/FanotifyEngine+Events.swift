import Glibc
import Inotify
import SystemPackage

// What each event means for the tree: a change in a directory the tree
// holds, a rename in, out of or within it, a directory's own word about
// itself, or nothing (elsewhere on the filesystem, or the engine's own
// listing). The kernel merges an event into a recent one of the same thread
// about the same entry and object (not only the last), which then has several
// bits (a created file's CREATE, ATTRIB and CLOSE_WRITE): each bit is a
// change, in the order they can happen in, and a deletion among them is told
// late (``LateDeletion``).

extension FanotifyEngine {
    /// The changes `events` make, in order: one read, after which
    /// `queuedAfter` events were still queued. After an overflow, what
    /// follows it in the read waits for the rescan (``needsRescan``).
    func process(_ events: [Fanotify.Event], queuedAfter: Int) -> [Change] {
        let first = readCount
        readCount += UInt64(events.count)
        return process(events.enumerated().map { ($1, first + UInt64($0) + 1) }, queuedAfter: queuedAfter)
    }

    /// What a listing read ahead (``backlog``), in order.
    func processBacklog() -> [Change] {
        let events = backlog
        backlog = []
        return process(events, queuedAfter: (try? group.queuedEventCount()) ?? 0)
    }

    /// `events`, each with its place in the stream.
    private func process(_ events: [(Fanotify.Event, UInt64)], queuedAfter: Int) -> [Change] {
        queuedBefore = readCount + UInt64(queuedAfter)
        var changes: [Change] = []
        for (event, place) in events {
            if finished || needsRescan { break }
            position = place
            apply(event, into: &changes)
        }
        tellLateDeletions(into: &changes) { $0.due <= position }
        return changes
    }

    /// Tells the late deletions `isDue` picks, in the order they came.
    func tellLateDeletions(into changes: inout [Change], where isDue: (LateDeletion) -> Bool) {
        guard lateDeletions.contains(where: isDue) else { return }
        var kept: [LateDeletion] = []
        let all = lateDeletions
        lateDeletions = []
        for late in all {
            guard isDue(late) else {
                kept.append(late)
                continue
            }
            if late.isDirectory, let target = late.target { tree.remove(target) }
            guard let directoryPath = tree.path(of: late.directory) else { continue }
            report(.deleted, directoryPath.appending(name: late.name), isDirectory: late.isDirectory, late.event, into: &changes)
        }
        lateDeletions = kept + lateDeletions
    }

    /// Before something takes the name `name` in `directory`: a deletion of
    /// it that came late happened before, and so did one inside a directory
    /// held there (which a rename over it replaces).
    func nameTaken(_ name: EventName, in directory: HandleTree.Key, into changes: inout [Change]) {
        guard !lateDeletions.isEmpty else { return }
        let held = tree.child(named: name, in: directory)
        tellLateDeletions(into: &changes) { late in
            (late.directory == directory && late.name == name) || held.map { tree.isWithin(late.directory, $0) } ?? false
        }
    }

    /// The bits of an entry's event, in the order they can happen in, and
    /// the change each is.
    private static let entryBits: [(Fanotify.EventMask, Change.Kind)] = [
        (.create, .created), (.open, .opened), (.modify, .modified), (.attrib, .attributesChanged),
        (.access, .accessed), (.closeWrite, .closedAfterWrite), (.closeNoWrite, .closedWithoutWrite),
        (.delete, .deleted),
    ]

    /// What a listing does to the directories it lists: never reported.
    static let listingEvents: Fanotify.EventMask = [.open, .access, .closeNoWrite, .onDir]

    private func apply(_ event: Fanotify.Event, into changes: inout [Change]) {
        if event.mask.contains(.queueOverflow) {
            needsRescan = true
            changes.append(Change(.overflow, path: FilePath(), root: root, isDirectory: true))
            return
        }
        if listingThreads.contains(event.pid) && event.mask.isSubset(of: Self.listingEvents) { return }
        if event.mask.contains(.rename) {
            applyRename(event, into: &changes)
            return
        }
        guard let entry = event.fileID(Fanotify.FAN_EVENT_INFO_TYPE_DFID_NAME) else { return }
        let directory = HandleTree.Key(entry)
        guard let directoryPath = tree.path(of: directory) else {
            // Only what happens in a directory can be early: its own word is not kept.
            if event.mask.isDisjoint(with: [.deleteSelf, .moveSelf]) { early.keep(event, about: directory) }
            return
        }
        let isDirectory = event.mask.contains(.onDir)
        let isItself = entry.name == nil || entry.name == [UInt8(ascii: ".")]
        // The root's own end and move are never superseded: no listing tells them.
        if isSuperseded(directory) && !(isItself && directory == tree.root) { return }
        guard let name = entry.name, !isItself else {
            applyToItself(event, directory, at: directoryPath, into: &changes)
            return
        }
        let path = directoryPath.appending(name: EventName(name))
        let target = event.fileID(Fanotify.FAN_EVENT_INFO_TYPE_FID).map(HandleTree.Key.init)
        if event.mask.contains(.create) { nameTaken(EventName(name), in: directory, into: &changes) }
        for (bit, kind) in Self.entryBits where event.mask.contains(bit) {
            if kind == .deleted && !event.mask.subtracting([.delete, .onDir]).isEmpty {
                lateDeletions.append(LateDeletion(
                    event: event, directory: directory, name: EventName(name), target: target,
                    isDirectory: isDirectory, due: queuedBefore))
                continue
            }
            if isDirectory, let target {
                if kind == .created && !filter.excludesDirectory(name: EventName(name), path: { path }) {
                    report(kind, path, isDirectory: true, event, into: &changes)
                    switch early.take(for: target) {
                    case .list:
                        listMovedIn(target, in: directory, name: EventName(name), at: path, reporting: true, into: &changes)
                    case .replay(let before):
                        place(target, in: directory, name: EventName(name), into: &changes)
                        for event in before { apply(event, into: &changes) }
                    case nil:
                        place(target, in: directory, name: EventName(name), into: &changes)
                    }
                    continue
                }
                if kind == .deleted { tree.remove(target) }
            }
            report(kind, path, isDirectory: isDirectory, event, into: &changes)
        }
    }

    /// A rename's two places, each in the tree or not: a move within it, in
    /// or out of it, or nothing to say.
    private func applyRename(_ event: Fanotify.Event, into changes: inout [Change]) {
        guard let old = event.fileID(Fanotify.FAN_EVENT_INFO_TYPE_OLD_DFID_NAME),
            let new = event.fileID(Fanotify.FAN_EVENT_INFO_TYPE_NEW_DFID_NAME),
            let oldName = old.name, let newName = new.name
        else { return }
        let isDirectory = event.mask.contains(.onDir)
        let target = event.fileID(Fanotify.FAN_EVENT_INFO_TYPE_FID)
        let oldParent = HandleTree.Key(old)
        var oldPath = tree.path(of: oldParent).map { $0.appending(name: EventName(oldName)) }
        let newParent = HandleTree.Key(new)
        var newPath = tree.path(of: newParent).map { $0.appending(name: EventName(newName)) }
        // A side in a directory not held yet may be in one made a moment ago:
        // that directory is listed at its creation.
        if oldPath == nil { early.cannotReplay(oldParent) }
        if newPath == nil { early.cannotReplay(newParent) }
        // A side a later listing found the outcome of is told as outside
        // the tree: the listing reported what is there now.
        let oldSuperseded = oldPath != nil && isSuperseded(oldParent)
        let newSuperseded = newPath != nil && isSuperseded(newParent)
        if oldSuperseded && newSuperseded { return }
        if oldSuperseded { oldPath = nil }
        if newSuperseded { newPath = nil }
        if newPath != nil { nameTaken(EventName(newName), in: newParent, into: &changes) }
        let excluded = newPath.map { path in
            isDirectory && filter.excludesDirectory(name: EventName(newName), path: { path })
        } ?? true
        switch (oldPath, newPath) {
        case (let from?, let to?):
            report(.moved(from: from), to, isDirectory: isDirectory, event, into: &changes)
            guard isDirectory, let target else { return }
            let key = HandleTree.Key(target)
            if excluded {
                tree.remove(key)
            } else if tree.contains(key) {
                place(key, in: newParent, name: EventName(newName), into: &changes)
            } else {
                // Not held: excluded until this rename, or made where a
                // listing had already passed. Listed now, what it holds
                // found by scan, as for one moved in.
                listMovedIn(key, in: newParent, name: EventName(newName), at: to, reporting: true, into: &changes)
            }
        case (let from?, nil):
            report(.movedOut, from, isDirectory: isDirectory, event, into: &changes)
            guard isDirectory, let target else { return }
            let key = HandleTree.Key(target)
            // Where a listing placed it since, it stays.
            if !newSuperseded || tree.nodes[key]?.parent == oldParent { tree.remove(key) }
        case (nil, let to?):
            report(.movedIn, to, isDirectory: isDirectory, event, into: &changes)
            guard isDirectory, !excluded, let target else { return }
            // Placed by a listing since: where it found it is where it is.
            if oldSuperseded && tree.contains(HandleTree.Key(target)) { return }
            listMovedIn(HandleTree.Key(target), in: newParent, name: EventName(newName), at: to, reporting: true, into: &changes)
        case (nil, nil):
            return
        }
    }

    /// An event a directory says about itself (`.` for a name): the root's
    /// end or move, or a subdirectory's attributes, opens, reads, closes,
    /// deletion and move (its parent's events say the last two).
    private func applyToItself(
        _ event: Fanotify.Event, _ directory: HandleTree.Key, at path: FilePath, into changes: inout [Change]
    ) {
        let isRoot = directory == tree.root
        if isRoot {
            if event.mask.contains(.deleteSelf) {
                tellLateDeletions(into: &changes) { _ in true }
                finished = true
                changes.append(Change(.rootDeleted, path: path, root: root, isDirectory: true, isSelfEvent: true, raw: .fanotify(event)))
                return
            }
            if event.mask.contains(.moveSelf) {
                changes.append(Change(.rootMoved, path: path, root: root, isDirectory: true, isSelfEvent: true, raw: .fanotify(event)))
            }
        }
        for (bit, kind) in Self.entryBits where event.mask.contains(bit) {
            // The root has no parent in the tree to say it: its own word is
            // the change, as inotify's root watch gives it. A subdirectory's
            // is what its parent's watch would say; the directory's own
            // word too, when asked for.
            report(kind, path, isDirectory: true, event, isSelfEvent: isRoot, into: &changes)
            if !isRoot && options.reportSelfEvents {
                report(kind, path, isDirectory: true, event, isSelfEvent: true, into: &changes)
            }
        }
        guard !isRoot else { return }
        // The tree forgets a directory at its parent's DELETE, not here: the
        // kernel merges this event into an earlier one of the same thread
        // (its listing before `rm -r`), ahead of the deletions inside it.
        if event.mask.contains(.deleteSelf) && options.reportSelfEvents {
            report(.selfDeleted, path, isDirectory: true, event, isSelfEvent: true, into: &changes)
        }
        if event.mask.contains(.moveSelf) && options.reportSelfEvents {
            report(.selfMoved, path, isDirectory: true, event, isSelfEvent: true, into: &changes)
        }
    }

    func report(
        _ kind: Change.Kind, _ path: FilePath, isDirectory: Bool, _ event: Fanotify.Event, isSelfEvent: Bool = false,
        into changes: inout [Change]
    ) {
        guard filter.reports(kind, at: path) else { return }
        changes.append(Change(kind, path: path, root: root, isDirectory: isDirectory, isSelfEvent: isSelfEvent, raw: .fanotify(event)))
    }

    /// Places the directory `key` at `name` in `parent`. One held there
    /// before is forgotten (``HandleTree``): a deletion told late inside it
    /// happened before it left, so it is told first, at its path then.
    func place(_ key: HandleTree.Key, in parent: HandleTree.Key, name: EventName, into changes: inout [Change]) {
        if !lateDeletions.isEmpty, let replaced = tree.child(named: name, in: parent), replaced != key {
            nameTaken(name, in: parent, into: &changes)
        }
        tree.place(key, in: parent, name: name)
    }

    /// Lists a directory that came into the tree from outside (or out of an
    /// exclusion, or with events queued before its creation), reached by its
    /// handle, and places it and all below it.
    private func listMovedIn(
        _ key: HandleTree.Key, in parent: HandleTree.Key, name: EventName, at path: FilePath, reporting: Bool,
        into changes: inout [Change]
    ) {
        place(key, in: parent, name: name, into: &changes)
        early.discard(key)
        // A deletion told late happened before the read that brought it, so
        // before this listing: told first, or a name the listing finds
        // taken again would be reported, then deleted (seen in a churn).
        // (By handle: a name holds one directory, so what is below `key` is
        // what is below its path.)
        tellLateDeletions(into: &changes) { tree.isWithin($0.directory, key) }
        // Even where it cannot be listed (gone already), what was queued
        // about its inside until now is past: it was not seen to be there.
        let start = streamEnd
        listedAt[key] = start
        latestListing = max(latestListing, start)
        guard let mount = mountDescriptor(for: key.fsid) else {
            changes.append(unwatched(path, reason: "no descriptor of its filesystem to open it by handle"))
            return
        }
        defer { DirectoryDescriptor.close(mount) }
        let fd: FileDescriptor
        do {
            fd = try Fanotify.open(key.handle, mount: FileDescriptor(rawValue: mount), flags: O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        } catch {
            // Gone already (ESTALE): its deletion is queued.
            if error.errno != .staleNFSFileHandle { changes.append(unwatched(path, reason: "\(error)")) }
            return
        }
        defer { DirectoryDescriptor.close(fd.rawValue) }
        list(fd.rawValue, key: key, path: path, reporting: reporting, superseding: true, into: &changes)
    }

    /// A descriptor of a directory on the filesystem `fsid`, which is all
    /// open_by_handle_at needs of its mount argument: the root's path, else
    /// the path of a marked filesystem's directory in the tree. None is held
    /// between events: a held directory pins its mount and delays its own
    /// deletion's events.
    func mountDescriptor(for fsid: Fanotify.FilesystemID) -> CInt? {
        var candidates = [root]
        if fsid != tree.root.fsid, let other = tree.nodes.keys.first(where: { $0.fsid == fsid }),
            let path = tree.path(of: other)
        {
            candidates.append(root.pushing(path))
        }
        for candidate in candidates {
            // Opened for reading: open_by_handle_at refuses an O_PATH
            // descriptor (EBADF). Its opening is the engine's own, as a listing's.
            listingThreads.insert(Syscalls.threadID())
            let opened = candidate.withPlatformString {
                DirectoryDescriptor.open($0, in: AT_FDCWD, forListing: true, follow: true)
            }
            guard case .success(let fd) = opened else { continue }
            if let id = try? Fanotify.fileID(of: FileDescriptor(rawValue: fd)), id.fsid == fsid { return fd }
            DirectoryDescriptor.close(fd)
        }
        return nil
    }
}
