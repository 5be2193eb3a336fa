import Dispatch
@_spi(Concurrency) import Inotify
import InotifyTree
import SystemPackage

/// A source of changes that plays a script: no kernel, no disk, nothing but
/// the ``ChangeSource`` protocol between it and the watcher. The test plays
/// each step as it goes (``Script/play(_:)``); the watcher's thread waits for
/// it as it would for the kernel.
public struct ScriptedSource: ChangeSource {
    /// One step of a script.
    public enum Step: Sendable {
        /// What one read would bring: changes, whether the source lost track
        /// of the tree, and how many watches it holds after it (nil: as before).
        case batch([Change], needsRescan: Bool = false, watchCount: Int? = nil)
        /// The source fails: its `next()` throws.
        case failure(String)
        /// The root is gone: nothing more comes.
        case end
    }

    /// What a scripted source failed with.
    public struct Failure: Error, Equatable {
        /// What the script said.
        public let reason: String

        /// A failure for `reason`.
        public init(reason: String) {
            self.reason = reason
        }
    }

    /// The steps, played from the test's thread and taken by the watcher's.
    public final class Script: Sendable {
        private struct State {
            var steps: [Step] = []
            var stopped = false
            var rescans = 0
            var lagging = false
        }

        private let state = Lock(State())
        /// Signalled once per step played, and once when stopped.
        private let played = DispatchSemaphore(value: 0)

        /// Nothing played yet.
        public init() {}

        /// Plays `step`: the source's next `next()` returns it.
        public func play(_ step: Step) {
            state.withLock { $0.steps.append(step) }
            played.signal()
        }

        /// Whether the source says it lags behind what it watches (its
        /// control's `isCaughtUp` is false): set by the test.
        public var isLagging: Bool {
            get { state.withLock { $0.lagging } }
            set { state.withLock { $0.lagging = newValue } }
        }

        /// Whether the watcher stopped the source (its `close()`).
        public var isStopped: Bool { state.withLock { $0.stopped } }

        /// How many rescans the watcher had the source do.
        public var rescans: Int { state.withLock { $0.rescans } }

        func stop() {
            let first = state.withLock { state in
                defer { state.stopped = true }
                return !state.stopped
            }
            if first { played.signal() }
        }

        func countRescan() {
            state.withLock { $0.rescans += 1 }
        }

        /// The next step, once played; nil once stopped.
        func next() -> Step? {
            while true {
                let taken = state.withLock { state -> (step: Step?, stopped: Bool) in
                    (state.steps.isEmpty ? nil : state.steps.removeFirst(), state.stopped)
                }
                if let step = taken.step { return step }
                if taken.stopped { return nil }
                played.wait()
            }
        }
    }

    /// Stops the script: a waiting `next()` returns nil.
    public struct Control: ChangeSourceControl {
        let script: Script

        /// Stops the script, once.
        public func stop() { script.stop() }

        /// As the test says (``Script/isLagging``).
        public var isCaughtUp: Bool { !script.isLagging }
    }

    /// The root the changes are said to be under.
    public let root: FilePath
    /// Where the test plays the steps.
    public let script: Script
    /// As the last batch that said it has it.
    public private(set) var watchCount: Int
    /// What a rescan finds, before the `rescanned` that ends it.
    private let rescanFinds: [Change]
    private var ended = false

    /// A source at `root` that plays `script`, holding `watchCount` watches
    /// to begin with; a rescan finds `rescanFinds`.
    public init(root: FilePath, script: Script, watchCount: Int = 1, rescanFinds: [Change] = []) {
        self.root = root
        self.script = script
        self.watchCount = watchCount
        self.rescanFinds = rescanFinds
    }

    /// What stops the script.
    public var control: Control { Control(script: script) }

    /// The next step, once played: a batch, a failure thrown, or nil at the end.
    public mutating func next() throws -> ChangeBatch? {
        if ended { return nil }
        switch script.next() {
        case .batch(let changes, let needsRescan, let count)?:
            if let count { watchCount = count }
            return ChangeBatch(changes, needsRescan: needsRescan)
        case .failure(let reason)?:
            throw Failure(reason: reason)
        case .end?, nil:
            ended = true
            return nil
        }
    }

    /// Counts the rescan, and says what it finds, then `rescanned`.
    public mutating func rescan() throws -> [Change] {
        script.countRescan()
        return rescanFinds + [Change(.rescanned, path: FilePath(), root: root, isDirectory: true)]
    }
}
