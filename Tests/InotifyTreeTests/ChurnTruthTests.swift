@_spi(Concurrency) @testable import Inotify
@testable import InotifyTree
import Foundation
import InotifyTestSupport
import Synchronization
import SystemPackage
import Testing

/// A consumer's picture of the tree, built from the changes alone: what
/// "the changes reported are enough to rebuild the tree" means.
struct RebuiltTree {
    private(set) var entries: [String: Bool] = [:]
    private(set) var overflows = 0
    private(set) var rescans = 0
    private(set) var problems: [String] = []

    mutating func apply(_ change: Change) {
        let path = change.path.string
        switch change.kind {
        case .created, .movedIn:
            entries[path] = change.isDirectory
        case .deleted, .movedOut, .becameIgnored:
            removeSubtree(path)
        case .moved(let from):
            let source = from.string
            removeSubtree(path)  // a rename replaces what was at its target
            let moving = entries.filter { $0.key == source || $0.key.hasPrefix(source + "/") }
            // After a resync from disk, a rename that the disk listing already
            // showed can still come: its source is gone from the view then.
            if moving.isEmpty && rescans == 0 { problems.append("moved from \(source), which was never reported") }
            for (key, isDirectory) in moving {
                entries.removeValue(forKey: key)
                entries[path + key.dropFirst(source.count)] = isDirectory
            }
            if moving.isEmpty { entries[path] = change.isDirectory }
        case .overflow:
            overflows += 1
        case .rescanned, .modified, .attributesChanged, .closedAfterWrite, .opened, .accessed, .closedWithoutWrite,
             .selfDeleted, .selfMoved:
            break
        case .rootDeleted, .rootMoved, .unmounted, .unwatched, .ignoreProblem:
            problems.append("\(change)")
        }
    }

    private mutating func removeSubtree(_ path: String) {
        entries = entries.filter { $0.key != path && !$0.key.hasPrefix(path + "/") }
    }

    /// Resyncs from disk, as a consumer must after `rescanned`.
    mutating func resync(_ disk: [String: Bool]) {
        entries = disk
        rescans += 1
    }
}

/// Collects a watcher's changes into a ``RebuiltTree`` on a task of its own.
final class RebuildingCollector: Sendable {
    private final class State: Sendable {
        let value = Lock<(tree: RebuiltTree, count: Int, marks: Set<String>, error: String?, trace: [String])>(
            (RebuiltTree(), 0, [], nil, []))
    }

    private let box = State()
    private let task: Task<Void, any Error>

    /// `inSight`: what a consumer resyncing from disk takes in (everything, by default).
    init(_ watcher: TreeWatcher, root: FilePath,
         inSight: @escaping @Sendable (FilePath) -> [String: Bool] = { DiskTree(walking: $0).entries }) {
        let state = box
        let tracing = ProcessInfo.processInfo.environment["CHURN_TRACE"] != nil
        task = Task {
            do {
                for try await change in watcher.changes {
                    let disk = change.kind == .rescanned ? inSight(root) : nil
                    state.value.withLock { state in
                        if let disk { state.tree.resync(disk) } else { state.tree.apply(change) }
                        state.count += 1
                        if tracing { state.trace.append("\(change) \(change.inotifyEvents.map { "\($0.wd):\($0.mask):\($0.cookie):\($0.name)" }) \(change.fanotifyEvent.map { "\($0)" } ?? "")") }
                        if change.kind == .created, change.path.string.hasPrefix("mark-") { state.marks.insert(change.path.string) }
                        // A rescan supersedes the creations queued before it:
                        // a marker it found is in the view, taken from the disk.
                        if let disk { state.marks.formUnion(disk.keys.filter { $0.hasPrefix("mark-") }) }
                    }
                }
                state.value.withLock { $0.error = $0.error ?? "the changes ended" }
            } catch {
                state.value.withLock { $0.error = "\(error)" }
            }
        }
    }

    var tree: RebuiltTree { box.value.withLock { $0.tree } }
    /// Why the changes ended, if they did.
    var error: String? { box.value.withLock { $0.error } }
    var trace: [String] { box.value.withLock { $0.trace } }
    var count: Int { box.value.withLock { $0.count } }
    func hasSeen(mark: String) -> Bool { box.value.withLock { $0.marks.contains(mark) } }
    func stop() { task.cancel() }
}

@Suite("The tree stays true under churn", .timeLimit(.minutes(10)))
struct ChurnTruthTests {
    static let seed: UInt64 = ProcessInfo.processInfo.environment["CHURN_SEED"].flatMap { UInt64($0) } ?? 20_261_201
    static let operations = ProcessInfo.processInfo.environment["CHURN_OPERATIONS"].flatMap { Int($0) } ?? 3_000
    static let writers = 3

    /// `writers` seeded writers, each on a thread of its own, each running
    /// `operations` random operations, and `alongside` too, until all end.
    @discardableResult
    static func churn(
        root: FilePath, outside: FilePath, seed: UInt64, operations: Int,
        alongside: (@Sendable () throws -> Void)? = nil
    ) async throws -> [String] {
        let logging = ProcessInfo.processInfo.environment["CHURN_TRACE"] != nil
        return try await withThrowingTaskGroup(of: [String].self) { group in
            for writer in 0..<writers {
                group.addTask {
                    try await onThread {
                        var churn = TreeChurn(root: root, outside: outside, seed: seed &+ UInt64(writer), tag: "w\(writer)")
                        if logging { churn.log = [] }
                        churn.run(operations)
                        return churn.log ?? []
                    }
                }
            }
            if let alongside { group.addTask { try await onThread(alongside); return [] } }
            var logs: [String] = []
            for try await log in group { logs += log }
            // By the clock each line starts with.
            return logs.sorted { (Int($0.prefix { $0 != " " }) ?? 0) < (Int($1.prefix { $0 != " " }) ?? 0) }
        }
    }

    /// Waits until the watcher has taken every event made before now: a
    /// marker file is made, and its change awaited (one kernel queue, in
    /// order). Twice, the second time once the move-pairing window has
    /// passed, so that every MOVED_FROM left unpaired has been settled.
    func settle(_ watcher: TreeWatcher, _ collector: RebuildingCollector, root: FilePath, round: inout Int) async throws {
        for pass in 0..<2 {
            round += 1
            let mark = "mark-\(round)"
            let madeAt = ContinuousClock.now
            let fd = try FileDescriptor.open(root.appending(mark), .writeOnly, options: [.create], permissions: .ownerReadWrite)
            try fd.close()
            #expect(await eventually(timeout: .seconds(60)) { collector.hasSeen(mark: mark) || collector.error != nil },
                    "marker \(mark) never reported")
            if pass == 0 {
                let window = watcher.options.movePairingWindow * 3
                _ = await eventually(timeout: window * 2) { ContinuousClock.now - madeAt > window }
            }
        }
    }

    func run(base: String?, readsAtEveryListing: Bool = false, source: TreeWatcher.SourceKind = .inotify) async throws {
        print("churn seed \(Self.seed) (CHURN_SEED to repeat), \(Self.writers) writers x \(Self.operations) operations")
        let dir = try TemporaryDirectory("churn", in: base)
        let outside = try TemporaryDirectory("churn-outside", in: base)
        let root = dir.path
        var options = TreeWatcher.Options()
        if readsAtEveryListing { options.scanReadThreshold = 0 }
        options.source = source
        let watcher = try TreeWatcher(root: root, options: options)
        let collector = RebuildingCollector(watcher, root: root)
        defer {
            collector.stop()
            watcher.close()
        }
        let operationsLog = try await Self.churn(root: root, outside: outside.path, seed: Self.seed, operations: Self.operations)
        var round = 0
        try await settle(watcher, collector, root: root, round: &round)

        let disk = DiskTree(walking: root)
        // fanotify has no watch per directory: its one mark, and the tree
        // rebuilt from its changes, are what there is to check.
        let watched = source == .fanotify ? Array(disk.directoryInodes) : Files.kernelWatchedInodes(watcher.inotify.fileDescriptor)
        let watchedSet = Set(watched)
        let outsideTree = watchedSet.subtracting(disk.directoryInodes)
        let unwatched = disk.directoryInodes.subtracting(watchedSet)
        let rebuilt = collector.tree
        let diskDirectories = disk.directoryInodes.count
        let context = "seed \(Self.seed), base \(base ?? "/tmp"), \(diskDirectories) directories, \(disk.entries.count) entries, \(collector.count) changes, \(rebuilt.overflows) overflows, \(rebuilt.rescans) rescans"
        #expect(outsideTree.isEmpty, "\(outsideTree.count) watches on directories outside the tree (\(context))")
        #expect(unwatched.isEmpty, "\(unwatched.count) of the tree's directories have no watch (\(context))")
        #expect(watched.count == watchedSet.count, "\(watched.count - watchedSet.count) inodes watched twice (\(context))")
        #expect(await eventually { watcher.watchedDirectories == (source == .fanotify ? 1 : diskDirectories) },
                "the watcher counts \(watcher.watchedDirectories) watched directories (\(context))")
        let missing = disk.entries.filter { rebuilt.entries[$0.key] != $0.value }.keys.sorted()
        let extra = rebuilt.entries.filter { disk.entries[$0.key] == nil }.keys.sorted()
        #expect(missing.isEmpty, "\(missing.count) paths on disk never reported as they are, e.g. \(missing.prefix(8)) (\(context))")
        #expect(extra.isEmpty, "\(extra.count) paths reported that are not on disk, e.g. \(extra.prefix(8)) (\(context))")
        #expect(rebuilt.problems.isEmpty, "\(rebuilt.problems.prefix(8)) (\(context))")
        #expect(collector.error == nil, "the watcher's changes ended: \(collector.error ?? "")")
        if let file = ProcessInfo.processInfo.environment["CHURN_TRACE"] {
            let name = file + "-" + (base == nil ? "tmp" : "tmpfs") + (readsAtEveryListing ? "-reading" : "") + (source == .fanotify ? "-fanotify" : "")
            try? collector.trace.joined(separator: "\n").write(toFile: name, atomically: true, encoding: .utf8)
            try? operationsLog.joined(separator: "\n").write(toFile: name + "-operations", atomically: true, encoding: .utf8)
        }
    }

    @Test("after a random churn by several writers, exactly the tree's directories are watched and the changes rebuild it (/tmp)")
    func churnOnTmp() async throws {
        try await run(base: nil)
    }

    @Test("the same churn, with every listing reading the kernel's queue into memory first (positions stay exact)")
    func churnReadingAtEveryListing() async throws {
        try await run(base: Files.tmpfsBase, readsAtEveryListing: true)
    }

    @Test("the same churn watched by fanotify: its changes rebuild the tree (/tmp)",
          .enabled(if: FanotifyTreeAvailability.available, "fanotify is not permitted (not root) or lacks what the source needs"))
    func churnByFanotify() async throws {
        try await run(base: nil, source: .fanotify)
    }

    @Test("the same churn watched by fanotify on tmpfs",
          .enabled(if: FanotifyTreeAvailability.available && Files.tmpfsBase != nil,
                   "fanotify is not permitted, or /dev/shm is not a tmpfs here"))
    func churnByFanotifyOnTmpfs() async throws {
        try await run(base: Files.tmpfsBase, source: .fanotify)
    }

    @Test("the same churn on tmpfs",
          .enabled(if: Files.tmpfsBase != nil, "/dev/shm is not a tmpfs here"))
    func churnOnTmpfs() async throws {
        try await run(base: Files.tmpfsBase)
    }
}
