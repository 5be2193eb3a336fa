import Inotify

/// What each reporting listing told the consumer, while the events queued
/// during it are still to come.
///
/// A listing reads a directory while others change it, so an entry event
/// queued between the listing's start and its last read (``ListingLog``
/// positions) may have happened before or after the listing read that part
/// of the directory. For most events either is harmless: a creation is
/// reported twice at worst. Not for a rename's source: renamed before the
/// listing got to it, the source was never reported (the listing showed the
/// new name, or nothing), and "moved from" a path the consumer never heard
/// of is a change it cannot apply. So until the stream passes a listing's
/// end, the names the consumer was told of in that directory (by the
/// listing, or by an event since) are kept, and a MOVED_FROM of any other
/// name there is a rename whose source the consumer never saw: paired, its
/// target is a move in; alone, it is nothing the consumer needs to hear.
struct ListingSight {
    private struct Window {
        let start: UInt64
        var end = UInt64.max
        var names: Set<EventName> = []
    }

    /// The latest reporting listing of each directory, until passed.
    private var windows: [Int32: Window] = [:]
    /// Listings by their ends, in the order they ended, to forget them once passed.
    private var ends: [(end: UInt64, wd: Int32)] = []
    private var head = 0

    /// A reporting listing of `wd` starts at `start`.
    mutating func started(_ wd: Int32, at start: UInt64) {
        windows[wd] = Window(start: start)
    }

    /// The listing of `wd` read its last entry before `end`.
    mutating func ended(_ wd: Int32, at end: UInt64) {
        guard windows[wd] != nil else { return }
        windows[wd]!.end = end
        ends.append((end, wd))
    }

    /// The consumer was told of `name` in `wd` (found by its listing, or
    /// created or moved in since).
    mutating func told(_ name: EventName, in wd: Int32) {
        guard !windows.isEmpty, windows[wd] != nil else { return }
        windows[wd]!.names.insert(name)
    }

    /// Whether a MOVED_FROM of `name` in `wd` at `position` moves a name the
    /// consumer was never told of: the event lies inside a listing of the
    /// directory, which did not show the name, and no event since did.
    func neverTold(_ name: EventName, in wd: Int32, at position: UInt64) -> Bool {
        guard !windows.isEmpty, let window = windows[wd], position >= window.start, position < window.end
        else { return false }
        return !window.names.contains(name)
    }

    /// Forgets the listings that ended before `position`: no event from
    /// here on was queued during them.
    mutating func passed(_ position: UInt64) {
        while head < ends.count, ends[head].end <= position {
            let (end, wd) = ends[head]
            if windows[wd]?.end == end { windows.removeValue(forKey: wd) }
            head += 1
        }
        if head > 1024, head * 2 > ends.count {
            ends.removeFirst(head)
            head = 0
        }
    }

    /// After an overflow: positions before it tell nothing any more.
    mutating func reset() {
        windows.removeAll()
        ends.removeAll()
        head = 0
    }

    var pendingForTesting: Int { windows.count }
}
