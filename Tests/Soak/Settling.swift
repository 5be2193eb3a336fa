import Foundation
import InotifyTree
import SystemPackage

/// Waits until the consumer has taken every change made before now: a
/// marker file is made and its `created` awaited (the kernel queues events
/// in order, and the watcher keeps that order). Twice, the second once
/// three move-pairing windows have passed since the first marker, so that
/// every MOVED_FROM left unpaired has been settled too. A marker whose
/// event an overflow took is replaced by another after the rescan. The markers are
/// removed again when the churn resumes (``removeMarks()``).
struct Settling {
    static let markPrefix = "soak-mark-"
    let root: FilePath
    private(set) var round = 0
    private var made: [String] = []

    init(root: FilePath) {
        self.root = root
    }

    /// False when a marker's change did not come within `timeout`, or the
    /// changes ended.
    mutating func settle(_ watcher: TreeWatcher, _ consumer: ViewConsumer, timeout: Duration = .seconds(120)) async -> Bool {
        let started = ContinuousClock.now
        for pass in 0..<2 {
            let deadline = ContinuousClock.now + timeout
            var mark = ""
            var rescans = -1
            while mark.isEmpty || !consumer.hasSeen(mark: mark) {
                // A marker's event lost in an overflow never comes (a rescan
                // reports no files): after a rescan, another marker.
                if consumer.rescans != rescans {
                    rescans = consumer.rescans
                    round += 1
                    mark = Self.markPrefix + "\(round)"
                    made.append(mark)
                    let fd = root.appending(mark).withPlatformString { open($0, O_CREAT | O_WRONLY | O_CLOEXEC, 0o644) }
                    guard fd >= 0 else { return false }
                    close(fd)
                }
                if consumer.error != nil || ContinuousClock.now > deadline { return false }
                try? await Task.sleep(for: .milliseconds(1))
            }
            consumer.forget(mark: mark)
            if pass == 0 {
                let window = watcher.options.movePairingWindow * 3
                let left = window - (ContinuousClock.now - started)
                if left > .zero { try? await Task.sleep(for: left) }
            }
        }
        return true
    }

    /// Removes the markers made so far: a change like any other for the watcher.
    mutating func removeMarks() {
        for mark in made { _ = root.appending(mark).withPlatformString { unlink($0) } }
        made = []
    }
}
