@testable import InotifyTree
import Foundation
import InotifyTestSupport
import SystemPackage
import Testing
import InotifyTestLanes

@Suite("No missed creations", .inBlockingLane, .timeLimit(.minutes(10)))
struct CreationRaceTests {
    /// One process, a tight loop: mkdir -p aI/b/c/d, then create aI/b/c/d/f.
    static func race(in root: FilePath, count: Int) {
        for index in 1...count {
            var path = root.appending("a\(index)")
            for name in ["", "b", "c", "d"] {
                if !name.isEmpty { path = path.appending(name) }
                _ = path.withPlatformString { mkdir($0, 0o755) }
            }
            let file = path.appending("f")
            let fd = file.withPlatformString { open($0, O_CREAT | O_WRONLY | O_CLOEXEC, 0o644) }
            if fd >= 0 { close(fd) }
        }
    }

    static func expectedPaths(_ count: Int) -> Set<FilePath> {
        var paths = Set<FilePath>()
        for index in 1...count {
            var path = FilePath("a\(index)")
            paths.insert(path)
            for name in ["b", "c", "d", "f"] {
                path = path.appending(name)
                paths.insert(path)
            }
        }
        return paths
    }

    func run(base: String?, count: Int) async throws {
        let dir = try TemporaryDirectory("race", in: base)
        let watcher = try TreeWatcher(root: dir.path)
        let collector = Collector(watcher)
        defer { collector.stop() }
        let root = dir.path
        try await onThread { CreationRaceTests.race(in: root, count: count) }
        let expected = Self.expectedPaths(count)
        let complete = await collector.wait {
            expected.isSubset(of: Set($0.filter { $0.kind.isCreated }.map(\.path)))
        }
        let created = Set(collector.changes.filter { $0.kind.isCreated }.map(\.path))
        #expect(complete, "missed \(expected.subtracting(created).count) of \(expected.count), e.g. \(expected.subtracting(created).prefix(5))")
        #expect(await eventually { watcher.watchedDirectories == 4 * count + 1 })
    }

    @Test("1,000 nested directories and their files made in a tight loop are all reported (ext4 or whatever /tmp is)")
    func tightLoop() async throws {
        try await run(base: nil, count: 1000)
    }

    @Test("the same race on tmpfs, where creation is fastest",
          .enabled(if: Files.tmpfsBase != nil, "/dev/shm is not a tmpfs here"))
    func tightLoopOnTmpfs() async throws {
        try await run(base: Files.tmpfsBase, count: 1000)
    }

    @Test("a creation both listed by the scan and reported by the kernel is reported once")
    func overlapReportedOnce() throws {
        let harness = try EngineHarness()
        try harness.dir.makeDirectory("new")
        try harness.dir.createFile("new/inside")
        let changes = try harness.drain()
        let inside = changes.filter { $0.path == FilePath("new/inside") && $0.kind.isCreated }
        #expect(inside.count == 1, "\(changes)")
    }
}
