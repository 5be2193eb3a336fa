// The tree's system calls, each failed with the errnos it can return, at the
// first, second and fifth call of its kind, during the first scan of a small
// tree and during the reporting scan of a directory moved in. Whatever
// happens, either the engine throws (and leaves no descriptor open) or it
// goes on, and then the table, the kernel and the disk agree (except what was
// reported unwatched), and a file made in any watched directory is reported.
#if INOTIFY_FAULTS
@testable import Inotify
@testable import InotifyTree
import InotifyTestSupport
import SystemPackage
import Testing
import InotifyTestLanes

@Suite("The tree's system calls x the errnos each can return", .inBlockingLane, .timeLimit(.minutes(10)))
struct TreeFaultMatrixTests {
    /// One call of a kind failed (or interrupted 1,000 times) at its `at`-th use.
    struct Case: Sendable, CustomTestStringConvertible {
        let call: Syscall
        /// nil: an EINTR storm.
        let errno: Errno?
        let at: Int
        var testDescription: String {
            "\(call.rawValue) \(errno.map { Inotify.Error.name(of: $0) } ?? "EINTR*1000") at call \(at)"
        }

        var faults: [FaultPlan.Fault] {
            Array(repeating: .pass, count: at - 1)
                + (errno.map { [.fail($0)] } ?? Array(repeating: .fail(.interrupted), count: 1000))
        }
    }

    /// What each call of the engine can answer (nil: EINTR, 1,000 times).
    static let errnos: [(Syscall, [Errno?])] = [
        (.open, [.noMemory, .tooManyOpenFiles, .tooManyOpenFilesInSystem, .permissionDenied, nil]),
        (.getdents, [.noMemory, nil]),
        (.stat, [.noMemory, .permissionDenied, nil]),
        (.statfs, [.noMemory, nil]),
        (.inotifyAddWatch, [.noMemory, .noSpace, .permissionDenied, nil]),
        (.inotifyRmWatch, [.invalidArgument, nil]),
        (.fionread, [.noMemory, nil]),
        (.read, [.resourceTemporarilyUnavailable, nil]),
        (.poll, [.noMemory, nil]),
        (.close, [.ioError, .interrupted]),
    ]

    static let cases: [Case] = errnos.flatMap { call, errnos in
        errnos.flatMap { errno in [1, 2, 5].map { Case(call: call, errno: errno, at: $0) } }
    }

    // MARK: What must hold

    private static func unwatched(_ changes: [Change]) -> [FilePath] {
        changes.compactMap { if case .unwatched = $0.kind { $0.path } else { nil } }
    }

    /// With the plan spent: table, kernel and disk agree; every directory not
    /// reported unwatched is in the tree; a file made in each is reported.
    private static func expectWhole(_ harness: EngineHarness, _ changes: [Change], storm: Bool,
                                    sourceLocation: SourceLocation = #_sourceLocation) throws {
        let all = try changes + harness.drain(quiet: .milliseconds(30))
        var excluded = unwatched(all)
        if storm { #expect(excluded.isEmpty, "an EINTR storm left \(excluded) unwatched", sourceLocation: sourceLocation) }
        let onDisk = DiskTree(walking: harness.dir.path).entries.filter(\.value).map { FilePath($0.key) }
        var expected = Set(([FilePath("")] + onDisk).filter { path in !excluded.contains { path.starts(with: $0) } })
        if excluded.contains("") {
            // A root that cannot be listed keeps its watch, which tells of its
            // own end; nothing below it is watched.
            expected = [""]
            excluded = onDisk.filter { $0.components.count == 1 }
        }
        #expect(harness.mismatch(except: excluded) == nil, "\(harness.mismatch(except: excluded) ?? "")",
                sourceLocation: sourceLocation)
        let tree = Set(harness.engine.tree.watchDescriptors.compactMap { harness.engine.tree.path(of: $0) })
        #expect(tree == expected, "changes: \(all)", sourceLocation: sourceLocation)
        // Nothing silently missed: a file made in each watched directory is reported.
        let probes = Set(tree.map { $0.appending("probe") })
        for probe in probes { try Files.touch(harness.dir.path.pushing(probe)) }
        let later = try harness.changes(sourceLocation: sourceLocation) { changes in
            probes.isSubset(of: changes.filter { $0.kind == .created }.map(\.path))
        }
        _ = later
    }

    /// After an error: every descriptor the plan saw opened is closed.
    private static func expectNoLeak(_ plan: FaultPlan, sourceLocation: SourceLocation = #_sourceLocation) {
        let opened = plan.opened, closed = plan.closed
        #expect(Set(opened) == Set(closed) && opened.count == closed.count,
                "opened \(opened), closed \(closed)", sourceLocation: sourceLocation)
    }

    // MARK: (a) The first scan

    @Test("a fault in the first scan of a small tree: an error with nothing leaked, or a whole tree",
          arguments: cases)
    func firstScan(_ testCase: Case) throws {
        let plan = FaultPlan()
        let built = FaultPlan.$current.withValue(plan) {
            Result {
                try EngineHarness("first-scan") { dir in
                    try dir.makeDirectory("a/b/c")
                    try dir.makeDirectory("a/d")
                    try dir.makeDirectory("e/f")
                    try dir.makeDirectory("g")
                    try dir.createFile("a/file")
                    plan.queue(testCase.call, testCase.faults)
                }
            }
        }
        switch built {
        case .failure(let error):
            #expect(testCase.errno != nil, "an EINTR storm surfaced: \(error)")
            #expect(error is Inotify.Error, "\(error)")
            Self.expectNoLeak(plan)
        case .success(let harness):
            try Self.expectWhole(harness, harness.engine.startupChanges, storm: testCase.errno == nil)
        }
    }

    // MARK: (b) A reporting scan

    @Test("a fault in the reporting scan of a directory moved in: an error with nothing leaked, or a whole tree",
          arguments: cases)
    func reportingScan(_ testCase: Case) throws {
        let harness = try EngineHarness("reporting-scan") { try $0.makeDirectory("b") }
        let outside = try TemporaryDirectory("outside")
        try outside.makeDirectory("new/x/y")
        try outside.makeDirectory("new/z")
        try outside.createFile("new/x/file")
        let plan = FaultPlan()
        plan.queue(testCase.call, testCase.faults)
        let outcome = FaultPlan.$current.withValue(plan) {
            Result {
                try Files.rename(outside.appending("new"), harness.dir.appending("new"))
                return try harness.changes { changes in changes.contains { $0.path == "new" } }
            }
        }
        switch outcome {
        case .failure(let error):
            #expect(testCase.errno != nil, "an EINTR storm surfaced: \(error)")
            #expect(error is Inotify.Error, "\(error)")
            Self.expectNoLeak(plan)
        case .success(let changes):
            try Self.expectWhole(harness, changes, storm: testCase.errno == nil)
        }
    }

    // MARK: The scan thread's own calls

    /// unshare and fchdir give the first scan a working directory of its
    /// own; where either fails, the scan adds watches by /proc paths instead.
    static let threadCases: [Case] = [(Syscall.unshare, [Errno.notPermitted, .noMemory, nil]),
                                      (.chdir, [.permissionDenied, .noMemory, nil])]
        .flatMap { call, errnos in errnos.flatMap { errno in [1, 2, 5].map { Case(call: call, errno: errno, at: $0) } } }

    @Test("a fault in the scan thread's working directory: the watcher is made and watches the whole tree",
          arguments: threadCases)
    func scanThread(_ testCase: Case) async throws {
        let dir = try TemporaryDirectory("scan-thread")
        try dir.makeDirectory("a/b/c")
        try dir.makeDirectory("a/d")
        try dir.makeDirectory("e")
        let plan = FaultPlan(faults: [testCase.call: testCase.faults])
        let watcher = try FaultPlan.$current.withValue(plan) { try TreeWatcher(root: dir.path) }
        defer { watcher.close() }
        #expect(watcher.watchedDirectories == 6)
        let kernel = Files.kernelWatchedInodes(watcher.inotify.fileDescriptor)
        #expect(kernel.count == 6)
        #expect(Set(kernel) == DiskTree(walking: dir.path).directoryInodes)
        let collector = Collector(watcher)
        defer { collector.stop() }
        try dir.createFile("a/b/c/probe")
        #expect(await collector.wait { $0.contains { $0.kind == .created && $0.path == "a/b/c/probe" } })
        // The scan thread's descriptors (its way back) are closed as it ends.
        #expect(await eventually { plan.opened.filter { !plan.closed.contains($0) }.count <= 2 },
                "opened \(plan.opened), closed \(plan.closed)")
    }
}
#endif
