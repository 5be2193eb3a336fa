import Glibc
@_spi(Concurrency) import Inotify
import InotifyTree
import Synchronization
import SystemPackage

/// One tree watcher per root, for `-r`. Each root's changes are consumed by
/// a task of its own with a consumer of its own, so no output buffer or
/// regular expression is shared between tasks; only finished lines meet, in
/// ``LineSink``. What follows reads only the watchers' changes, whatever
/// their source.
final class TreeWatchSet: Sendable {
    let watchers: [(root: [UInt8], watcher: TreeWatcher)]

    /// Watches every root with inotify (the kinds of change the events of
    /// `mask` are); nil after printing why one could not be watched.
    init?(
        roots: [[UInt8]], mask: Inotify.EventMask, excluded: [[UInt8]], gitIgnore: Bool, diagnostics: Diagnostics,
        failureVerb: String = "Couldn't watch"
    ) {
        var options = TreeWatcher.Options()
        options.gitIgnore = gitIgnore
        options.reported = Change.Kinds(inotifyMask: mask)
        options.reportSelfEvents = true
        options.onWatchLimit = .continueAndReport
        var watchers: [(root: [UInt8], watcher: TreeWatcher)] = []
        for root in roots {
            var rootOptions = options
            let rootPath = filePath(root)
            let excludedHere = excluded.compactMap { TreeWatchSet.relative($0, to: root) }
            if !excludedHere.isEmpty {
                rootOptions.excludeDirectory = { path in excludedHere.contains(path) }
            }
            do {
                watchers.append((root, try TreeWatcher(root: rootPath, options: rootOptions)))
            } catch let error as Inotify.Error {
                if error.operation == .initialize1 {
                    diagnostics.initFailure(error.errno.rawValue)
                } else {
                    diagnostics.watchFailure(root, errno: error.errno.rawValue, verb: failureVerb)
                }
                return nil
            } catch {
                diagnostics.say("\(failureVerb) \(display(root)): \(error)")
                return nil
            }
        }
        self.watchers = watchers
    }

    /// Watchers made elsewhere, from sources of any kind, each under the
    /// root as given.
    init(watchers: [(root: [UInt8], watcher: TreeWatcher)]) {
        self.watchers = watchers
    }

    /// `path` relative to `root` when it lies below it (both as given, lexically).
    static func relative(_ path: [UInt8], to root: [UInt8]) -> FilePath? {
        let full = filePath(path).lexicallyNormalized()
        let base = filePath(root).lexicallyNormalized()
        guard full.starts(with: base), full != base else { return nil }
        var relative = full
        guard relative.removePrefix(base) else { return nil }
        return relative
    }

    /// Set before the watchers are closed, so that a stream that ends can
    /// tell being closed from the root's own end.
    private let closing = Atomic<Bool>(false)

    var isClosed: Bool { closing.load(ordering: .acquiring) }

    func closeAll() {
        closing.store(true, ordering: .releasing)
        for entry in watchers { entry.watcher.close() }
    }
}

/// Finished output from several tasks, written whole: lines never interleave.
final class LineSink: Sendable {
    private let lock = Lock(())
    let descriptor: CInt

    init(descriptor: CInt) {
        self.descriptor = descriptor
    }

    /// Writes and empties `bytes`; returns the errno of a failed write.
    func write(_ bytes: inout [UInt8]) -> CInt? {
        if bytes.isEmpty { return nil }
        let failure = lock.withLock { _ in bytes.withUnsafeBytes { writeAll(descriptor, $0) } }
        bytes.removeAll(keepingCapacity: true)
        return failure
    }
}
