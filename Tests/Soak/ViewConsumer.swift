import Foundation
@_spi(Concurrency) import Inotify
import InotifyTestSupport
import InotifyTree
import SystemPackage

/// Takes a watcher's changes on a task of its own into a ``TreeView``, and
/// can be held still (``pause()``): then the watcher's buffer fills, its
/// thread stops reading, and the kernel's queue takes what comes, up to its
/// overflow.
///
/// On `rescanned` it resyncs from the disk, at a quiet moment: a walk taken
/// while writers rename and remove is no picture of any one moment (a
/// subtree renamed while the walk goes is seen twice, or not at all), and the
/// changes after `rescanned`, applied again to a walk that shows them
/// already, do not always undo that. So the writers are paused, a marker
/// file is made, the changes up to its own are passed over (the walk will
/// show what they did), and the disk walked then, with nothing left to come.
final class ViewConsumer: Sendable {
    private struct State {
        var view: TreeView
        var paused = false
        var marks: Set<String> = []
        var error: String? = nil
        /// Resyncing: the marker whose change ends the changes passed over.
        var resyncMark: String? = nil
        var resyncs = 0
        /// What the consumer pauses while it resyncs.
        var writers: Writers? = nil
    }

    private let state: Lock<State>
    private let task: Task<Void, Never>

    /// `disk`: the tree when the watcher was made, which its changes go on from.
    init(_ watcher: TreeWatcher, root: FilePath, disk: [String: Bool]) {
        let state = Lock(State(view: TreeView(disk)))
        self.state = state
        let trace = ProcessInfo.processInfo.environment["SOAK_TRACE"].flatMap { FileHandle(forWritingAtPath: $0) }
        task = Task {
            var traced: [String] = []
            func flush() {
                guard let trace, !traced.isEmpty else { return }
                trace.write(Data((traced.joined(separator: "\n") + "\n").utf8))
                traced.removeAll(keepingCapacity: true)
            }
            do {
                for try await change in watcher.changes {
                    if trace != nil {
                        traced.append("\(change) \(change.inotifyEvents.map { "\($0.wd):\($0.mask):\($0.cookie):\($0.name)" })")
                        if traced.count > 20_000 || change.path.string.hasPrefix(Settling.markPrefix) || change.kind == .rescanned { flush() }
                    }
                    while state.withLock({ $0.paused }) && !Task.isCancelled {
                        try? await Task.sleep(for: .milliseconds(1))
                    }
                    let path = change.path.string
                    if change.kind == .created, path.hasPrefix(Settling.markPrefix) {
                        state.withLock { _ = $0.marks.insert(path) }
                    }
                    let (mark, writers) = state.withLock { ($0.resyncMark, $0.writers) }
                    if let mark {
                        // Passed over: the walk shows it. The marker's own
                        // change is the last before a still disk.
                        state.withLock { $0.view.pass(change) }
                        if change.kind == .rescanned {
                            // The marker's event may have been lost in the
                            // overflow (a rescan reports no files): another.
                            let next = mark + "+"
                            state.withLock { $0.resyncMark = next }
                            _ = root.appending(mark).withPlatformString { unlink($0) }
                            let fd = root.appending(next).withPlatformString { open($0, O_CREAT | O_WRONLY | O_CLOEXEC, 0o644) }
                            if fd >= 0 { close(fd) }
                            continue
                        }
                        guard change.kind == .created, path == mark else { continue }
                        let walk = DiskTree(walking: root).entries
                        if trace != nil {
                            traced.append("RESYNC from a walk of \(walk.count) entries")
                            flush()
                        }
                        state.withLock { state in
                            state.view.resync(walk)
                            state.resyncMark = nil
                        }
                        _ = root.appending(mark).withPlatformString { unlink($0) }
                        writers?.resume()
                    } else if change.kind == .rescanned {
                        let mark = state.withLock { state in
                            state.resyncs += 1
                            state.resyncMark = "soak-resync-\(state.resyncs)"
                            return state.resyncMark!
                        }
                        state.withLock { $0.view.pass(change) }
                        writers?.pause()
                        let fd = root.appending(mark).withPlatformString { open($0, O_CREAT | O_WRONLY | O_CLOEXEC, 0o644) }
                        if fd >= 0 { close(fd) }
                    } else {
                        state.withLock { $0.view.apply(change) }
                    }
                }
                state.withLock { $0.error = $0.error ?? "the changes ended" }
            } catch {
                state.withLock { $0.error = "\(error)" }
            }
        }
    }

    var view: TreeView { state.withLock { $0.view } }
    /// How many `rescanned` changes have been taken.
    var rescans: Int { state.withLock { $0.view.rescans } }
    /// Why the changes ended, if they did.
    var error: String? { state.withLock { $0.error } }
    func hasSeen(mark: String) -> Bool { state.withLock { $0.marks.contains(mark) } }
    func forget(mark: String) { state.withLock { _ = $0.marks.remove(mark) } }

    /// The writers to pause while resyncing; set once they exist.
    func resyncs(pausing writers: Writers) { state.withLock { $0.writers = writers } }

    func pause() { state.withLock { $0.paused = true } }
    func resume() { state.withLock { $0.paused = false } }
    func stop() { task.cancel() }
}
