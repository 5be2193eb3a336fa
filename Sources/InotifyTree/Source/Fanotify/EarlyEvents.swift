import Inotify

/// Events about directories the tree does not hold, kept a while. mkdir(2)
/// makes a directory visible before it queues its creation, so another
/// writer's events inside it can come first, about a handle not held yet.
/// When the directory's creation comes, they are applied after it, in
/// order; where that cannot be done exactly (one was let go to keep the
/// bound, or one was a rename, whose other side may be anywhere), the
/// directory is listed instead. Most are about directories elsewhere on the
/// filesystem and are let go unused.
struct EarlyEvents {
    /// Events kept at most (a few hundred bytes each).
    static let eventLimit = 4096
    /// Directories remembered as not replayable, per generation: two
    /// generations are remembered.
    static let unreplayableLimit = 8192

    /// What a directory's creation does with what came before it.
    enum Outcome {
        case replay([Fanotify.Event])
        case list
    }

    private var kept: [HandleTree.Key: [(serial: UInt64, event: Fanotify.Event)]] = [:]
    /// Every event kept, oldest first, from `head` on, by serial: an entry
    /// whose event was taken since is passed over, and the whole is made
    /// again from what is kept before it holds twice ``eventLimit``.
    private var order: [(serial: UInt64, key: HandleTree.Key)] = []
    private var head = 0
    private var serial: UInt64 = 0
    private(set) var count = 0
    private var unreplayable: Set<HandleTree.Key> = []
    private var unreplayableBefore: Set<HandleTree.Key> = []

    /// Entries in the order of events kept, taken ones included (at most
    /// twice ``eventLimit``).
    var orderedCount: Int { order.count - head }

    /// Keeps `event`, about the directory `key`; past ``eventLimit`` the
    /// oldest kept is let go, and its directory will be listed.
    mutating func keep(_ event: Fanotify.Event, about key: HandleTree.Key) {
        serial += 1
        kept[key, default: []].append((serial, event))
        order.append((serial, key))
        count += 1
        while count > Self.eventLimit, head < order.count {
            let oldest = order[head]
            head += 1
            guard var events = kept[oldest.key], events.first?.serial == oldest.serial else { continue }
            events.removeFirst()
            kept[oldest.key] = events.isEmpty ? nil : events
            count -= 1
            cannotReplay(oldest.key)
        }
        if order.count - head > 2 * Self.eventLimit {
            order = kept.flatMap { key, events in events.map { (serial: $0.serial, key: key) } }.sorted { $0.serial < $1.serial }
            head = 0
        }
    }

    /// Something happened in the directory `key` that replaying cannot
    /// tell exactly: it is listed at its creation.
    mutating func cannotReplay(_ key: HandleTree.Key) {
        if unreplayable.count >= Self.unreplayableLimit {
            unreplayableBefore = unreplayable
            unreplayable = []
        }
        unreplayable.insert(key)
    }

    /// What the creation of the directory `key` does: nil when nothing came
    /// before it.
    mutating func take(for key: HandleTree.Key) -> Outcome? {
        let events = discard(key)
        if unreplayable.remove(key) != nil || unreplayableBefore.remove(key) != nil { return .list }
        return events.isEmpty ? nil : .replay(events)
    }

    /// Forgets what came about the directory `key` (a listing found its outcome).
    @discardableResult
    mutating func discard(_ key: HandleTree.Key) -> [Fanotify.Event] {
        guard let events = kept.removeValue(forKey: key) else { return [] }
        count -= events.count
        return events.map(\.event)
    }

    mutating func removeAll() {
        self = EarlyEvents()
    }
}
