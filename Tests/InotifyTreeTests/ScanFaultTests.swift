// Faults in the scan's own system calls, planned through the seam: what
// vanishes while it is listed is dropped without a word, what cannot be
// listed is reported unwatched, and either way the watch table ends where
// the kernel's is and the tree is what the disk holds.
#if INOTIFY_FAULTS
@testable import Inotify
@testable import InotifyTree
import InotifyTestSupport
import SystemPackage
import Testing
import InotifyTestLanes

@Suite("Faults while the tree is listed", .inBlockingLane, .timeLimit(.minutes(10)))
struct ScanFaultTests {
    /// The directories the tree holds, by path relative to the root.
    private static func treePaths(_ harness: EngineHarness) -> Set<FilePath> {
        Set(harness.engine.tree.watchDescriptors.compactMap { harness.engine.tree.path(of: $0) })
    }

    private static func unwatched(_ changes: [Change]) -> [Change] {
        changes.filter { if case .unwatched = $0.kind { true } else { false } }
    }

    @Test("EINTR in each system call of the first scan is retried: the whole tree is watched")
    func interruptsDuringScan() async throws {
        let dir = try TemporaryDirectory("interrupted")
        try dir.makeDirectory("a/b/c")
        try dir.makeDirectory("d")
        let plan = FaultPlan([
            .unshare: [.interrupted], .chdir: [.interrupted, .interrupted], .open: [.interrupted, .interrupted],
            .stat: [.interrupted], .statfs: [.interrupted], .getdents: [.interrupted],
            .inotifyAddWatch: [.interrupted],
        ])
        let watcher = try FaultPlan.$current.withValue(plan) { try TreeWatcher(root: dir.path) }
        defer { watcher.close() }
        #expect(plan.remaining == 0)
        #expect(watcher.watchedDirectories == 5)
        #expect(Set(Files.kernelWatchedInodes(watcher.inotify.fileDescriptor)) == DiskTree(walking: dir.path).directoryInodes)
    }

    /// ENOENT from open (the directory is gone when it is opened) or from
    /// getdents64 (gone while it is open: the kernel answers ENOENT for a
    /// removed directory), each made real by removing the directory at that instant.
    static let vanishingCalls: [Syscall] = [.open, .getdents]

    @Test("a directory removed as the first scan opens or lists it is dropped without a report; table, kernel and disk agree",
          arguments: vanishingCalls)
    func vanishesDuringFirstScan(_ call: Syscall) throws {
        let plan = FaultPlan()
        let harness = try FaultPlan.$current.withValue(plan) {
            try EngineHarness { dir in
                let victim = try dir.makeDirectory("a/victim/inner/deeper")
                    .removingLastComponent().removingLastComponent()
                try dir.makeDirectory("b")
                plan.on(call, named: "victim", [.meanwhile { try? Files.removeTree(victim) }])
            }
        }
        #expect(plan.remaining == 0, "the scan never made the planned call")
        #expect(Self.unwatched(harness.engine.startupChanges).isEmpty, "\(harness.engine.startupChanges)")
        let changes = try FaultPlan.$current.withValue(plan) { try harness.drain() }
        #expect(Self.unwatched(changes).isEmpty, "\(changes)")
        #expect(Self.treePaths(harness) == ["", "a", "b"])
        #expect(harness.mismatch() == nil)
    }

    @Test("a directory moved in and removed as it is opened or listed is dropped without a report; table, kernel and disk agree",
          arguments: vanishingCalls)
    func vanishesDuringReportingScan(_ call: Syscall) throws {
        let plan = FaultPlan()
        let harness = try EngineHarness { try $0.makeDirectory("b") }
        let outside = try TemporaryDirectory("outside")
        try outside.makeDirectory("victim/inner/deeper")
        let victim = harness.dir.appending("victim")
        plan.on(call, named: "victim", [.meanwhile { try? Files.removeTree(victim) }])
        let changes = try FaultPlan.$current.withValue(plan) { () throws -> [Change] in
            try Files.rename(outside.appending("victim"), victim)
            return try harness.changes { _ in plan.remaining == 0 && !Files.exists(victim) } + harness.drain()
        }
        #expect(Self.unwatched(changes).isEmpty, "\(changes)")
        #expect(Self.treePaths(harness) == ["", "b"])
        #expect(harness.mismatch() == nil)
    }

    /// Why a directory cannot be opened to be listed: no permission (root
    /// never sees it, hence the plan), or no descriptor left.
    static let openFailures: [Errno] = [.permissionDenied, .tooManyOpenFiles]

    @Test("a new directory that cannot be opened to be listed is reported unwatched with the reason; nothing below it is watched",
          arguments: openFailures)
    func unopenableNewDirectory(_ errno: Errno) throws {
        let plan = FaultPlan()
        let harness = try EngineHarness { try $0.makeDirectory("b") }
        let outside = try TemporaryDirectory("outside")
        try outside.makeDirectory("new/inner")
        plan.on(.open, named: "new", [.fail(errno)])
        let changes = try FaultPlan.$current.withValue(plan) { () throws -> [Change] in
            try Files.rename(outside.appending("new"), harness.dir.appending("new"))
            return try harness.changes { !Self.unwatched($0).isEmpty } + harness.drain()
        }
        let reported = Self.unwatched(changes)
        #expect(reported.map(\.path) == ["new"])
        if case .unwatched(let reason) = reported.first?.kind {
            #expect(reason.contains("cannot list it"), "\(reason)")
            #expect(reason.contains(errno.description), "\(reason)")
        }
        #expect(!changes.contains { $0.path.string.hasPrefix("new/") }, "nothing below it was listed: \(changes)")
        #expect(Self.treePaths(harness) == ["", "b"])
        #expect(harness.mismatch(except: ["new"]) == nil)
    }

    @Test("a directory the first scan watched but cannot open to list (EMFILE) is reported unwatched")
    func unopenableDuringFirstScan() throws {
        let plan = FaultPlan()
        let harness = try FaultPlan.$current.withValue(plan) {
            try EngineHarness { dir in
                try dir.makeDirectory("a/inner")
                plan.on(.open, named: "a", [.fail(.tooManyOpenFiles)])
            }
        }
        #expect(plan.remaining == 0, "the scan never opened a")
        // The first scan watches a leaf-candidate before opening it; a failure
        // to open it for listing is said, and its watch goes, as when a
        // directory is opened before it is watched.
        let reported = Self.unwatched(harness.engine.startupChanges)
        #expect(reported.map(\.path) == ["a"])
        if case .unwatched(let reason) = reported.first?.kind {
            #expect(reason.contains("cannot list it"), "\(reason)")
        }
        #expect(Self.treePaths(harness) == [""])
        #expect(harness.mismatch(except: ["a"]) == nil)
    }

    @Test("EMFILE opening the root fails the watcher with the root and the errno named, and leaves no descriptor open")
    func unopenableRoot() async throws {
        let dir = try TemporaryDirectory("root-fault")
        let name = try #require(dir.path.lastComponent).string
        let plan = FaultPlan()
        plan.on(.open, named: name, [.fail(.tooManyOpenFiles)])
        let error = FaultPlan.$current.withValue(plan) {
            #expect(throws: Inotify.Error.self) { _ = try TreeWatcher(root: dir.path) }
        }
        #expect(plan.remaining == 0)
        #expect(error?.errno == .tooManyOpenFiles)
        #expect(error?.path == dir.path)
        // The scan thread closes its working directory's descriptor as it ends.
        let balanced = await eventually { Set(plan.opened) == Set(plan.closed) }
        #expect(balanced, "opened \(plan.opened), closed \(plan.closed)")
    }
}
#endif
