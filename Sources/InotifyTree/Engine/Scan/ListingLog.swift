import Inotify

/// Where the watcher's own listings of directories fall in the stream of
/// events, by byte position, and what follows from it.
///
/// The kernel queues events in order, and the watcher reads them in order,
/// so an event's position is the number of bytes read before it. A listing's
/// position is taken just before the directory is opened: the bytes read so
/// far plus those still queued (FIONREAD). Two things follow.
///
/// **A listing supersedes what came before it.** A directory is watched
/// before it is listed, so between the two the kernel may queue entry events
/// (create, delete, rename) that the listing already shows: the directory as
/// it is *after* them. Applied after the listing they would be stale: a
/// directory made again under a name that was renamed away would be moved
/// with the rename. So entry events of a directory that lie before its latest
/// listing are not applied; the listing has said what they did. (Events
/// queued between the position and the read of the entries are applied:
/// at worst a creation is reported twice, never one lost.)
///
/// **A listing's own events are told from everyone else's.** Listing a
/// directory opens it, reads it (one IN_ACCESS per getdents64) and closes it:
/// IN_OPEN, IN_ACCESS and IN_CLOSE_NOWRITE on the directory's own watch (the
/// open only when it was watched already) and on its parent's, under its name.
/// Where those events are asked for, each listing records how many of each it
/// caused and the window of the stream they must lie in (its position, and
/// the position once it has closed the directory: every event of a system
/// call is queued before the call returns). Inside the window exactly that
/// many are taken as the watcher's own and not reported; anything beyond
/// them, on the same watches, is another process's and is reported. The
/// kernel merges an event with an identical one queued just before it: the
/// root's reads, which no parent's events separate, merge into one IN_ACCESS
/// (a window expects at most as many as it caused, and what is not used ends
/// with the window), and another process's event merged into one of the
/// watcher's cannot be told from it. Nothing else is taken as the watcher's.
///
/// **A listing's close may come late.** A fork or posix_spawn by any thread
/// of the process (a program that runs a command on each change does it all
/// the time) copies the descriptor table, listing descriptors and all, and
/// the child holds them until it execs or exits: the directory is closed for
/// good, and its IN_CLOSE_NOWRITE queued, only then, after the window. So a
/// window that ends with closes it expected and did not see owes them: the
/// next IN_CLOSE_NOWRITE of that directory (on its watch, and on its
/// parent's under its name) is taken as the late one. If another process's
/// close came first, it is the one taken and the late one is reported in its
/// place: the count is right either way. The debts are bounded
/// (``maxLateCloses``; a child that never execs holds its copy until it exits).
struct ListingLog {
    /// How many of each of its own events a listing caused on one watch.
    struct OwnCounts {
        var open = 0
        var access = 0
        var closeNoWrite = 0

        var isEmpty: Bool { open == 0 && access == 0 && closeNoWrite == 0 }

        /// Takes one event of this kind if one is expected.
        mutating func take(_ mask: Inotify.EventMask) -> Bool {
            if mask.contains(.open), open > 0 { open -= 1; return true }
            if mask.contains(.access), access > 0 { access -= 1; return true }
            if mask.contains(.closeNoWrite), closeNoWrite > 0 { closeNoWrite -= 1; return true }
            return false
        }
    }

    private struct Window {
        let start: UInt64
        let end: UInt64
        let directory: Int32
        var own: OwnCounts
        let parent: Int32?
        let name: EventName
        var onParent: OwnCounts
    }

    /// The start of each directory's latest listing, kept while the events
    /// before it are still to come.
    private var listedAt: [Int32: UInt64] = [:]
    /// The same, in the order of the stream, to forget them once passed.
    private var listedOrder: [(position: UInt64, wd: Int32)] = []
    private var listedHead = 0
    private var windows: [Window] = []
    private var windowHead = 0

    /// The closes a passed window expected and did not see: still to come.
    private struct LateClose {
        let directory: Int32
        var own: Int
        let parent: Int32?
        let name: EventName
        var onParent: Int
    }
    /// Oldest first.
    private var lateCloses: [LateClose] = []
    /// More debts than this and the oldest are forgotten (their closes, if
    /// they ever come, are reported).
    static let maxLateCloses = 4096

    /// A listing of `wd` starts at `position`.
    mutating func listed(_ wd: Int32, at position: UInt64) {
        listedAt[wd] = position
        listedOrder.append((position, wd))
    }

    /// The listing of `directory` (whose parent's watch, if any, names it
    /// `name`) caused `own` on its watch and `onParent` on its parent's,
    /// all between `start` and `end`.
    mutating func caused(
        _ own: OwnCounts, on directory: Int32, _ onParent: OwnCounts, onParent parent: Int32?, name: EventName,
        from start: UInt64, to end: UInt64
    ) {
        guard !own.isEmpty || !onParent.isEmpty else { return }
        // Kept in the order of their starts, which ``isOwn(_:at:)`` relies on:
        // a window inside another (a directory's .gitignore read during its
        // listing) is recorded before the one around it.
        var index = windows.count
        while index > windowHead, windows[index - 1].start > start { index -= 1 }
        windows.insert(Window(start: start, end: end, directory: directory, own: own, parent: parent, name: name, onParent: onParent),
                       at: index)
    }

    /// Whether an entry event of directory `wd` at `position` came before
    /// the directory's latest listing, which shows its effect already.
    func isSuperseded(_ wd: Int32, at position: UInt64) -> Bool {
        guard let listing = listedAt[wd] else { return false }
        return position < listing
    }

    /// Whether `event`, at `position`, is one the watcher's own listing caused.
    mutating func isOwn(_ event: Inotify.Event, at position: UInt64) -> Bool {
        guard !event.mask.isDisjoint(with: Self.listingEvents) else { return false }
        let isClose = event.mask.contains(.closeNoWrite)
        var index = windowHead
        while index < windows.count, windows[index].start <= position {
            // Inside its window, or a close after it (a window inside
            // another is passed before the head reaches it).
            if position < windows[index].end || isClose {
                if event.wd.rawValue == windows[index].directory, !event.hasName {
                    if windows[index].own.take(event.mask) { return true }
                } else if event.wd.rawValue == windows[index].parent,
                          event.storedName == windows[index].name,
                          windows[index].onParent.take(event.mask)
                {
                    return true
                }
            }
            index += 1
        }
        return isClose && takeLateClose(event)
    }

    /// Takes `event`, a close, as one a passed window still expects.
    private mutating func takeLateClose(_ event: Inotify.Event) -> Bool {
        guard let index = lateCloses.firstIndex(where: { late in
            event.hasName
                ? late.onParent > 0 && event.wd.rawValue == late.parent && event.storedName == late.name
                : late.own > 0 && event.wd.rawValue == late.directory
        }) else { return false }
        if event.hasName { lateCloses[index].onParent -= 1 } else { lateCloses[index].own -= 1 }
        if lateCloses[index].own == 0 && lateCloses[index].onParent == 0 { lateCloses.remove(at: index) }
        return true
    }

    /// A window has passed: the closes it did not see are owed.
    private mutating func owe(_ window: Window) {
        guard window.own.closeNoWrite > 0 || window.onParent.closeNoWrite > 0 else { return }
        lateCloses.append(LateClose(directory: window.directory, own: window.own.closeNoWrite,
                                    parent: window.parent, name: window.name, onParent: window.onParent.closeNoWrite))
        if lateCloses.count > Self.maxLateCloses { lateCloses.removeFirst(lateCloses.count - Self.maxLateCloses) }
    }

    /// Forgets what lies before `position`: the events there have been read.
    mutating func passed(_ position: UInt64) {
        while listedHead < listedOrder.count, listedOrder[listedHead].position <= position {
            let (listing, wd) = listedOrder[listedHead]
            if listedAt[wd] == listing { listedAt.removeValue(forKey: wd) }
            listedHead += 1
        }
        if listedHead > 1024, listedHead * 2 > listedOrder.count {
            listedOrder.removeFirst(listedHead)
            listedHead = 0
        }
        while windowHead < windows.count, windows[windowHead].end <= position {
            owe(windows[windowHead])
            windowHead += 1
        }
        if windowHead > 1024, windowHead * 2 > windows.count {
            windows.removeFirst(windowHead)
            windowHead = 0
        }
    }

    /// After an overflow: positions before it tell nothing any more.
    mutating func reset() {
        listedAt.removeAll()
        listedOrder.removeAll()
        listedHead = 0
        windows.removeAll()
        windowHead = 0
        lateCloses.removeAll()
    }

    var pendingWindowsForTesting: Int { windows.count - windowHead }
    var pendingLateClosesForTesting: Int { lateCloses.count }

    /// What listing a directory causes.
    static let listingEvents: Inotify.EventMask = [.open, .access, .closeNoWrite]
}
