import Inotify
import SystemPackage

// Renames: a MOVED_FROM waits in ``MovePairing`` for the MOVED_TO with its
// cookie. Paired, it is one `moved(from:)` change and, for a directory, one
// update of the tree that moves everything below it. Unpaired, it left the
// tree: `movedOut`, its watches removed. A MOVED_TO with no half waiting came
// from outside: `movedIn`, a directory watched and listed.

extension TreeEngine {
    /// A rename locks the directories it changes and queues both halves
    /// before it lets go, so once any other entry event of the same
    /// directory is read, an earlier MOVED_FROM of it that is still unpaired
    /// has no MOVED_TO to come: it left the tree.
    func flushPendingMoves(from parent: Int32, _ out: inout [Change]) throws {
        try moves.settle(where: { $0.parent == parent }) { try movedOut($0, &out) }
    }

    /// Before a directory moves or goes, the unpaired MOVED_FROMs of
    /// directories at or below it, which came before: reported under the
    /// paths they had, and in the order they happened.
    func flushPendingMoves(under directory: Int32, _ out: inout [Change]) throws {
        try moves.settle(where: { isAncestor(directory, of: $0.parent) }) { try movedOut($0, &out) }
    }

    /// Lets go of a directory the tree held where something else now is:
    /// what waits for a pair below it is told first, under the paths it had,
    /// then its watches go.
    func letGo(_ directory: Int32, _ out: inout [Change]) throws {
        try flushPendingMoves(under: directory, &out)
        try unwatchSubtree(directory)
    }

    /// Reports unpaired MOVED_FROMs whose window has passed, but only once the
    /// kernel holds nothing more: a MOVED_TO still queued, behind a long
    /// listing, would otherwise be taken for a move into the tree.
    func flushExpiredMoves(now: ContinuousClock.Instant, _ out: inout [Change]) throws {
        while let first = moves.firstExpired(by: now) {
            let more = try watches.read(timeout: .zero)
            if !more.isEmpty {
                // Handled here, once: the half waits for a call that finds
                // the kernel quiet (a writer that never pauses must not hold
                // every change back).
                readBytes += Self.size(of: more)
                try handle(more, now: now, &out)
                return
            }
            moves.removeFirst()
            try movedOut(first, &out)
        }
    }

    /// A MOVED_FROM waits for its MOVED_TO, within the pairing window and
    /// the bound on waiting halves (past it, the oldest is a move out).
    func awaitPair(
        _ event: Inotify.Event, name: EventName, path: FilePath, isDirectory: Bool, now: ContinuousClock.Instant,
        ignored: Bool, laterInTree: Bool = false, _ out: inout [Change]
    ) throws {
        let move = MovePairing.PendingMove(
            cookie: event.cookie, parent: event.wd.rawValue, name: name, path: path, isDirectory: isDirectory,
            event: event, deadline: moves.deadline(from: now), ignored: ignored, laterInTree: laterInTree)
        if let oldest = moves.wait(move) { try movedOut(oldest, &out) }
    }

    /// A MOVED_TO of a name in sight: the second half of a rename within the
    /// tree, or a move into it.
    func movedTo(
        _ event: Inotify.Event, parent: Int32, name: EventName, path: FilePath, isDirectory: Bool,
        _ out: inout [Change]
    ) throws {
        guard let from = moves.take(cookie: event.cookie) else {
            try flushPendingMoves(from: parent, &out)
            if scanned.remove(WatchTree.ChildKey(parent: parent, name: name)) == nil {
                report(.movedIn, path, isDirectory: isDirectory, [event], &out)
            }
            if isDirectory {
                // A rename onto an empty directory replaces it: the one the
                // tree held at the name is gone.
                if let replaced = tree.child(of: parent, named: name) {
                    try letGo(replaced, &out)
                }
                try watchAndScan(parent: parent, name: name, path: path, &out)
            }
            return
        }
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
            try letGo(later, &out)
            forgetIgnoreFiles(under: from.path)
            if let replaced = tree.child(of: parent, named: name) {
                try letGo(replaced, &out)
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
        if isDirectory, let moving = tree.child(of: from.parent, named: from.name) {
            // A move out from below it read between this rename's two halves
            // is told first, under the path it had.
            try flushPendingMoves(under: moving, &out)
        }
        report(.moved(from: from.path), path, isDirectory: isDirectory, [from.event, event], &out)
        guard isDirectory else { return }
        if let moved = tree.child(of: from.parent, named: from.name) {
            if filter.excludesDirectory(name: name, path: { path }) {
                try unwatchSubtree(moved)
            } else if isAncestor(moved, of: parent) {
                // Into its own subtree: a listing placed that subtree where it
                // went later, and this rename came first. The tree cannot hold
                // both; it is listed again, and the consumer told to resync.
                try rescan(&out)
                out.append(Change(.rescanned, path: FilePath(), root: root, isDirectory: true))
            } else {
                if let stale = tree.child(of: parent, named: name), stale != moved {
                    try letGo(stale, &out)
                }
                tree.move(moved, to: parent, name: name)
                try directoryMoved(moved, from: from.path, to: path, &out)
            }
        } else {
            // It was not watched where it came from (excluded there): watch it now.
            try watchAndScan(parent: parent, name: name, path: path, &out)
        }
    }

    /// A MOVED_FROM settled unpaired: it left the tree.
    func movedOut(_ move: MovePairing.PendingMove, _ out: inout [Change]) throws {
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
}
