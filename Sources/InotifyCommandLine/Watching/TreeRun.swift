import InotifyTree
import Synchronization

/// What consumes one root's changes in `-r` mode; made inside the task that
/// uses it, so it need not be Sendable.
protocol TreeConsumer {
    /// Called before the first change, with how the root's lines are made.
    mutating func begin(_ lines: TreeLines)
    /// Handles one change; false stops every root.
    mutating func consume(_ change: Change, root: [UInt8]) -> Bool
    /// Called when no change is waiting (the end of a burst), and when
    /// ``bufferedBytes`` reaches ``TreeRun/flushThreshold`` before that.
    mutating func flush()
    /// How many bytes of output wait for the next flush.
    var bufferedBytes: Int { get }
    /// Whether output could not be written (the message printed): the run
    /// then ends, and fails, as it does without -r.
    var writeFailed: Bool { get }
    /// Called when the root's changes run out (not after an error or a
    /// consumer's stop), before the last flush: `closed` when the watchers
    /// had been closed by then, false when the tree ended by itself (the root
    /// deleted or unmounted).
    mutating func streamEnded(root: [UInt8], closed: Bool)
}

extension TreeConsumer {
    mutating func begin(_ lines: TreeLines) {}
    var bufferedBytes: Int { 0 }
    var writeFailed: Bool { false }
    mutating func streamEnded(root: [UInt8], closed: Bool) {}
}

/// When a tree's output is written.
enum TreeRun {
    /// Output is written once no change waits, so that a burst costs one
    /// write(2); and at the latest once this much waits, so that what waits
    /// stays bounded. While changes keep coming faster than their lines
    /// are made (writers that outpace the output, a burst as long as the
    /// run), the consumer never finds none waiting, and all the output of
    /// that stretch would otherwise wait in memory, without bound.
    static let flushThreshold = 64 * 1024
}

extension TreeWatchSet {
    enum Stop: Int {
        case ended = 0, done, timedOut, failed
    }

    /// Consumes every root's changes until a consumer says stop, every stream
    /// ends (each root gone, or ``closeAll()``), or `timeout` seconds (0: never)
    /// pass: without a change when `restartsOnChange` (inotifywait), in all
    /// (inotifywatch) otherwise.
    func run(
        timeout: Int, restartsOnChange: Bool = true, diagnostics: Diagnostics,
        makeConsumer: @escaping @Sendable () -> any TreeConsumer
    ) async -> Stop {
        let state = RunState()
        await withTaskGroup(of: Void.self) { group in
            for entry in watchers {
                group.addTask {
                    defer { state.finishedRoots.add(1, ordering: .relaxed) }
                    var consumer = makeConsumer()
                    consumer.begin(self.lines(entry.root))
                    do {
                        for try await change in entry.watcher.changes {
                            if restartsOnChange { state.lastChange.store(Clock.now, ordering: .relaxed) }
                            if !consumer.consume(change, root: entry.root) {
                                consumer.flush()
                                let stop = consumer.writeFailed ? Stop.failed : Stop.done
                                _ = state.stop.compareExchange(expected: Stop.ended.rawValue, desired: stop.rawValue, ordering: .relaxed)
                                self.closeAll()
                                return
                            }
                            if entry.watcher.pendingChanges == 0 || consumer.bufferedBytes >= TreeRun.flushThreshold {
                                consumer.flush()
                            }
                            // Output that cannot be written ends the run, as
                            // it does without -r: nothing would be seen.
                            if consumer.writeFailed {
                                _ = state.stop.compareExchange(expected: Stop.ended.rawValue, desired: Stop.failed.rawValue, ordering: .relaxed)
                                self.closeAll()
                                return
                            }
                        }
                    } catch {
                        consumer.flush()
                        diagnostics.say("\(display(entry.root)): \(error)")
                        _ = state.stop.compareExchange(expected: Stop.ended.rawValue, desired: Stop.failed.rawValue, ordering: .relaxed)
                        self.closeAll()
                        return
                    }
                    consumer.streamEnded(root: entry.root, closed: self.isClosed)
                    consumer.flush()
                    if consumer.writeFailed {
                        _ = state.stop.compareExchange(expected: Stop.ended.rawValue, desired: Stop.failed.rawValue, ordering: .relaxed)
                    }
                }
            }
            if timeout > 0 {
                group.addTask {
                    let limit = Int64(timeout) * 1000
                    while !Task.isCancelled {
                        let left = state.lastChange.load(ordering: .relaxed) + limit - Clock.now
                        if left <= 0 {
                            _ = state.stop.compareExchange(expected: Stop.ended.rawValue, desired: Stop.timedOut.rawValue, ordering: .relaxed)
                            self.closeAll()
                            return
                        }
                        do { try await Task.sleep(for: .milliseconds(left)) } catch { return }  // cancelled: done
                    }
                }
            }
            // The roots' tasks end on their own; the timer must not outlive them.
            while await group.next() != nil {
                if state.finishedRoots.load(ordering: .relaxed) == watchers.count
                    || state.stop.load(ordering: .relaxed) != Stop.ended.rawValue
                {
                    group.cancelAll()
                }
            }
        }
        return Stop(rawValue: state.stop.load(ordering: .relaxed)) ?? .ended
    }
}

/// What the tasks of one run share.
private final class RunState: Sendable {
    let stop = Atomic<Int>(TreeWatchSet.Stop.ended.rawValue)
    /// When the last change came (monotonic milliseconds), for the timeout.
    let lastChange = Atomic<Int64>(Clock.now)
    let finishedRoots = Atomic<Int>(0)
}
