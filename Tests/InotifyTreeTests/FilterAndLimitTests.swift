@testable import Inotify
@testable import InotifyTree
import InotifyTestSupport
import SystemPackage
import Testing
import InotifyTestLanes

@Suite("Limits, filters, symbolic links and bytes", .inBlockingLane, .timeLimit(.minutes(10)))
struct FilterAndLimitTests {
    #if INOTIFY_FAULTS  // the plan exists where faults are compiled in
    @Test("reaching the watch limit fails with the directory and fs.inotify.max_user_watches named")
    func limitFails() throws {
        let dir = try TemporaryDirectory()
        try dir.makeDirectory("only")
        let plan = FaultPlan([.inotifyAddWatch: [nil, .noSpace]])
        let error = FaultPlan.$current.withValue(plan) {
            #expect(throws: Inotify.Error.self) { _ = try TreeWatcher(root: dir.path) }
        }
        #expect(error?.errno == .noSpace)
        #expect(error?.description.contains(dir.appending("only").string) == true)
        #expect(error?.description.contains("fs.inotify.max_user_watches") == true)
    }

    @Test("with continueAndReport, the watcher goes on and reports the unwatched directory")
    func limitContinues() throws {
        var options = TreeWatcher.Options()
        options.onWatchLimit = .continueAndReport
        let plan = FaultPlan([.inotifyAddWatch: [nil, .noSpace]])
        let harness = try FaultPlan.$current.withValue(plan) {
            try EngineHarness(options: options) {
                try $0.makeDirectory("one")
                try $0.makeDirectory("two")
            }
        }
        let unwatched = harness.engine.startupChanges
        #expect(unwatched.count == 1)
        if case .unwatched(let reason) = unwatched.first?.kind {
            #expect(reason.contains("fs.inotify.max_user_watches"))
        } else {
            Issue.record("expected an unwatched change, got \(unwatched)")
        }
        #expect(harness.engine.tree.count == 2)
    }
    #endif

    @Test("excluded directories get no watch and report nothing")
    func excludedDirectories() throws {
        var options = TreeWatcher.Options()
        options.excludeDirectories = [".git", "node_modules"]
        let harness = try EngineHarness(options: options) {
            try $0.makeDirectory(".git/objects")
            try $0.makeDirectory("node_modules/pkg")
            try $0.makeDirectory("src")
        }
        #expect(harness.engine.tree.count == 2)
        try harness.dir.createFile(".git/objects/new")
        try harness.dir.makeDirectory("src/node_modules")
        try harness.dir.createFile("src/node_modules/x")
        try harness.dir.createFile("src/main.swift")
        let created = try harness.drain().filter { $0.kind.isCreated }
        #expect(created.map(\.path) == ["src/node_modules", "src/main.swift"])
        #expect(harness.engine.tree.count == 2)
    }

    @Test("include and exclude patterns choose the reported paths")
    func reportedPathFilters() throws {
        var options = TreeWatcher.Options()
        options.includePaths = ["src/*"]
        options.excludePaths = ["*.tmp"]
        let harness = try EngineHarness(options: options) { try $0.makeDirectory("src") }
        try harness.dir.createFile("top")
        try harness.dir.createFile("src/keep.swift")
        try harness.dir.createFile("src/skip.tmp")
        let created = try harness.drain().filter { $0.kind.isCreated }.map(\.path)
        #expect(created == ["src/keep.swift"])
    }

    @Test("a symbolic link to a directory is not followed by default")
    func symlinksNotFollowed() throws {
        let outside = try TemporaryDirectory("outside")
        try outside.makeDirectory("target/deeper")
        let harness = try EngineHarness { try Files.symlink(outside.appending("target").string, at: $0.appending("link")) }
        #expect(harness.engine.tree.count == 1)
        try outside.createFile("target/deeper/x")
        #expect(try harness.drain().isEmpty)
    }

    @Test("following symbolic links is an option, and a link loop ends")
    func symlinksFollowedWithLoopProtection() throws {
        var options = TreeWatcher.Options()
        options.followSymbolicLinks = true
        let outside = try TemporaryDirectory("outside")
        try outside.makeDirectory("target/deeper")
        let harness = try EngineHarness(options: options) {
            try $0.makeDirectory("real")
            try Files.symlink(outside.appending("target").string, at: $0.appending("link"))
            try Files.symlink("..", at: $0.appending("real/loop"))  // back to the root
        }
        // root, real, link (target), link/deeper; the loop adds nothing.
        #expect(harness.engine.tree.count == 4)
        try outside.createFile("target/deeper/x")
        let changes = try harness.changes { $0.contains { $0.path == "link/deeper/x" } }
        #expect(changes.contains { $0.kind == .created })
    }

    @Test("names that are not UTF-8 round-trip exactly, anywhere in the path")
    func nonUTF8Names() throws {
        let harness = try EngineHarness()
        let directoryName: [UInt8] = [0x64, 0xFF]
        let fileName: [UInt8] = [0xFE, 0x2E, 0x74]
        try Files.makeDirectory(in: harness.dir.path, rawName: directoryName)
        let inner = try #require(try harness.changes { $0.contains { $0.isDirectory } }.first)
        #expect(inner.path.bytes == directoryName)
        try Files.create(in: harness.dir.path.pushing(inner.path), rawName: fileName)
        let file = try #require(try harness.changes { $0.contains { !$0.isDirectory } }.first { !$0.isDirectory })
        #expect(file.path.bytes == directoryName + [UInt8(ascii: "/")] + fileName)
        #expect(Files.exists(file.absolutePath))
    }
}
