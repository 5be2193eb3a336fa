import CInotify
import Glibc
@testable import Inotify
@testable import InotifyTree
import InotifyTestSupport
import SystemPackage
import Testing
import InotifyTestLanes

/// The first scan does not list directories whose link count shows no
/// subdirectories, on the filesystems that keep that count. Run on the
/// system's temporary directory and, where there is one, on a tmpfs.
@Suite("The first scan's leaf test", .inBlockingLane, .timeLimit(.minutes(10)))
struct LeafSkipTests {
    static let bases: [String?] = [nil] + (Files.tmpfsBase.map { [$0] } ?? [])

    /// What the implementation is expected to trust: ext2/3/4, tmpfs, XFS.
    static func keepsLinkCounts(_ path: FilePath) -> Bool {
        [0xEF53, 0x0102_1994, 0x5846_5342].contains(path.withPlatformString { cinotify_filesystem_type($0) })
    }

    @Test("a directory with files but no subdirectories is a leaf; one with a subdirectory is not",
          arguments: bases)
    func leaves(base: String?) throws {
        let dir = try TemporaryDirectory("leaf", in: base)
        let leaf = try dir.makeDirectory("leaf")
        try dir.createFile("leaf/file")
        let parent = try dir.makeDirectory("parent/child")
        try Files.symlink(leaf.string, at: dir.appending("link"))
        var test = LeafTest()
        let answers = [leaf, parent.removingLastComponent(), dir.appending("link"), dir.appending("missing")]
            .map { test.isLeaf(PathBuffer($0)) }
        // A link is listed, never judged by its target's count.
        #expect(answers == [Self.keepsLinkCounts(dir.path), false, false, false])
    }

    @Test("on tmpfs, which keeps link counts, an empty directory is a leaf",
          .enabled(if: Files.tmpfsBase != nil, "/dev/shm is not a tmpfs here"))
    func tmpfsIsTrusted() throws {
        let base = try #require(Files.tmpfsBase)
        let dir = try TemporaryDirectory("leaf", in: base)
        var test = LeafTest()
        let isLeaf = test.isLeaf(PathBuffer(try dir.makeDirectory("empty")))
        #expect(isLeaf)
    }

    /// /proc/self/fdinfo has no subdirectories and a link count of 2, which
    /// procfs does not promise to keep: a directory a trusting test would skip.
    static let procLeaf = FilePath("/proc/self/fdinfo")
    static var procLeafHasTwoLinks: Bool {
        var info = stat()
        return lstat(procLeaf.string, &info) == 0 && info.st_nlink == 2
    }

    @Test("a filesystem not known to keep link counts is not trusted (procfs)",
          .enabled(if: procLeafHasTwoLinks, "/proc/self/fdinfo has no link count of 2 here"))
    func procfsIsNotTrusted() throws {
        var test = LeafTest()
        let isLeaf = test.isLeaf(PathBuffer(Self.procLeaf))
        #expect(!isLeaf)
    }

    @Test("the first scan watches every directory and lists only those that may have subdirectories",
          arguments: bases)
    func firstScanSkipsLeaves(base: String?) throws {
        // 9 directories; c, d, e, g and h are leaves.
        let harness = try EngineHarness("leaves", in: base) { dir in
            try dir.makeDirectory("a/b/c")
            try dir.makeDirectory("d")
            try dir.createFile("d/file")
            try dir.makeDirectory("e")
            try dir.makeDirectory("f/g")
            try dir.makeDirectory("f/h")
        }
        #expect(harness.engine.tree.count == 9)
        #expect(harness.engine.listings == (Self.keepsLinkCounts(harness.dir.path) ? 4 : 9))

        // Every leaf is watched: what is made in one is reported, and a
        // directory made in one is watched in turn.
        for leaf in ["a/b/c", "d", "e", "f/g", "f/h"] { try harness.dir.createFile("\(leaf)/new") }
        try harness.dir.makeDirectory("e/sub")
        try harness.dir.createFile("e/sub/deeper")
        let expected: Set<FilePath> = ["a/b/c/new", "d/new", "e/new", "f/g/new", "f/h/new", "e/sub", "e/sub/deeper"]
        let changes = try harness.changes { changes in
            expected.isSubset(of: Set(changes.filter { $0.kind == .created }.map(\.path)))
        }
        #expect(expected.isSubset(of: Set(changes.filter { $0.kind == .created }.map(\.path))))
    }

    @Test("a scan that reports lists leaves too: the files of a moved-in tree are all reported",
          arguments: bases)
    func reportingScanListsLeaves(base: String?) throws {
        let harness = try EngineHarness("leaves", in: base)
        let outside = try TemporaryDirectory("outside", in: base)
        try outside.makeDirectory("tree/leaf")
        try outside.createFile("tree/leaf/file")
        try outside.makeDirectory("tree/empty")
        let before = harness.engine.listings
        try Files.rename(outside.appending("tree"), harness.dir.appending("tree"))
        let changes = try harness.changes { $0.contains { $0.path == "tree/leaf/file" } }
        #expect(changes.contains { $0.path == "tree/leaf/file" && $0.kind == .created && $0.foundByScan })
        #expect(harness.engine.listings - before == 3)  // tree, tree/leaf, tree/empty
    }

    @Test("with links followed, a directory whose only subdirectory is a link is still listed")
    func followedLinksAreNotHiddenByLinkCount() throws {
        var options = TreeWatcher.Options()
        options.followSymbolicLinks = true
        let outside = try TemporaryDirectory("outside")
        try outside.makeDirectory("target")
        let harness = try EngineHarness(options: options) { dir in
            try dir.makeDirectory("holder")
            try Files.symlink(outside.appending("target").string, at: dir.appending("holder/link"))
        }
        #expect(harness.engine.tree.count == 3)  // root, holder, holder/link
        try outside.createFile("target/x")
        let changes = try harness.changes { $0.contains { $0.path == "holder/link/x" } }
        #expect(changes.contains { $0.path == "holder/link/x" && $0.kind == .created })
    }
}
