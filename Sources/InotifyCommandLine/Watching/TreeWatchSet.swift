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
    /// The roots that are not directories, each watched as a leaf: `%w` is
    /// the path as given, with no `/` after it.
    let leaves: Set<[UInt8]>

    /// Watches every root with `source` (inotify, or with `.automatic`
    /// fanotify's filesystem mark where it can be had), for the kinds of
    /// change the events of `mask` are; a root that is not a directory by
    /// itself (``LeafSource``, not following a link with `noDereference`);
    /// nil after printing why one could not be watched.
    init?(
        roots: [[UInt8]], mask: Inotify.EventMask, excluded: [[UInt8]], gitIgnore: Bool, diagnostics: Diagnostics,
        noDereference: Bool = false, failureVerb: String = "Couldn't watch", source: TreeWatcher.SourceKind = .inotify
    ) {
        var options = TreeWatcher.Options()
        options.source = source
        options.gitIgnore = gitIgnore
        options.reported = Change.Kinds(inotifyMask: mask)
        options.reportSelfEvents = true
        options.onWatchLimit = .continueAndReport
        var watchers: [(root: [UInt8], watcher: TreeWatcher)] = []
        var leaves: Set<[UInt8]> = []
        for root in roots {
            var rootOptions = options
            let rootPath = filePath(root)
            let excludedHere = excluded.compactMap { TreeWatchSet.relative($0, to: root) }
            if !excludedHere.isEmpty {
                rootOptions.excludeDirectory = { path in excludedHere.contains(path) }
            }
            do {
                if !isDirectory(root) && Self.exists(root) {
                    let source = try LeafSource(path: root, mask: mask, noDereference: noDereference)
                    watchers.append((root, try TreeWatcher(source: source, changeBufferLimit: options.changeBufferLimit)))
                    leaves.insert(root)
                } else {
                    watchers.append((root, try TreeWatcher(root: rootPath, options: rootOptions)))
                }
            } catch let error as Inotify.Error {
                Self.report(error, root: root, diagnostics: diagnostics, failureVerb: failureVerb)
                return nil
            } catch {
                diagnostics.say("\(failureVerb) \(display(root)): \(error)")
                return nil
            }
        }
        self.watchers = watchers
        self.leaves = leaves
    }

    /// Watchers made elsewhere, from sources of any kind, each under the
    /// root as given.
    init(watchers: [(root: [UInt8], watcher: TreeWatcher)]) {
        self.watchers = watchers
        leaves = []
    }

    /// Says, for each root a `.automatic` source watches with inotify, why
    /// fanotify could not watch it.
    func sayInotifyFallbacks(_ diagnostics: Diagnostics) {
        for entry in watchers where entry.watcher.options.source == .automatic && entry.watcher.sourceChoice.kind == .inotify {
            diagnostics.say(Messages.treeWithInotify(display(entry.root), reason: entry.watcher.sourceChoice.reason))
        }
    }

    /// The lines of `root`'s changes: `%w` with `/` after a directory.
    func lines(_ root: [UInt8]) -> TreeLines {
        TreeLines(root: root, isDirectory: !leaves.contains(root))
    }

    /// Whether anything is at `path` (a dangling link counts): what is not
    /// is left to the tree watcher, which says so in inotifywait's words.
    private static func exists(_ path: [UInt8]) -> Bool {
        if case .success = withCPath(path, { Syscalls.status(of: $0, followingLinks: false) }) { return true }
        return false
    }

    private static func report(_ error: Inotify.Error, root: [UInt8], diagnostics: Diagnostics, failureVerb: String) {
        if error.operation == .initialize1 {
            diagnostics.initFailure(error.errno.rawValue)
        } else {
            diagnostics.watchFailure(root, errno: error.errno.rawValue, verb: failureVerb)
        }
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
