import Synchronization
import SystemPackage

/// An instance's table of its watches: each watch's number and the path it
/// was added with. It changes in one place each: an entry comes with
/// ``insert(_:path:)``, and leaves with ``remove(_:)`` (the watch was removed)
/// or ``delivered(_:)`` (a read handed out its `IN_IGNORED`).
///
/// The entries one delivery ended still answer ``pathForEvent(_:)`` until the
/// next delivery: the events that come in the same read as an `IN_IGNORED`
/// (a `DELETE_SELF` just before it, the `DELETE`s of a directory removed with
/// everything in it) belong to the watch it ended, and their consumer asks
/// for their paths after the read has returned.
final class WatchTable: Sendable {
    private struct State {
        /// wd -> the path it was added with.
        var live: [Int32: FilePath] = [:]
        /// The watches the latest delivery ended.
        var ended: [Int32: FilePath] = [:]
        /// The instance is closed: the table stays empty.
        var closed = false
    }

    private let state = Lock(State())
    /// Whether `ended` may hold entries: a delivery without an `IN_IGNORED`
    /// then takes no lock.
    private let mayHoldEnded = Atomic<Bool>(false)

    /// Enters a watch just added (or changed: the path is the latest given).
    func insert(_ wd: Int32, path: FilePath) {
        state.withLock { state in
            // A close() in between has emptied the table for good.
            guard !state.closed else { return }
            state.live[wd] = path
            state.ended[wd] = nil
        }
    }

    /// Takes out a watch being removed; nil when the table does not hold it.
    func remove(_ wd: Int32) -> FilePath? {
        state.withLock { $0.live.removeValue(forKey: wd) }
    }

    /// The path of a live watch.
    func path(of wd: Int32) -> FilePath? {
        state.withLock { $0.live[wd] }
    }

    /// The path of the watch an event just delivered belongs to: a live
    /// watch, or one the event's own delivery ended.
    func pathForEvent(_ wd: Int32) -> FilePath? {
        state.withLock { $0.live[wd] ?? $0.ended[wd] }
    }

    /// Every live watch.
    var live: [Int32: FilePath] {
        state.withLock { $0.live }
    }

    /// Events are being handed out: the watches whose `IN_IGNORED` is among
    /// them leave the table, and those the previous delivery ended are
    /// forgotten for good.
    func delivered(_ events: [Inotify.Event]) {
        let ends = events.contains { $0.mask.contains(.ignored) }
        guard ends || mayHoldEnded.load(ordering: .relaxed) else { return }
        state.withLock { state in
            state.ended.removeAll()
            for event in events where event.mask.contains(.ignored) {
                if let path = state.live.removeValue(forKey: event.wd.rawValue) {
                    state.ended[event.wd.rawValue] = path
                }
            }
            mayHoldEnded.store(!state.ended.isEmpty, ordering: .relaxed)
        }
    }

    /// The instance closed: every watch is gone, and none is entered again.
    func close() {
        state.withLock { state in
            state.closed = true
            state.live.removeAll()
            state.ended.removeAll()
        }
        mayHoldEnded.store(false, ordering: .relaxed)
    }
}
