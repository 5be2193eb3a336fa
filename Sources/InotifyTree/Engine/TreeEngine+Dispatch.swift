import Inotify
import SystemPackage

// Dispatch: each event, in the order of the stream, to the part it concerns.
// The kernel's own truths (overflow, a watch ended, an unmount) go to the
// recovery; a directory's events about itself are reported as they are; an
// entry event goes through git's rules, then to the moves, the scan or the
// report.

extension TreeEngine {
    /// Handles what one read brought (after what scans read meanwhile), then
    /// retries what waited for the batch, and settles the renames whose
    /// window has passed. At an overflow it stops, with ``needsRescan`` set:
    /// the rest comes after the rescan (``rescanAfterOverflow()``).
    ///
    /// One call handles what it was given and what was read before it, no
    /// more: what scans read meanwhile waits in the backlog for the next call
    /// (``nextDeadline`` is then now). So a writer that never pauses cannot
    /// keep the changes from being handed over, nor make them pile up here.
    func process(_ events: [Inotify.Event], now: ContinuousClock.Instant) throws -> [Change] {
        var out: [Change] = []
        readBytes += Self.size(of: events)
        let batch = backlog.isEmpty ? events : backlog + events
        backlog = []
        try handle(batch, now: now, &out)
        // What the backlog holds came before anything read from here on.
        if needsRescan || !backlog.isEmpty { return out }
        try retryDeferred(&out)
        if !backlog.isEmpty { return out }
        try flushExpiredMoves(now: now, &out)
        return out
    }

    /// When the engine must run again without a new event: at once for events
    /// read during a scan, soon for directories to watch once reachable, at
    /// the oldest unpaired MOVED_FROM's deadline; nil if none.
    var nextDeadline: ContinuousClock.Instant? {
        if !backlog.isEmpty { return .now }
        let retry: ContinuousClock.Instant? = deferred.isEmpty && ignore?.reconsiderations.isEmpty != false
            ? nil : .now.advanced(by: .milliseconds(5))
        switch (retry, moves.nextDeadline) {
        case let (retry?, move?): return min(retry, move)
        case let (retry, move): return retry ?? move
        }
    }

    static func size(of events: [Inotify.Event]) -> UInt64 {
        events.reduce(0) { $0 + 16 + UInt64($1.len) }
    }

    /// Handles `events`; what scans among them read meanwhile, which came
    /// after them, waits in the backlog for the next call, as does what
    /// follows an overflow (after the rescan).
    func handle(_ events: [Inotify.Event], now: ContinuousClock.Instant, _ out: inout [Change]) throws {
        for index in events.indices {
            try handleInOrder(events[index], now: now, &out)
            if needsRescan {
                backlog = Array(events[(index + 1)...]) + backlog
                return
            }
        }
        // Once what has been read is handled: the walks the rules' changes need.
        if backlog.isEmpty { try reconsiderPending(&out) }
    }

    private func handleInOrder(_ event: Inotify.Event, now: ContinuousClock.Instant, _ out: inout [Change]) throws {
        let position = processedBytes
        processedBytes += 16 + UInt64(event.len)
        log.passed(position)
        sight.passed(position)
        if ignore?.walked.isEmpty == false { ignore!.passedWalks(position) }
        if countsOwnEvents, log.isOwn(event, at: position) { return }
        try handle(event, position: position, now: now, &out)
    }

    static let entryEvents: Inotify.EventMask = [.create, .delete, .movedFrom, .movedTo]

    private func handle(_ event: Inotify.Event, position: UInt64, now: ContinuousClock.Instant, _ out: inout [Change]) throws {
        try route(event, position: position, now: now, &out)
        // A .gitignore changed: the rules change here, once the event itself is handled.
        if ignore != nil, event.hasName, !event.mask.isDisjoint(with: Self.ignoreFileEvents),
           event.storedName == Self.ignoreFileName, let directory = tree.cachedPath(of: event.wd.rawValue)
        {
            try ignoreFileChanged(in: event.wd.rawValue, directory: directory, &out)
        }
    }

    private func route(_ event: Inotify.Event, position: UInt64, now: ContinuousClock.Instant, _ out: inout [Change]) throws {
        if event.mask.contains(.queueOverflow) {
            try overflowed(event, &out)
            return
        }
        if event.mask.contains(.ignored) {
            try watchIgnored(event.wd.rawValue, &out)
            return
        }
        if event.mask.contains(.unmount) {
            unmountSeen(event, &out)
            return
        }
        guard event.hasName else {
            directoryEvent(event, &out)
            return
        }
        // The directory's listing came after this and shows what it did.
        if !event.mask.isDisjoint(with: Self.entryEvents), log.isSuperseded(event.wd.rawValue, at: position) { return }
        guard let directory = tree.cachedPath(of: event.wd.rawValue) else { return }  // a watch already dropped, or below one
        let name = event.storedName
        let path = directory.appending(name: name)
        let isDirectory = event.mask.contains(.isDir)
        // A rename's source that the consumer has out of sight: its move is a move in.
        var sourceUnknown = false
        if ignore != nil {
            guard let sight = sight(of: event, name: name, path: path, isDirectory: isDirectory, position: position)
            else { return }  // a walk listed it after this, and said what became of it
            if sight.hidden {
                try handleHidden(event, name: name, path: path, isDirectory: isDirectory, wasHidden: sight.wasHidden,
                                 now: now, &out)
                return
            }
            sourceUnknown = sight.wasHidden
        }
        try entryEvent(event, name: name, path: path, isDirectory: isDirectory, position: position,
                       sourceUnknown: sourceUnknown, now: now, &out)
    }

    /// An event on a watched directory itself. For all but the root its
    /// parent's event tells the structural story; the event itself is
    /// reported only when asked for. Paths are made only for what needs one:
    /// a directory made and deleted over and over sends DELETE_SELF to a new
    /// wd each time, and needs none.
    private func directoryEvent(_ event: Inotify.Event, _ out: inout [Change]) {
        let isRoot = event.wd.rawValue == tree.rootWD
        let asked = event.mask.intersection(askedMask).subtracting(isRoot ? [.deleteSelf, .moveSelf] : [])
        let reportsAsked = !asked.isEmpty && (isRoot || options.reportSelfEvents)
        guard isRoot || reportsAsked, let directory = tree.cachedPath(of: event.wd.rawValue) else { return }
        if isRoot {
            if event.mask.contains(.deleteSelf) {
                report(.rootDeleted, directory, isDirectory: true, [event], isSelfEvent: true, &out)
            }
            if event.mask.contains(.moveSelf) {
                report(.rootMoved, directory, isDirectory: true, [event], isSelfEvent: true, &out)
            }
        }
        guard reportsAsked else { return }
        for (bit, kind) in Self.selfEventKinds where asked.contains(bit) {
            report(kind, directory, isDirectory: true, [event], isSelfEvent: true, &out)
        }
    }

    /// What a directory's events about itself are reported as.
    private static let selfEventKinds: [(Inotify.EventMask, Change.Kind)] = [
        (.access, .accessed), (.modify, .modified), (.attrib, .attributesChanged), (.closeWrite, .closedAfterWrite),
        (.closeNoWrite, .closedWithoutWrite), (.open, .opened), (.deleteSelf, .selfDeleted), (.moveSelf, .selfMoved),
    ]

    /// An entry event of a name in sight (`sourceUnknown`: a rename's source
    /// the consumer has out of sight, so that its move is a move in).
    private func entryEvent(
        _ event: Inotify.Event, name: EventName, path: FilePath, isDirectory: Bool, position: UInt64,
        sourceUnknown: Bool, now: ContinuousClock.Instant, _ out: inout [Change]
    ) throws {
        let key = WatchTree.ChildKey(parent: event.wd.rawValue, name: name)
        if event.mask.contains(.create) {
            try flushPendingMoves(from: event.wd.rawValue, &out)
            if scanned.remove(key) == nil {
                report(.created, path, isDirectory: isDirectory, [event], &out)
            }
            sight.told(name, in: event.wd.rawValue)
            if isDirectory { try watchAndScan(parent: event.wd.rawValue, name: name, path: path, &out) }
        }
        if isDirectory, !event.mask.isDisjoint(with: [.movedFrom, .delete]),
           let directory = tree.child(of: event.wd.rawValue, named: name)
        {
            try flushPendingMoves(under: directory, &out)
        }
        if event.mask.contains(.movedFrom) {
            try flushPendingMoves(from: event.wd.rawValue, &out)
            scanned.remove(key)
            // A scan that made an earlier event of the name known listed
            // what was there when it ran: perhaps what came after this rename.
            let laterInTree = isDirectory
                && tree.child(of: event.wd.rawValue, named: name).map { log.isSuperseded($0, at: position) } == true
            // Renamed before a listing of the directory got to it: its
            // source was never reported (``ListingSight``).
            let neverTold = sight.neverTold(name, in: event.wd.rawValue, at: position)
            try awaitPair(event, name: name, path: path, isDirectory: isDirectory, now: now,
                          ignored: sourceUnknown || neverTold, laterInTree: laterInTree, &out)
        }
        if event.mask.contains(.movedTo) {
            sight.told(name, in: event.wd.rawValue)
            try movedTo(event, parent: event.wd.rawValue, name: name, path: path, isDirectory: isDirectory, &out)
        }
        if event.mask.contains(.delete) {
            try flushPendingMoves(from: event.wd.rawValue, &out)
            scanned.remove(key)
            report(.deleted, path, isDirectory: isDirectory, [event], &out)
            // The name is free now. The deleted directory's IN_IGNORED comes
            // only when its inode goes, which a process holding it open can
            // delay past a new directory of the same name: forget it now, so
            // that the new one is watched.
            // (If a listing put a later directory at the name, it goes too,
            // and the event that brought it there lists it again.)
            if isDirectory, let deleted = tree.child(of: event.wd.rawValue, named: name) {
                try unwatchSubtree(deleted)
            }
            if isDirectory { forgetIgnoreFiles(under: path) }
        }
        if event.mask.contains(.modify) { report(.modified, path, isDirectory: isDirectory, [event], &out) }
        if event.mask.contains(.attrib) { report(.attributesChanged, path, isDirectory: isDirectory, [event], &out) }
        if event.mask.contains(.closeWrite) { report(.closedAfterWrite, path, isDirectory: isDirectory, [event], &out) }
        if event.mask.contains(.access) { report(.accessed, path, isDirectory: isDirectory, [event], &out) }
        if event.mask.contains(.open) { report(.opened, path, isDirectory: isDirectory, [event], &out) }
        if event.mask.contains(.closeNoWrite) { report(.closedWithoutWrite, path, isDirectory: isDirectory, [event], &out) }
    }
}
