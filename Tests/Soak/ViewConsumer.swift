@_spi(Concurrency) import Inotify
import InotifyTestSupport
import InotifyTree
import SystemPackage

/// Takes a watcher's changes on a task of its own into a ``TreeView``, and
/// can be held still (``pause()``): then the watcher's buffer fills, its
/// thread stops reading, and the kernel's queue takes what comes, up to its
/// overflow.
final class ViewConsumer: Sendable {
    private struct State {
        var view: TreeView
        var paused = false
        var marks: Set<String> = []
        var error: String? = nil
    }

    private let state: Lock<State>
    private let task: Task<Void, Never>

    /// `disk`: the tree when the watcher was made, which its changes go on from.
    init(_ watcher: TreeWatcher, root: FilePath, disk: [String: Bool]) {
        let state = Lock(State(view: TreeView(disk)))
        self.state = state
        task = Task {
            do {
                for try await change in watcher.changes {
                    while state.withLock({ $0.paused }) && !Task.isCancelled {
                        try? await Task.sleep(for: .milliseconds(1))
                    }
                    // The walk is taken when the consumer reads `rescanned`,
                    // later than the watcher's: what changed in between comes
                    // after it, and applies again without harm.
                    let walk = change.kind == .rescanned ? DiskTree(walking: root).entries : nil
                    state.withLock { state in
                        if let walk { state.view.resync(walk) } else { state.view.apply(change) }
                        if change.kind == .created, change.path.string.hasPrefix(Settling.markPrefix) {
                            state.marks.insert(change.path.string)
                        }
                    }
                }
                state.withLock { $0.error = $0.error ?? "the changes ended" }
            } catch {
                state.withLock { $0.error = "\(error)" }
            }
        }
    }

    var view: TreeView { state.withLock { $0.view } }
    /// Why the changes ended, if they did.
    var error: String? { state.withLock { $0.error } }
    func hasSeen(mark: String) -> Bool { state.withLock { $0.marks.contains(mark) } }
    func forget(mark: String) { state.withLock { _ = $0.marks.remove(mark) } }

    func pause() { state.withLock { $0.paused = true } }
    func resume() { state.withLock { $0.paused = false } }
    func stop() { task.cancel() }
}
