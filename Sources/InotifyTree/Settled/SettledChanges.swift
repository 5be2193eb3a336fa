@_spi(Concurrency) import Inotify
import SystemPackage

extension TreeWatcher {
    /// The watcher's changes in settled batches: each the net effect of a
    /// burst (``SettledBatch``), handed over once the tree has been quiet for
    /// `quiet`, or at the latest `maxWait` after the burst's first change,
    /// so that writing without pause still yields a batch that often.
    ///
    /// A rename is never split between batches: its two halves reach the
    /// watcher paired, within ``Options/movePairingWindow``. While a version
    /// control lock exists (`.git/index.lock`, `.hg/wlock`, in the root or
    /// above it), and after it goes until the watcher has caught up with
    /// the kernel's queue and the tree has been quiet for `quiet` (what the
    /// lock's holder did may still be on its way), the batch stays open,
    /// past `maxWait`, up to `lockLimit` after its first change: one `git
    /// checkout` is one batch. A watcher that lags behind the kernel's queue
    /// may not see the lock at all: then a state file that the tool wrote as
    /// it let go (`.git/index`, `.hg/dirstate`) after the watcher was last
    /// caught up holds the batch the same way. Takes the place of ``changes``: one
    /// consumer, of one or the other.
    public func settled(
        quiet: Duration = .milliseconds(50), maxWait: Duration = .seconds(1), lockLimit: Duration = .seconds(30)
    ) -> SettledChanges {
        SettledChanges(watcher: self, quiet: quiet, maxWait: maxWait, lockLimit: lockLimit)
    }
}

/// A watcher's changes in settled batches (``TreeWatcher/settled(quiet:maxWait:lockLimit:)``).
public struct SettledChanges: AsyncSequence, Sendable {
    public typealias Element = SettledBatch
    let watcher: TreeWatcher
    let quiet: Duration
    let maxWait: Duration
    let lockLimit: Duration

    public func makeAsyncIterator() -> Iterator {
        let batcher = Batcher(watcher: watcher, quiet: quiet, maxWait: maxWait, lockLimit: lockLimit)
        return Iterator(batcher: batcher, wakes: batcher.signal.makeAsyncIterator())
    }

    /// One pass over the batches. Not `Sendable`: one task iterates.
    public struct Iterator: AsyncIteratorProtocol {
        let batcher: Batcher
        var wakes: AsyncStream<Void>.Iterator

        /// The next batch; nil once the watcher's changes end (after the
        /// last batch) or the task is cancelled.
        public mutating func next() async throws -> SettledBatch? { try await batcher.next(&wakes) }
    }

    /// Takes the watcher's changes on a task of its own (folding them as
    /// they come, so what it holds grows with the paths touched, not the
    /// changes), and closes batches by the clock.
    final class Batcher: Sendable {
        struct State {
            var effect = NetEffect()
            var first: ContinuousClock.Instant?
            var last: ContinuousClock.Instant?
            var ended = false
            var error: (any Error)?
            /// Times a batch was held open for a version control lock.
            var heldForLock = 0
            /// When a batch was first and last held for a lock: the looks'
            /// own instants, which tests compare (an observer polling the
            /// count would add its own lateness to each end).
            var heldForLockSpan: (first: ContinuousClock.Instant, last: ContinuousClock.Instant)?
            /// This batch was held for a lock, not yet seen let go.
            var lockSeen = false
            /// When the watcher was last seen caught up with its source
            /// (real-time seconds, to compare with a state file's ctime).
            var caughtUpAt = Self.realNow()

            static func realNow() -> Double {
                let now = Syscalls.realTime()
                return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
            }
        }

        let state = Lock(State())
        let quiet: Duration
        let maxWait: Duration
        let lockLimit: Duration
        let lock: VersionControlLock
        /// Wakes `next` when a change comes to an empty batch, or the end.
        let signal: AsyncStream<Void>
        private let signalled: AsyncStream<Void>.Continuation
        private let pump: Lock<Task<Void, Never>?> = Lock(nil)
        private let watcher: TreeWatcher

        init(watcher: TreeWatcher, quiet: Duration, maxWait: Duration, lockLimit: Duration) {
            self.watcher = watcher
            self.quiet = quiet
            self.maxWait = Swift.max(maxWait, quiet)
            self.lockLimit = lockLimit
            lock = VersionControlLock(root: watcher.root)
            (signal, signalled) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        }

        deinit {
            pump.withLock { $0?.cancel() }
            signalled.finish()
        }

        private func startPumping() {
            pump.withLock { task in
                guard task == nil else { return }
                let state = state, signalled = signalled, watcher = watcher
                task = Task {
                    do {
                        for try await change in watcher.changes {
                            let now = ContinuousClock.now
                            state.withLock { state in
                                state.effect.apply(change)
                                if state.first == nil { state.first = now }
                                state.last = now
                            }
                            signalled.yield()
                        }
                        state.withLock { $0.ended = true }
                    } catch {
                        state.withLock { $0.ended = true; $0.error = error }
                    }
                    signalled.yield()
                }
            }
        }

        /// What `next` does now: hand a batch over, end, or wait (for a
        /// change, or until an instant).
        enum Step {
            case batch(SettledBatch)
            case end((any Error)?)
            case waitForChange
            case wait(until: ContinuousClock.Instant)
        }

        /// The least time between two looks at a batch that is held.
        static let shortestLookAgain: Duration = .milliseconds(5)

        func step(now: ContinuousClock.Instant) -> Step {
            // Changes the watcher has and this has not taken yet (its task
            // kept from running): the tree is not quiet.
            let waiting = watcher.pendingChanges > 0
            // Behind its source, the watcher's changes are older than the
            // tree: a lock gone now may have covered them.
            let caughtUp = watcher.isCaughtUp
            let realNow = State.realNow()
            // Looked at outside the lock: a stat or two per look, while a
            // batch is due.
            let due = state.withLock { state -> Bool in
                guard let first = state.first, let last = state.last, !state.ended else { return false }
                let due = Swift.min(last.advanced(by: quiet), first.advanced(by: maxWait))
                return now >= due && now < first.advanced(by: lockLimit)
            }
            let lockHeld: Bool? = due ? lock.isHeld : nil
            let stateChanged = due && !caughtUp ? lock.stateChanged : nil
            return state.withLock { state in
                // A state file written since the watcher was last caught up:
                // a version control operation ended while its changes were
                // (maybe) still on their way. The coarse clock of file times
                // lags a tick behind.
                if let stateChanged, stateChanged + 0.02 >= state.caughtUpAt { state.lockSeen = true }
                if caughtUp { state.caughtUpAt = realNow }
                guard let first = state.first, let last = state.last else {
                    if state.ended { return .end(state.error) }
                    return .waitForChange
                }
                let quietAt = last.advanced(by: quiet)
                let due = Swift.min(quietAt, first.advanced(by: maxWait))
                // How soon to look again while held: never at once, which
                // with a quiet window of 0 would spin for as long as a lock
                // is held or the watcher lags.
                let again = now.advanced(by: Swift.max(quiet, Self.shortestLookAgain))
                if now < due && !state.ended { return .wait(until: due) }
                if !state.ended && now < first.advanced(by: lockLimit) {
                    if lockHeld == true {
                        state.heldForLock += 1
                        state.heldForLockSpan = (state.heldForLockSpan?.first ?? now, now)
                        state.lockSeen = true
                        return .wait(until: again)
                    }
                    if state.lockSeen && (waiting || !caughtUp || now < quietAt) {
                        // The lock went, but what its holder did may still be
                        // on its way (the kernel's queue, the watcher): the
                        // batch closes once the tree is quiet, past maxWait.
                        return .wait(until: Swift.max(quietAt, again))
                    }
                }
                // Quiet by the clock, but changes wait to be taken: not
                // quiet yet (the maximum wait still closes the batch).
                if waiting && !state.ended && now < first.advanced(by: maxWait) {
                    return .wait(until: Swift.min(again, first.advanced(by: maxWait)))
                }
                let batch = SettledBatch(state.effect)
                state.effect = NetEffect()
                state.lockSeen = false
                state.first = nil
                state.last = nil
                return .batch(batch)
            }
        }

        func next(_ wakes: inout AsyncStream<Void>.Iterator) async throws -> SettledBatch? {
            startPumping()
            while true {
                switch step(now: .now) {
                case .batch(let batch):
                    // One that cancelled out entirely is no batch at all.
                    if batch.isEmpty { continue }
                    return batch
                case .end(let error?):
                    throw error
                case .end(nil):
                    return nil
                case .waitForChange:
                    guard await wakes.next() != nil, !Task.isCancelled else { return nil }
                case .wait(let instant):
                    do { try await Task.sleep(until: instant, clock: .continuous) } catch { return nil }
                }
            }
        }

        var heldForLockForTesting: Int { state.withLock { $0.heldForLock } }
        var heldForLockSpanForTesting: (looks: Int, span: Duration)? {
            state.withLock { state in state.heldForLockSpan.map { (state.heldForLock, $0.last - $0.first) } }
        }
        var foldedForTesting: Int { state.withLock { $0.effect.count } }
        var lockSeenForTesting: Bool { state.withLock { $0.lockSeen } }
    }
}

@available(*, unavailable, message: "one task iterates: hand the batches on, not the iterator")
extension SettledChanges.Iterator: Sendable {}
