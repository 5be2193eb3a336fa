@_spi(Concurrency) @testable import Inotify
@testable import InotifyTree
import InotifyTestSupport
import Synchronization
import SystemPackage
import Testing

/// The harness's set-up, handed to a thread with a descriptor table of its
/// own and waited for: safe to share, since only that thread runs it while
/// the harness's thread waits (``withOwnDescriptorTable(_:)``).
private final class SetUp: @unchecked Sendable {
    let dir: TemporaryDirectory
    var prepare: ((TemporaryDirectory) throws -> Void)?

    init(dir: TemporaryDirectory) {
        self.dir = dir
    }

    func run() throws { try prepare?(dir) }
}

/// A tree engine on a temporary directory, driven by the test's own reads:
/// deterministic, single-threaded.
final class EngineHarness {
    let dir: TemporaryDirectory
    let inotify: Inotify
    let engine: TreeEngine

    init(_ label: String = "tree", in base: String? = nil, options: TreeWatcher.Options = .init(),
         prepare: (TemporaryDirectory) throws -> Void = { _ in }) throws {
        dir = try TemporaryDirectory(label, in: base)
        // From a descriptor table of its own: a child another test spawns
        // meanwhile would hold the files' descriptors, and their CLOSE_WRITE
        // would come after the watch is added, as a change (seen under
        // AddressSanitizer in a full run: a rename test got one).
        let setUp = SetUp(dir: dir)
        try withoutActuallyEscaping(prepare) { prepare in
            setUp.prepare = prepare
            // Let go before the block ends: the closure must not outlive it.
            defer { setUp.prepare = nil }
            try withOwnDescriptorTable { try setUp.run() }
        }
        inotify = try Inotify(flags: .nonBlocking)
        engine = try TreeEngine(inotify: inotify, root: dir.path, options: options)
    }

    /// What differs between the watch table, the kernel's watches and the
    /// directories on disk, `except` those (and what is below them, such as
    /// directories reported unwatched); nil if nothing.
    func mismatch(except excluded: [FilePath] = []) -> String? {
        let kernel = Files.kernelWatchedInodes(inotify.fileDescriptor)
        var disk = DiskTree(walking: dir.path)
        for path in excluded {
            for inode in DiskTree(walking: dir.path.pushing(path)).directoryInodes { disk.directoryInodes.remove(inode) }
        }
        var differences: [String] = []
        if engine.tree.count != kernel.count {
            differences.append("the table holds \(engine.tree.count) watches, the kernel \(kernel.count)")
        }
        if Set(kernel) != disk.directoryInodes || kernel.count != disk.directoryInodes.count {
            differences.append("the kernel watches inodes \(kernel.sorted()), the disk's directories are \(disk.directoryInodes.sorted())")
        }
        return differences.isEmpty ? nil : differences.joined(separator: "; ")
    }

    /// Reads and processes events until `predicate` holds for the changes
    /// seen so far, or fails the test after `timeout`.
    func changes(
        timeout: Duration = .seconds(10), sourceLocation: SourceLocation = #_sourceLocation,
        until predicate: ([Change]) -> Bool
    ) throws -> [Change] {
        var all: [Change] = []
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            let events = try inotify.readEvents(timeout: .milliseconds(20))
            all += try engine.process(events, now: .now)
            if engine.needsRescan { all += try engine.rescanAfterOverflow() }
            if predicate(all) { return all }
        }
        Issue.record("condition not met within \(timeout); changes: \(all)", sourceLocation: sourceLocation)
        return all
    }

    /// Everything that arrives until nothing has come for `quiet`.
    func drain(quiet: Duration = .milliseconds(100)) throws -> [Change] {
        var all: [Change] = []
        while true {
            let events = try inotify.readEvents(timeout: quiet)
            var changes = try engine.process(events, now: .now.advanced(by: .seconds(1)))
            if engine.needsRescan { changes += try engine.rescanAfterOverflow() }
            all += changes
            if events.isEmpty && changes.isEmpty && engine.backlog.isEmpty { return all }
        }
    }

    func wd(of path: FilePath) -> Int32? {
        engine.tree.watchDescriptors.first { engine.tree.path(of: $0) == path }
    }
}

extension TreeWatcher {
    /// The inotify instance behind a watcher made with `TreeWatcher(root:options:)`.
    var inotify: Inotify {
        guard let control = control as? InotifySource.Control else { fatalError("not an inotify watcher") }
        return control.inotify
    }
}

/// Collects a TreeWatcher's changes on a task of its own.
final class Collector: Sendable {
    private final class Log: Sendable {
        let changes = Lock<[Change]>([])
    }

    private let log = Log()
    private let task: Task<Void, any Error>

    init(_ watcher: TreeWatcher) {
        let log = log
        task = Task {
            for try await change in watcher.changes {
                log.changes.withLock { $0.append(change) }
            }
        }
    }

    var changes: [Change] { log.changes.withLock { $0 } }

    /// The predicate runs under the lock: a copy taken out would make the
    /// collecting task's next append copy the whole array, once per poll.
    func wait(timeout: Duration = .seconds(30), until predicate: ([Change]) -> Bool) async -> Bool {
        await eventually(timeout: timeout) { log.changes.withLock { predicate($0) } }
    }

    func stop() { task.cancel() }
}

extension Change.Kind {
    var isCreated: Bool { if case .created = self { true } else { false } }
}
