import Inotify
import SystemPackage

/// The first halves of renames (MOVED_FROM) waiting for their second
/// (MOVED_TO, the same cookie): within a window of time, and at most so many
/// at once. Only the waiting: what a half that is settled unpaired means, a
/// move out of the tree, is the engine's (`TreeEngine+Moves.swift`).
///
/// The kernel queues both halves of a rename together, so the window only
/// has to cover a read that splits them; and a rename locks the directories
/// it changes, so a later entry event of the same directory settles a half
/// at once (``settle(where:_:)``).
struct MovePairing {
    /// A MOVED_FROM waiting for its MOVED_TO.
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

    /// How long a half waits for its pair.
    let window: Duration
    /// At most this many halves wait; past it, the oldest is settled.
    let limit: Int
    /// Oldest first.
    private var pending: [PendingMove] = []

    init(window: Duration, limit: Int) {
        self.window = window
        self.limit = limit
    }

    /// Whether a directory's MOVED_FROM waits: until it is settled, the
    /// tree holds that directory where it was.
    var waitsForDirectory: Bool { pending.contains { $0.isDirectory } }

    /// When the oldest half's window ends; nil when none waits.
    var nextDeadline: ContinuousClock.Instant? { pending.first?.deadline }

    /// The deadline of a half that starts waiting `now`.
    func deadline(from now: ContinuousClock.Instant) -> ContinuousClock.Instant { now.advanced(by: window) }

    /// `move` waits; the oldest half, if that passes the bound, no longer
    /// does and is returned, to be settled unpaired.
    mutating func wait(_ move: PendingMove) -> PendingMove? {
        pending.append(move)
        return pending.count > limit ? pending.removeFirst() : nil
    }

    /// The half that `cookie` completes, no longer waiting; nil if none waits.
    mutating func take(cookie: UInt32) -> PendingMove? {
        guard let index = pending.firstIndex(where: { $0.cookie == cookie }) else { return nil }
        return pending.remove(at: index)
    }

    /// The oldest half, if its window has passed by `now`.
    func firstExpired(by now: ContinuousClock.Instant) -> PendingMove? {
        guard let first = pending.first, first.deadline <= now else { return nil }
        return first
    }

    mutating func removeFirst() {
        pending.removeFirst()
    }

    /// Settles every half `settles` picks, oldest first, each handed to
    /// `settle` before the next is judged (settling one can change what is
    /// said of the next: its directory may leave the tree); the rest wait on.
    mutating func settle(
        where settles: (PendingMove) -> Bool, _ settle: (PendingMove) throws -> Void
    ) rethrows {
        guard pending.contains(where: settles) else { return }
        var kept: [PendingMove] = []
        for move in pending {
            if settles(move) { try settle(move) } else { kept.append(move) }
        }
        pending = kept
    }

    /// After an overflow: what waited is part of what was lost.
    mutating func removeAll() {
        pending.removeAll()
    }
}
