import Foundation
@_spi(Concurrency) import Inotify
import InotifyTestSupport
import SystemPackage

/// The writers: threads that each run a ``TreeChurn`` of their own, stop
/// between two operations when paused, and one of which makes a burst now
/// and then: more events at once than the kernel's queue and the watcher's
/// buffer hold, with the consumer held still meanwhile, so that the queue
/// overflows and the watcher rescans. Writer 0 also puts back, every
/// second, what the churn took from the tree below its size (``Population``):
/// removals outpace creations, and the churn is of a big tree; and empties
/// the directory outside, where moves out pile up.
final class Writers: Sendable {
    /// What one writer has done so far.
    struct Counts {
        var operations: [TreeChurn.Operation: Int] = [:]
        var bursts = 0
        var burstEvents = 0
        /// Entries put back to keep the tree at its size.
        var putBack = 0

        var total: Int { operations.values.reduce(0, +) }
    }

    private struct State {
        /// How many pauses are in force: the checks', and the consumer's
        /// while it resyncs; the writers go on when none is.
        var pauses = 0
        var stopped = false
        /// Writers waiting in a pause, or ended.
        var parked = 0
        var counts: [Counts]
    }

    private let state: Lock<State>
    let count: Int

    /// Starts `count` writers on `root` (`outside` for moves out and in),
    /// each seeded from `seed`; writer 0 makes a burst of `burst` events
    /// every `burstEvery` seconds (none if `burst` is 0), holding `consumer`
    /// still meanwhile (if there is one).
    init(count: Int, root: FilePath, outside: FilePath, shape: TreeChurn.Shape, seed: UInt64, entries: Int,
         burst: Int, burstEvery: Int, consumer: ViewConsumer?) {
        self.count = count
        let state = Lock(State(counts: Array(repeating: Counts(), count: count)))
        self.state = state
        for index in 0..<count {
            let thread = Thread {
                var churn = TreeChurn(root: root, outside: outside, seed: seed &+ UInt64(index), tag: "w\(index)", shape: shape)
                var counts = Counts()
                var nextBurst = ContinuousClock.now + .seconds(burstEvery)
                var nextTopUp = ContinuousClock.now + .seconds(1)
                while Writers.checkpoint(state, index: index, counts: counts) {
                    churn.step()
                    counts.operations = churn.counts
                    if index == 0, burst > 0, ContinuousClock.now >= nextBurst {
                        consumer?.pause()
                        counts.burstEvents += Writers.burst(in: root.appending("burst-\(counts.bursts)"), events: burst)
                        counts.bursts += 1
                        consumer?.resume()
                        nextBurst = ContinuousClock.now + .seconds(burstEvery)
                    }
                    if index == 0, ContinuousClock.now >= nextTopUp {
                        // What moves out piles up outside: emptied as often.
                        Population.empty(outside)
                        counts.putBack += Population.fill(root, shape: shape, entries: entries)
                        nextTopUp = ContinuousClock.now + .seconds(1)
                    }
                }
            }
            thread.name = "soak-writer-\(index)"
            thread.start()
        }
    }

    /// Between two operations: publishes what the writer did, waits while
    /// the writers are paused; false once they are stopped.
    private static func checkpoint(_ state: Lock<State>, index: Int, counts: Counts) -> Bool {
        var parked = false
        while true {
            let (paused, stopped) = state.withLock { state in
                state.counts[index] = counts
                let paused = state.pauses > 0
                if (paused || state.stopped) && !parked { state.parked += 1 }
                if !paused && !state.stopped && parked { state.parked -= 1 }
                return (paused, state.stopped)
            }
            parked = paused || stopped
            if stopped { return false }
            if !paused { return true }
            usleep(1000)
        }
    }

    /// Pauses every writer between two operations; returns once all are
    /// still. Pauses nest: the writers go on once each has been resumed.
    func pause() {
        state.withLock { $0.pauses += 1 }
        waitUntilParked()
    }

    func resume() {
        state.withLock { $0.pauses -= 1 }
    }

    /// Stops every writer for good; returns once all have ended.
    func stop() {
        state.withLock { $0.stopped = true }
        waitUntilParked()
    }

    private func waitUntilParked() {
        while state.withLock({ $0.parked }) < count { usleep(1000) }
    }

    /// Every writer's counts, as of its last operation.
    var counts: Counts {
        state.withLock { state in
            state.counts.reduce(into: Counts()) { sum, one in
                sum.operations.merge(one.operations, uniquingKeysWith: +)
                sum.bursts += one.bursts
                sum.burstEvents += one.burstEvents
                sum.putBack += one.putBack
            }
        }
    }

    /// Makes `directory`, at least `events` / 3 files in it (CREATE and
    /// CLOSE_WRITE each), removes them (DELETE) and it: about `events`
    /// events as fast as one thread makes them. Returns how many were made.
    static func burst(in directory: FilePath, events: Int) -> Int {
        guard directory.withPlatformString({ mkdir($0, 0o755) }) == 0 else { return 0 }
        var made = 2  // the directory's CREATE and DELETE
        let files = (events + 2) / 3
        for index in 0..<files {
            let fd = directory.appending("b\(index)").withPlatformString { open($0, O_CREAT | O_WRONLY | O_CLOEXEC, 0o644) }
            if fd >= 0 {
                close(fd)
                made += 2
            }
        }
        for index in 0..<files where directory.appending("b\(index)").withPlatformString({ unlink($0) }) == 0 {
            made += 1
        }
        _ = directory.withPlatformString { rmdir($0) }
        return made
    }
}
