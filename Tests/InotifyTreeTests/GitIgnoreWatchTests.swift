@testable import Inotify
@testable import InotifyTree
import Foundation
import InotifyTestSupport
import SystemPackage
import Testing

/// `TreeWatcher.Options.gitIgnore`: the watcher watches and reports only what
/// git does not ignore, and follows the `.gitignore` files as they change.
/// Which directories are watched is read from the kernel's own list of
/// watches (/proc/self/fdinfo), by inode; every wait is on a change
/// (a marker file's creation, made after the operations).
@Suite("gitIgnore: the tree watcher watches what git does not ignore", .timeLimit(.minutes(10)))
struct GitIgnoreWatchTests {
    // MARK: 1. git's rules, all of them

    /// Nested `.gitignore` files (a deeper one overriding a shallower one),
    /// anchoring, directory-only patterns, negation, `info/exclude` and the
    /// global excludes file, each deciding somewhere. Where git is installed
    /// the expectations written here are first checked against
    /// `git check-ignore`, so that they say what git says.
    @Test("exactly the directories git does not ignore are watched, and exactly the new files it does not ignore are reported")
    func watchesWhatGitDoesNotIgnore() async throws {
        let repository = try WatchedRepository("gitignore-rules", gitInit: Git.isAvailable)
        try repository.write(".gitignore", "*.log\nbuild/\n/anchored/\n!keep.log\n")
        try repository.make(["src/"])
        try repository.write("src/.gitignore", "generated\n!build/\n")
        try repository.make([".git/info/"])
        try repository.write(".git/info/exclude", "by-info/\n")
        try repository.writeGlobalExcludes("by-global/\n")
        let directories = [
            "build", "build/inner", "src", "src/build", "src/build/out", "src/generated", "anchored", "src/anchored",
            "by-info", "src/by-info", "by-global", "docs", "docs/old.log", "docs/keep.log",
        ]
        try repository.make(directories.map { $0 + "/" })
        let visibleDirectories = ["src", "src/build", "src/build/out", "src/anchored", "docs", "docs/keep.log"]
        // A file of each name in each directory, except where a directory has the name (docs/keep.log).
        func files(_ names: [String], in directories: [String]) -> [String] {
            directories.flatMap { directory in names.map { directory.isEmpty ? $0 : directory + "/" + $0 } }
                .filter { !directories.contains($0) }
        }
        let newFiles = files(["f.txt", "x.log", "keep.log"], in: [""] + directories)
        let visibleFiles = files(["f.txt", "keep.log"], in: [""] + visibleDirectories)

        let watch = try RepositoryWatch(repository)
        watch.expectWatched(["."] + visibleDirectories)
        _ = try await watch.settle()
        try repository.make(newFiles)
        let changes = try await watch.settle()
        let created = Set(changes.filter { $0.kind == .created }.map(\.path.string))
        let unreported = Set(visibleFiles).subtracting(created).sorted()
        #expect(unreported.isEmpty, "visible files not reported: \(shortened(unreported))")
        let reportedIgnored = namedPaths(changes).subtracting(visibleFiles).sorted()
        #expect(reportedIgnored.isEmpty, "changes about ignored files: \(shortened(reportedIgnored))")

        if Git.isAvailable {
            let paths = directories + newFiles
            let verdicts = try repository.git.checkIgnore(paths.map { Array($0.utf8) }, in: repository.top, top: repository.top)
            let gitVisible = zip(paths, verdicts).filter { !($0.1?.isIgnored ?? false) }.map(\.0)
            #expect(Set(gitVisible) == Set(visibleDirectories + visibleFiles),
                    "this test's expectations differ from git check-ignore: git leaves visible \(gitVisible.sorted())")
        }
    }

    // MARK: 2. Ignored means unwatched, unlisted, unreported; .git likewise

    @Test("an ignored directory gets no watch and is never listed; nothing in it, and no ignored file, is reported")
    func ignoredIsNeitherWatchedNorListedNorReported() async throws {
        let repository = try WatchedRepository("gitignore-ignored")
        try repository.write(".gitignore", "ignored/\n*.tmp\n")
        try repository.make(["ignored/a/b/", "ignored/file", "visible/old.tmp", "visible/gone.tmp", "visible/y.tmp"])
        // A watch of our own on the ignored directories: listing one opens
        // it, which shows there as OPEN (and ACCESS) about the directory
        // itself. The watcher reaches directories with O_PATH otherwise,
        // which the kernel does not report.
        let spy = try Inotify(flags: [.nonBlocking, .closeOnExec])
        defer { try? spy.close() }
        for directory in ["ignored", "ignored/a", "ignored/a/b"] {
            _ = try spy.addWatch(repository.path(directory), mask: [.open, .access])
        }
        func listings() throws -> [Inotify.Event] { try spy.readEvents().filter { $0.nameBytes.isEmpty } }

        let watch = try RepositoryWatch(repository)
        let first = try listings()
        #expect(first.isEmpty, "an ignored directory was listed: \(first)")
        watch.expectWatched([".", "visible"])
        _ = try listings()  // this test's own walk of the disk, which names the watched inodes
        _ = try await watch.settle()

        try repository.make(["ignored/new", "ignored/newdir/", "ignored/a/b/deep", "visible/x.tmp", "visible/ok"])
        try repository.append("visible/old.tmp", "more")
        try repository.append("ignored/file", "more")
        try Files.unlink(repository.path("visible/gone.tmp"))
        try Files.rename(repository.path("visible/y.tmp"), repository.path("visible/z.tmp"))
        let changes = try await watch.settle()
        #expect(namedPaths(changes) == ["visible/ok"], "\(changes)")
        #expect(changes.contains { $0.kind == .created && $0.path == "visible/ok" })
        let later = try listings()
        #expect(later.isEmpty, "an ignored directory was listed: \(later)")
        watch.expectWatched([".", "visible"])
    }

    /// git keeps its own state in `.git`; nothing there is a change of the
    /// working tree, whether at the top, in a nested repository, or in one
    /// made while watching.
    @Test(".git directories, at any level, are never watched and nothing in them is reported")
    func gitDirectoriesAreNeverWatched() async throws {
        let repository = try WatchedRepository("gitignore-dotgit")
        try repository.make([".git/objects/ab/", ".git/refs/heads/", ".git/HEAD.lock", "sub/.git/objects/", "sub/src/"])
        let watch = try RepositoryWatch(repository)
        watch.expectWatched([".", "sub", "sub/src"])
        _ = try await watch.settle()

        try repository.make([".git/index", ".git/objects/cd/", ".git/objects/ab/object", "sub/.git/config"])
        try Files.rename(repository.path(".git/HEAD.lock"), repository.path(".git/HEAD"))
        // A repository made while watching: its directory is new, and its
        // .git may already be in it when the watcher lists it.
        try repository.make(["made/", "made/.git/refs/", "made/.git/config", "made/src/"])
        let changes = try await watch.settle()
        let inGit = namedPaths(changes).filter { $0.split(separator: "/").contains(".git") }.sorted()
        #expect(inGit.isEmpty, "changes inside .git: \(inGit)")
        #expect(Set(structural(changes)) == ["created made/", "created made/src/"]
                || Set(structural(changes)) == ["created made/", "created made/src/ (scan)"],
                "\(structural(changes))")
        watch.expectWatched([".", "sub", "sub/src", "made", "made/src"])
    }

    /// The rest of the tree still follows the ignore rules.
    @Test("with watchGitDirectory, .git directories are watched and their changes reported; what git ignores still is not")
    func gitDirectoriesWatchedWhenAsked() async throws {
        let repository = try WatchedRepository("gitignore-dotgit-on")
        try repository.write(".gitignore", "*.log\nbuild/\n")
        try repository.make([".git/objects/ab/", ".git/refs/heads/", "sub/.git/objects/", "sub/src/", "build/"])
        var options = repository.options
        options.watchGitDirectory = true
        let watch = try RepositoryWatch(repository, options: options)
        watch.expectWatched([".", ".git", ".git/objects", ".git/objects/ab", ".git/refs", ".git/refs/heads",
                             "sub", "sub/.git", "sub/.git/objects", "sub/src"])
        _ = try await watch.settle()

        try repository.make([".git/index", ".git/objects/cd/", "sub/.git/config", "sub/src/x.log", "build/f"])
        let changes = try await watch.settle()
        #expect(Set(structural(changes)) == ["created .git/index", "created .git/objects/cd/", "created sub/.git/config"],
                "\(structural(changes))")
        watch.expectWatched([".", ".git", ".git/objects", ".git/objects/ab", ".git/objects/cd", ".git/refs", ".git/refs/heads",
                             "sub", "sub/.git", "sub/.git/objects", "sub/src"])
    }

    // MARK: 3. .gitignore files changing while watched

    /// One step per way a `.gitignore` changes: appended to in place,
    /// deleted, replaced by a rename, made anew in a subdirectory. (In-place
    /// edits append, in one write: a truncation would show the watcher an
    /// empty file for a moment, and what it rightly reports then would
    /// depend on timing.)
    @Test("an edited, deleted, replaced or new .gitignore takes effect at once: what becomes visible is reported as found by scan, what becomes ignored as becameIgnored")
    func editsTakeEffect() async throws {
        let repository = try WatchedRepository("gitignore-edits")
        try repository.write(".gitignore", "build/\n*.log\n")
        try repository.make(["build/sub/deep/", "build/f.txt", "build/x.log", "build/sub/g.txt",
                             "src/a.log", "src/b.txt", "src/c.tmp"])
        let watch = try RepositoryWatch(repository)
        watch.expectWatched([".", "src"])
        _ = try await watch.settle()

        // A directory no longer ignored: watched, listed, it and what it
        // holds reported; what is still ignored in it (*.log) is not.
        try repository.append(".gitignore", "!build/\n")
        var changes = try await watch.settle()
        #expect(Set(structural(changes)) == [
            "created build/ (scan)", "created build/sub/ (scan)", "created build/sub/deep/ (scan)",
            "created build/f.txt (scan)", "created build/sub/g.txt (scan)",
        ], "after un-ignoring build/: \(structural(changes))")
        #expect(parentsComeFirst(changes), "a path reported before its directory: \(structural(changes))")
        watch.expectWatched([".", "src", "build", "build/sub", "build/sub/deep"], "after un-ignoring build/:")

        // Files no longer ignored, in directories already watched.
        try Files.unlink(repository.path(".gitignore"))
        changes = try await watch.settle()
        #expect(Set(structural(changes)) == ["created build/x.log (scan)", "created src/a.log (scan)"],
                "after deleting .gitignore: \(structural(changes))")

        // A directory and a file ignored anew: the directory's watches go,
        // and each is reported once as out of sight, nothing below it.
        try repository.replace(".gitignore", "build/\n*.tmp\n")
        changes = try await watch.settle()
        #expect(Set(structural(changes)) == ["becameIgnored build/", "becameIgnored src/c.tmp"],
                "after ignoring build/ and *.tmp: \(structural(changes))")
        #expect(!namedPaths(changes).contains { $0.hasPrefix("build/") }, "\(changes)")
        watch.expectWatched([".", "src"], "after ignoring build/:")

        // What happens in them from then on is not reported.
        try repository.make(["build/new.txt", "build/newdir/", "build/sub/deep/h.txt", "src/d.tmp"])
        try repository.append("build/f.txt", "more")
        try repository.append("src/c.tmp", "more")
        changes = try await watch.settle()
        #expect(changes.isEmpty, "changes in what is ignored: \(changes)")
        watch.expectWatched([".", "src"], "after changes in build/:")

        // A new .gitignore below: what it un-ignores is reported, the rest stays ignored.
        try repository.write("src/.gitignore", "!c.tmp\n")
        changes = try await watch.settle()
        #expect(Set(structural(changes)) == ["created src/c.tmp (scan)"], "after making src/.gitignore: \(structural(changes))")
        #expect(!namedPaths(changes).contains("src/d.tmp"))
    }

    // MARK: 4. Renames across the boundary

    @Test("a rename to an ignored name is a move out, from an ignored name a move in; a directory moved under other rules is judged again")
    func renamesAcrossTheBoundary() async throws {
        let repository = try WatchedRepository("gitignore-renames")
        try repository.write(".gitignore", "*.off\n")
        try repository.make(["a/f.txt", "a/sub/g.txt", "note.txt", "old.off/x.txt", "old.off/y/z.txt", "draft.off",
                             "p/sub/x.log", "p/sub/y.txt", "q/sub2/z.log", "q/sub2/w.txt", "q/cache/c.txt"])
        try repository.write("p/.gitignore", "*.log\ncache/\n")
        let watch = try RepositoryWatch(repository)
        var watched = [".", "a", "a/sub", "p", "p/sub", "q", "q/sub2", "q/cache"]
        watch.expectWatched(watched)
        _ = try await watch.settle()

        func step(_ from: String, _ to: String, expect expected: [String], watching now: [String]) async throws {
            try Files.rename(repository.path(from), repository.path(to))
            let changes = try await watch.settle()
            #expect(structural(changes).first == expected.first, "mv \(from) \(to): \(structural(changes))")
            #expect(Set(structural(changes)) == Set(expected), "mv \(from) \(to): \(structural(changes))")
            watched = now
            watch.expectWatched(watched, "after mv \(from) \(to):")
        }

        try await step("a", "a.off", expect: ["movedOut a/"], watching: watched.filter { !$0.hasPrefix("a") })
        try await step("note.txt", "note.off", expect: ["movedOut note.txt"], watching: watched)
        try await step("old.off", "old", expect: ["movedIn old/", "created old/x.txt (scan)", "created old/y/ (scan)",
                                                  "created old/y/z.txt (scan)"], watching: watched + ["old", "old/y"])
        try await step("draft.off", "draft", expect: ["movedIn draft"], watching: watched)
        // p/.gitignore's *.log no longer applies to what p/sub holds.
        try await step("p/sub", "q/sub", expect: ["moved p/sub/ -> q/sub/", "created q/sub/x.log (scan)"],
                       watching: watched.filter { $0 != "p/sub" } + ["q/sub"])
        // ...and now applies to what q/sub2 holds: z.log goes out of sight.
        try await step("q/sub2", "p/sub2", expect: ["moved q/sub2/ -> p/sub2/", "becameIgnored p/sub2/z.log"],
                       watching: watched.filter { $0 != "q/sub2" } + ["p/sub2"])
        try repository.make(["p/sub2/new.log", "p/sub2/ok.txt"])
        try repository.append("p/sub2/z.log", "more")
        let changes = try await watch.settle()
        #expect(namedPaths(changes) == ["p/sub2/ok.txt"], "in p/sub2, where *.log is ignored now: \(changes)")
        // A directory moved where it is ignored (p/.gitignore's cache/).
        try await step("q/cache", "p/cache", expect: ["movedOut q/cache/"], watching: watched.filter { $0 != "q/cache" })
    }

    // MARK: 5. Patterns git can never match

    @Test("a malformed pattern is reported as an ignoreProblem with its file and line, first at the start and as soon as an edit brings one; the rest of the file applies")
    func malformedPatternsAreReported() async throws {
        let repository = try WatchedRepository("gitignore-problems")
        try repository.write(".gitignore", "ok/\n[abc\n")
        try repository.make(["ok/", "sub/", "d/"])
        try repository.write("sub/.gitignore", "# comment\n!\n*.tmp\n[[:foo:]]x\n")
        try repository.writeGlobalExcludes("global[\n")
        let top = repository.top
        func problem(_ change: Change) -> String? {
            guard case .ignoreProblem(let problem) = change.kind else { return nil }
            return "\(change.path.isEmpty ? "<outside>" : change.path.string) \(problem.file):\(problem.line)"
        }

        let watch = try RepositoryWatch(repository)
        var changes = try await watch.settle()
        let expected: Set<String> = [
            ".gitignore \(top.appending(".gitignore")):2",
            "sub/.gitignore \(top.appending("sub/.gitignore")):2",
            "sub/.gitignore \(top.appending("sub/.gitignore")):4",
            "<outside> \(repository.globalExcludes):1",
        ]
        let leading = changes.prefix { problem($0) != nil }.compactMap(problem)
        #expect(Set(leading) == expected && leading.count == expected.count,
                "the first changes should be the problems present at the start: \(changes)")
        #expect(changes.dropFirst(leading.count).allSatisfy { problem($0) == nil }, "\(changes)")

        // The rest of each file applies.
        watch.expectWatched([".", "sub", "d"])
        try repository.make(["sub/a.tmp", "sub/b.txt", "ok/c.txt"])
        changes = try await watch.settle()
        #expect(namedPaths(changes) == ["sub/b.txt"], "\(changes)")

        // A problem brought by an edit, and by a new file.
        try repository.append("sub/.gitignore", "[unclosed\n")
        try repository.write("d/.gitignore", "fine\n!\n")
        changes = try await watch.settle()
        let found = Set(changes.compactMap(problem))
        #expect(found.contains("sub/.gitignore \(top.appending("sub/.gitignore")):5"), "\(changes)")
        #expect(found.contains("d/.gitignore \(top.appending("d/.gitignore")):2"), "\(changes)")
        // Those already reported may be reported again with their file; no other.
        let allowed = expected.union([
            "sub/.gitignore \(top.appending("sub/.gitignore")):5", "d/.gitignore \(top.appending("d/.gitignore")):2",
        ])
        #expect(found.isSubset(of: allowed), "\(found.subtracting(allowed))")
    }

    // MARK: 6. What ignoring saves

    @Test("a repository with 20,000 ignored directories under node_modules/ starts with a watch per visible directory only")
    func ignoredDirectoriesCostNoWatches() async throws {
        let repository = try WatchedRepository("gitignore-large")
        try repository.write(".gitignore", "node_modules/\n")
        let visible = ["src", "src/a", "src/b", "docs"]
        try repository.make(visible.map { $0 + "/" })
        var count = 0
        for package in 0..<200 {
            let directory = repository.path("node_modules/p\(package)")
            try ByteFiles.makeDirectories(directory.bytes)
            count += 1
            for library in 0..<99 {
                try Files.mkdir(directory.appending("l\(library)"))
                count += 1
            }
        }
        #expect(count == 20_000)
        let watch = try RepositoryWatch(repository)
        #expect(watch.watcher.watchedDirectories == visible.count + 1)
        // The watched inodes are those of the directories in sight (not
        // named by a walk of the whole disk, 20,000 directories again).
        let watched = Set(Files.kernelWatchedInodes(watch.watcher.inotify.fileDescriptor))
        let inSight = Set((["."] + visible).compactMap { repository.inode($0 == "." ? repository.top : repository.path($0)) })
        #expect(watched == inSight, "\(watched.count) watches, \(inSight.count) directories in sight")
    }
}

/// Random repositories: nested `.gitignore` files drawn from a pool of
/// patterns, `info/exclude` and a global file now and then, a random tree.
/// The watched directories are compared with those `git check-ignore` (the
/// real git) leaves visible, at the start and after each change of a
/// `.gitignore` while watching; every path that becomes visible must be
/// reported as created (found by scan), and of the files made while
/// watching, exactly the visible ones.
@Suite("gitIgnore against git check-ignore, on random repositories",
       .enabled(if: Git.isAvailable, "git is not on PATH: the differential test needs it"), .timeLimit(.minutes(10)))
struct GitIgnoreWatchDifferentialTests {
    static let seed: UInt64 = ProcessInfo.processInfo.environment["GITIGNORE_SEED"].flatMap { UInt64($0) } ?? 20_251_204
    static let repositories = ProcessInfo.processInfo.environment["GITIGNORE_REPOSITORIES"].flatMap { Int($0) } ?? 12

    static let directoryNames = ["a", "b", "build", "cache", "logs", "src", "x"]
    static let fileNames = ["f.txt", "g.log", "x", "build", "a.tmp", "keep.log", "notes"]
    /// Plain names, `*.ext`, directory-only, anchored, paths, `**`, negations.
    /// None matches a marker (`mark-N`) or a `.gitignore`.
    static let patterns = [
        "x", "a", "build", "notes", "*.log", "*.tmp", "*.txt", "cache/", "build/", "x/", "logs/",
        "/build", "/a", "/src/x", "/logs/", "a/b", "src/build", "b/*.log", "a/x",
        "**/x", "**/cache", "src/**/b", "**/logs/*.log", "!x", "!*.log", "!build", "!keep.log", "!cache/", "!a", "!/src",
    ]

    struct Random {
        var generator: SplitMix64
        mutating func chance(_ percent: UInt64) -> Bool { generator.next() % 100 < percent }
        mutating func below(_ count: Int) -> Int { Int(generator.next() % UInt64(count)) }
        mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
        mutating func ignoreText() -> String {
            (0..<(1 + below(4))).map { _ in pick(GitIgnoreWatchDifferentialTests.patterns) + "\n" }.joined()
        }
    }

    /// A random tree: entries ending in `/` are directories; three levels at most.
    static func randomTree(_ random: inout Random, in directory: String = "", depth: Int = 0) -> [String] {
        var entries: [String] = []
        let prefix = directory.isEmpty ? "" : directory + "/"
        for name in Set((0..<(1 + random.below(3))).map { _ in random.pick(fileNames) }).sorted() { entries.append(prefix + name) }
        guard depth < 3 else { return entries }
        for name in Set((0..<random.below(depth == 0 ? 4 : 3)).map { _ in random.pick(directoryNames) }).sorted() {
            // A file of the same name already there keeps the place.
            guard !entries.contains(prefix + name) else { continue }
            entries.append(prefix + name + "/")
            entries += randomTree(&random, in: prefix + name, depth: depth + 1)
        }
        return entries
    }

    /// Whether git leaves each path below the top visible, the `.gitignore`
    /// files and markers aside: not ignored, and neither is any directory above it.
    static func visibility(_ repository: WatchedRepository) throws -> (paths: [String: Bool], directories: Set<String>) {
        let entries = ByteFiles.walk(repository.top).filter { entry in
            let path = String(decoding: entry.path, as: UTF8.self)
            let isMarker = !path.contains("/") && path.hasPrefix("mark-")
            return FilePath(path).lastComponent?.string != IgnoreRules.fileName && !isMarker
        }
        let verdicts = try repository.git.checkIgnore(entries.map(\.path), in: repository.top, top: repository.top)
        var visible: [String: Bool] = [:]
        var directories: Set<String> = []
        for (entry, verdict) in zip(entries, verdicts) {
            let path = String(decoding: entry.path, as: UTF8.self)
            let parent = FilePath(path).removingLastComponent().string
            let shown = !(verdict?.isIgnored ?? false) && (parent.isEmpty || visible[parent] == true)
            visible[path] = shown
            if entry.isDirectory { directories.insert(path) }
        }
        return (visible, directories)
    }

    /// Every ignore file's text, for a failure message.
    static func ignoreFiles(_ repository: WatchedRepository) -> String {
        var files = [".git/info/exclude"] + ByteFiles.walk(repository.top)
            .map { String(decoding: $0.path, as: UTF8.self) }
            .filter { $0 == IgnoreRules.fileName || $0.hasSuffix("/" + IgnoreRules.fileName) }
        files.sort()
        var text = files.compactMap { file in
            (try? String(contentsOfFile: repository.path(file).string, encoding: .utf8)).map { "\(file):\n\($0)" }
        }
        if let global = try? String(contentsOfFile: repository.globalExcludes.string, encoding: .utf8) {
            text.append("global:\n\(global)")
        }
        return text.joined(separator: "\n")
    }

    @Test("watched directories and reported paths follow git check-ignore, at the start and through .gitignore changes")
    func randomRepositories() async throws {
        print("gitignore watch seed \(Self.seed) (GITIGNORE_SEED to repeat), \(Self.repositories) repositories (GITIGNORE_REPOSITORIES)")
        for index in 0..<Self.repositories {
            // The first repository that disagrees is reported, alone: after
            // it, the same fault would only repeat.
            guard try await randomRepository(seed: Self.seed &+ UInt64(index)) else { break }
        }
    }

    /// One random repository, watched through four rounds of changes; false
    /// (after recording an issue) at the first disagreement.
    func randomRepository(seed: UInt64) async throws -> Bool {
        var random = Random(generator: SplitMix64(seed: seed))
        let repository = try WatchedRepository("gitignore-random", gitInit: true)
        try repository.make(Self.randomTree(&random))
        var directories = ByteFiles.walk(repository.top).filter(\.isDirectory).map { String(decoding: $0.path, as: UTF8.self) }
        if random.chance(70) { try repository.write(IgnoreRules.fileName, random.ignoreText()) }
        for directory in directories where random.chance(30) {
            try repository.write(directory + "/" + IgnoreRules.fileName, random.ignoreText())
        }
        if random.chance(30) { try repository.write(".git/info/exclude", random.ignoreText()) }
        if random.chance(30) { try repository.writeGlobalExcludes(random.ignoreText()) }

        let watch = try RepositoryWatch(repository)
        var failures: [String] = []
        /// Records what disagreed in `phase`, with the seed and the ignore files; false if anything did.
        func agreed(_ phase: String) -> Bool {
            guard !failures.isEmpty else { return true }
            Issue.record("""
                seed \(seed) (GITIGNORE_SEED=\(seed) GITIGNORE_REPOSITORIES=1 to repeat), \(phase):
                \(failures.joined(separator: "\n"))
                ignore files:
                \(Self.ignoreFiles(repository))
                """)
            return false
        }
        /// The watched directories are the visible ones, by inode.
        func compareWatches(_ now: (paths: [String: Bool], directories: Set<String>)) {
            let expected = ["."] + now.directories.filter { now.paths[$0] == true }
            if let mismatch = watch.watchMismatch(expected) { failures.append(mismatch) }
        }

        var before = try Self.visibility(repository)
        compareWatches(before)
        let startup = structural(try await watch.settle())
        if !startup.isEmpty { failures.append("changes at the start: \(startup)") }
        guard agreed("at the start") else { return false }

        for round in 0..<4 {
            // One .gitignore changed at a time, atomically (made, replaced
            // or deleted), so that what the watcher sees is always a state
            // the disk was in.
            for _ in 0..<3 {
                let directory = random.chance(30) ? "" : random.pick(directories + [""])
                let file = directory.isEmpty ? IgnoreRules.fileName : directory + "/" + IgnoreRules.fileName
                let phase: String
                if Files.exists(repository.path(file)) && random.chance(30) {
                    try Files.unlink(repository.path(file))
                    phase = "round \(round), \(file) deleted"
                } else {
                    try repository.replace(file, random.ignoreText())
                    phase = "round \(round), \(file) replaced"
                }
                let changes = try await watch.settle()
                let now = try Self.visibility(repository)
                compareWatches(now)
                // What became visible is reported, found by scan; what became
                // ignored, where its directory is still in sight, as
                // becameIgnored; nothing else.
                let slash = { (path: String) in now.directories.contains(path) ? "/" : "" }
                let uncovered = now.paths.filter { $0.value && before.paths[$0.key] == false }.keys
                let covered = now.paths.filter { entry in
                    guard !entry.value, before.paths[entry.key] == true else { return false }
                    let parent = entry.key.split(separator: "/").dropLast().joined(separator: "/")
                    return parent.isEmpty || now.paths[parent] == true
                }.keys
                let expected = Set(uncovered.map { "created \($0)\(slash($0)) (scan)" })
                    .union(covered.map { "becameIgnored \($0)\(slash($0))" })
                let reported = Set(structural(changes))
                if reported != expected {
                    failures.append("""
                        not reported: \(expected.subtracting(reported).sorted()); \
                        reported, not expected: \(reported.subtracting(expected).sorted())
                        """)
                }
                guard agreed(phase) else { return false }
                before = now
            }

            // New files and directories, visible and ignored, under the rules of now.
            var made: [String] = []
            for _ in 0..<6 {
                let directory = random.pick(directories + [""])
                let prefix = directory.isEmpty ? "" : directory + "/"
                if random.chance(25) {
                    let path = prefix + random.pick(Self.directoryNames), file = random.pick(Self.fileNames)
                    guard !Files.exists(repository.path(path)) else { continue }
                    try repository.make([path + "/" + file])
                    made += [path, path + "/" + file]
                } else {
                    let path = prefix + random.pick(Self.fileNames)
                    guard !Files.exists(repository.path(path)) else { continue }
                    try repository.make([path])
                    made.append(path)
                }
            }
            let changes = try await watch.settle()
            let now = try Self.visibility(repository)
            compareWatches(now)
            for path in made {
                let reports = changes.filter { $0.path.string == path }
                if now.paths[path] == true && !reports.contains(where: { $0.kind == .created }) {
                    failures.append("\(path), visible, not reported as created")
                }
                if now.paths[path] != true && !reports.isEmpty {
                    failures.append("\(path), ignored, reported: \(reports)")
                }
            }
            let others = namedPaths(changes).filter { !made.contains($0) }
            if !others.isEmpty { failures.append("changes about paths not made here: \(others.sorted())") }
            guard agreed("round \(round), new paths \(made)") else { return false }
            directories = ByteFiles.walk(repository.top).filter(\.isDirectory).map { String(decoding: $0.path, as: UTF8.self) }
            before = now
        }
        return true
    }
}
