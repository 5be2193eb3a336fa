import Foundation
@testable import InotifyTree
import InotifyTestSupport
import SystemPackage
import Testing
import InotifyTestLanes

private func b(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Makes `entries` below `directory`: a path ending in `/` is a directory,
/// any other a file (with the directories above it).
private func make(_ entries: [[UInt8]], in directory: FilePath) throws {
    for entry in entries {
        let full = directory.bytes + [UInt8(ascii: "/")] + entry
        if entry.last == UInt8(ascii: "/") {
            try ByteFiles.makeDirectories(Array(full.dropLast()))
        } else {
            if let slash = full.lastIndex(of: UInt8(ascii: "/")) { try ByteFiles.makeDirectories(Array(full[..<slash])) }
            try ByteFiles.write(full, [])
        }
    }
}

/// An ignore file's text from its lines.
private func lines(_ lines: [[UInt8]]) -> [UInt8] { lines.flatMap { $0 + [UInt8(ascii: "\n")] } }

/// IgnoreRules against the real `git check-ignore --no-index -v`: for every
/// path of each tree, the same deciding pattern (file, line and text, or
/// none), and the same verdict from `isIgnored`, with and without the
/// ancestors checked. git runs with a home, configuration and ceiling of
/// its own, the same that IgnoreRules is given.
@Suite("Ignore rules against git check-ignore", .inBlockingLane, .enabled(if: Git.isAvailable, "git is not on PATH: the differential tests need it"))
struct IgnoreDifferentialTests {
    /// One pattern file and the paths it is tried on, in a directory of its own.
    struct Case {
        let lines: [[UInt8]]
        let paths: [[UInt8]]
        init(_ lines: [String], _ paths: [String]) { self.init(raw: lines.map(b), paths.map(b)) }
        init(raw lines: [[UInt8]], _ paths: [[UInt8]]) {
            self.lines = lines
            self.paths = paths
        }
    }

    /// Each case's patterns are the .gitignore of its own directory, so an
    /// anchored pattern is relative to that directory, not to the top.
    static let cases: [Case] = [
        Case(["*.o"], ["a.o", "d/b.o", "a.oo", "o", "d/o.o/"]),
        Case(["/top"], ["top", "d/top", "top2"]),
        Case(["mid/dle"], ["mid/dle", "x/mid/dle", "mid/dlex"]),
        Case(["dironly/"], ["dironly/", "f/dironly", "g/dironly/"]),
        Case(["doc/*.txt"], ["doc/a.txt", "doc/s/b.txt", "doc/.txt"]),
        Case(["**/deep"], ["deep", "a/deep", "a/b/deep", "a/b/deeper"]),
        Case(["**/foo/bar"], ["foo/bar", "x/foo/bar", "foo/x/bar", "x/y/foo/bar/"]),
        Case(["abc/**"], ["abc/", "abc/x", "abc/y/z", "abcd/x"]),
        Case(["a/**/b"], ["a/b", "a/x/b", "a/x/y/b", "a/xb", "x/a/b"]),
        Case(["a**b"], ["axxb", "d/ab", "a/b", "ba"]),
        Case(["a**/b"], ["ax/y/b", "a/b", "x/b", "ab/b"]),
        Case(["a/b**", "!a/bc/"], ["a/bc/d", "a/b", "a/bx", "a/c/d"]),
        Case(["foo/**x"], ["foo/ax", "foo/a/x", "foo/x"]),
        Case(["**"], ["a", "b/c", "d/"]),
        Case(["/**/"], ["a", "b/c", "d/", "e/f/"]),
        Case(["**/**/x"], ["x", "a/x", "a/b/x", "a/b/y"]),
        Case(["x/**/"], ["x/a/", "x/b", "x/c/d/", "y/a/"]),
        Case(["*/x"], ["d/x", "d/e/x", "x"]),
        Case(["a?b/c"], ["axb/c", "a/b/c", "ab/c"]),
        Case(["a\\/b"], ["a/b", "ab", "x/a/b"]),
        Case(["\\#hash", "#comment"], ["#hash", "#comment", "hash"]),
        Case(["\\!bang", "!neg"], ["!bang", "bang", "neg", "!neg"]),
        Case(["sp   ", "esc\\ ", "two \\ ", "keep\\  "], ["sp", "sp ", "esc ", "esc", "two  ", "two ", "keep ", "keep  "]),
        Case(["tab\t", " lead"], ["tab\t", "tab", " lead", "lead"]),
        Case(["[ab]c", "[!x]y", "[^p]q", "[a-c]r", "[]]s", "[a-]t", "[z-a]u"],
             ["ac", "bc", "cc", "xy", "zy", "pq", "qq", "br", "dr", "]s", "-t", "at", "bt", "mu"]),
        Case(["[[:digit:]]d", "[[:space:]]v", "[[:upper:]]u", "[[:punct:]]p", "[[:alpha]x", "[[:xdigit:][:blank:]]w"],
             ["7d", "xd", " v", "\tv", "\u{0B}v", "\u{0C}v", "Uu", "uu", "!p", "ap", "ax", "[x", "bx", "Fw", "gw", " w"]),
        Case(["x[ab", "[[:nope:]]z", "trail\\", "dir\\/", "[", "!", "/", "a[]"],
             ["x[ab", "xa", "nz", "[[:nope:]]z", "trail\\", "trail", "dir\\/", "dir/", "[", "!", "a[]", "a"]),
        Case(["\\*", "\\?q", "\\[br]", "w\\\\v", "\\e"], ["*", "a", "?q", "aq", "[br]", "b", "w\\v", "e"]),
        Case(["*", "!*/", "!*.keep"], ["a", "d/", "d/x.keep", "d/y", "x.keep"]),
        Case(["/only/"], ["only/", "x/only/", "only2"]),
        Case(["/*", "!/foo", "/foo/*", "!/foo/bar"], ["a", "b/", "foo/baz", "foo/bar/deep", "foo/qux/"]),
        Case(["build/", "!build/keep"], ["build/keep", "build/x/y", "src/build/", "src/build2"]),
        Case(["Makefile"], ["makefile", "Makefile", "MAKEFILE"]),
        Case(["/a/b/", "a/*/"], ["a/b/", "a/b/c", "a/c/", "a/c2", "x/a/b/"]),
        Case(["*.log", "!important.log", "important.log"], ["x.log", "important.log"]),
        Case(["dup", "!dup", "dup/"], ["dup", "x/dup/", "y/dup"]),
        Case(["x/**\\/y", "[\\1-\\3]n", "*/", "!k*/"], ["x/y", "x/a/y", "x/a/b/y", "2n", "4n", "d/", "kd/", "kd/e/", "f"]),
        Case(["a/*", "!a/*/"], ["a/b", "a/c/", "a/c/d", "a/c/e/"]),
        Case(raw: [b("nul") + [0] + b("tail"), b("crlf\r"), b("cr\r ")], [b("nul"), b("nultail"), b("crlf"), b("cr"), b("cr\r")]),
        Case(raw: [[0xFF, UInt8(ascii: "*")], b("é"), [UInt8(ascii: "["), 0x80, UInt8(ascii: "-"), 0xFF, UInt8(ascii: "]")]],
             [[0xFF, UInt8(ascii: "a")], b("é"), [0xC3], [0x7F], b("e")]),
    ]

    /// The case whose lines git can never match, every one of them: what must be reported.
    static let malformedCase = cases.firstIndex { $0.lines.first == b("x[ab") }!

    @Test("each hand-picked pattern, on paths it should and should not match")
    func patternCases() throws {
        let git = try Git("ignore-cases")
        let top = try git.initRepository("repo")
        for (index, testCase) in Self.cases.enumerated() {
            let directory = top.appending("c\(index)")
            try ByteFiles.makeDirectories(directory.bytes)
            try ByteFiles.write(directory.appending(".gitignore").bytes, lines(testCase.lines))
            try make(testCase.paths, in: directory)
        }
        let rules = loadedRules(root: top, environment: git.environment)
        let found = try disagreements(git, rules: rules, root: top, runIn: top, top: top)
        #expect(found.isEmpty, "disagreements with git:\n\(found.joined(separator: "\n"))")

        let malformedFile = top.appending("c\(Self.malformedCase)/.gitignore")
        let expected = Self.cases[Self.malformedCase].lines.indices.map { "\(malformedFile):\($0 + 1)" }
        #expect(rules.problems.map { "\($0.file):\($0.line)" } == expected)
    }

    @Test("nested .gitignore files, info/exclude and the global file: which decides")
    func precedence() throws {
        var git = try Git("ignore-precedence")
        let top = try git.initRepository("repo")
        try ByteFiles.write(top.appending(".gitignore"), "*.log\n!keep.log\n/anchored\ndir/\n*.tmp\n")
        try make([b("a/.gitignore")], in: top)
        try ByteFiles.write(top.appending("a/.gitignore"), "keep.log\n!debug.log\n!*.tmp\nanchored\n/local\n")
        try make([b("a/b/.gitignore")], in: top)
        try ByteFiles.write(top.appending("a/b/.gitignore"), "!keep.log\n*.bak\n!dir/\n")
        try ByteFiles.write(top.appending(".git/info/exclude"), "*.bak\n!x.bak\nexcluded\n!global\n")
        try ByteFiles.makeDirectories(git.home.appending("xdg/git").bytes)
        try ByteFiles.write(git.home.appending("xdg/git/ignore"), "global\n*.bak\nx.bak\nexcluded\nonly-global\n")
        git.environment["XDG_CONFIG_HOME"] = git.home.appending("xdg").string
        let names = ["x.log", "keep.log", "debug.log", "anchored", "local", "a.tmp", "y.bak", "x.bak",
                     "excluded", "global", "only-global", "dir/", "dir/inside"]
        var paths: [[UInt8]] = []
        for directory in ["", "a/", "a/b/", "a/b/c/", "z/"] { paths += names.map { b(directory + $0) } }
        try make(paths, in: top)
        let rules = loadedRules(root: top, environment: git.environment)
        let found = try disagreements(git, rules: rules, root: top, runIn: top, top: top)
        #expect(found.isEmpty, "disagreements with git:\n\(found.joined(separator: "\n"))")
    }

    @Test("the global file named by core.excludesFile: in ~/.gitconfig with ~, in the XDG config, through GIT_CONFIG_GLOBAL; unset: XDG's git/ignore")
    func globalFileRoutes() throws {
        enum Route: CaseIterable { case xdgDefault, homeDefault, homeConfig, xdgConfig, globalConfig, repositoryConfig, emptyValue }
        for route in Route.allCases {
            var git = try Git("ignore-global")
            let top = try git.initRepository("repo")
            let home = git.home
            try ByteFiles.makeDirectories(home.appending(".config/git").bytes)
            try ByteFiles.makeDirectories(home.appending("xdg/git").bytes)
            try ByteFiles.write(home.appending(".config/git/ignore"), "home-default\n")
            try ByteFiles.write(home.appending("xdg/git/ignore"), "xdg-default\n")
            try ByteFiles.write(home.appending("named"), "named\n!home-default\n")
            switch route {
            case .xdgDefault:
                git.environment["XDG_CONFIG_HOME"] = home.appending("xdg").string
            case .homeDefault:
                break
            case .homeConfig:
                try ByteFiles.write(home.appending(".config/git/config"), "[core]\n\texcludesfile = ~/xdg/git/ignore\n")
                try ByteFiles.write(home.appending(".gitconfig"), "# mine\n[user]\n\tname = x\n[Core]\n\tExcludesFile = \"~/named\" ; here\n")
            case .xdgConfig:
                git.environment["XDG_CONFIG_HOME"] = home.appending("xdg").string
                try ByteFiles.write(home.appending("xdg/git/config"), "[core]\n\texcludesFile = \(home.appending("named"))\n")
            case .globalConfig:
                try ByteFiles.write(home.appending(".gitconfig"), "[core]\n\texcludesfile = ~/xdg/git/ignore\n")
                try ByteFiles.write(home.appending("elsewhere"), "[core]\nexcludesfile = ~/named\n")
                git.environment["GIT_CONFIG_GLOBAL"] = home.appending("elsewhere").string
            case .repositoryConfig:
                // The repository's own configuration comes after the user's.
                try ByteFiles.write(home.appending(".gitconfig"), "[core]\n\texcludesfile = ~/xdg/git/ignore\n")
                let set = try git.run(["config", "core.excludesFile", "~/named"], in: top)
                try #require(set.status == 0, "git config: \(set.errors)")
            case .emptyValue:
                try ByteFiles.write(home.appending(".gitconfig"), "[core]\n\texcludesfile =\n")
            }
            try make([b("named"), b("home-default"), b("xdg-default"), b("d/named"), b("d/xdg-default")], in: top)
            let rules = loadedRules(root: top, environment: git.environment)
            let found = try disagreements(git, rules: rules, root: top, runIn: top, top: top)
            #expect(found.isEmpty, "\(route): disagreements with git:\n\(found.joined(separator: "\n"))")
        }
    }

    @Test("a root below the repository's top: the .gitignore files above it and info/exclude apply; a root ignored from above")
    func rootBelowTheTop() throws {
        let git = try Git("ignore-subroot")
        let top = try git.initRepository("repo")
        try ByteFiles.write(top.appending(".gitignore"), "*.o\n/sub/inner/anchored\n/sub/gen/\n!sub/inner/keep.o\n")
        try make([b("sub/.gitignore")], in: top)
        try ByteFiles.write(top.appending("sub/.gitignore"), "/inner/x\nkeep.o\n*.tmp\n")
        try make([b("sub/inner/.gitignore")], in: top)
        try ByteFiles.write(top.appending("sub/inner/.gitignore"), "own\n!a.tmp\ninner\n")
        try ByteFiles.write(top.appending(".git/info/exclude"), "excluded\n")
        let entries = ["anchored", "x", "y/x", "a.o", "keep.o", "own", "a.tmp", "b.tmp", "excluded", "d/anchored", "d/excluded", "inner/", "inner/f"]
        try make(entries.map { b("sub/inner/" + $0) }, in: top)
        try make(entries.map { b("sub/gen/" + $0) }, in: top)

        for root in ["sub/inner", "sub/gen"] {
            let rootPath = top.appending(root)
            let rules = loadedRules(root: rootPath, environment: git.environment)
            #expect(rules.repositoryTop == top)
            let fromTop = try disagreements(git, rules: rules, root: rootPath, runIn: top, top: top, prefix: b(root + "/"))
            #expect(fromTop.isEmpty, "root \(root), git run at the top:\n\(fromTop.joined(separator: "\n"))")
        }
        #expect(loadedRules(root: top.appending("sub/gen"), environment: git.environment).isIgnored("", isDirectory: true))
    }

    @Test("a root in no repository: only its own .gitignore files and the global file, as git sees them once the root is made a repository")
    func noRepository() throws {
        let git = try Git("ignore-norepo")
        let above = git.base.appending("above")
        let root = above.appending("root")
        try ByteFiles.makeDirectories(root.bytes)
        try ByteFiles.write(above.appending(".gitignore"), "from-above\n")
        try ByteFiles.write(root.appending(".gitignore"), "*.o\n!keep.o\n")
        try make([b("d/.gitignore")], in: root)
        try ByteFiles.write(root.appending("d/.gitignore"), "/local\n")
        try ByteFiles.makeDirectories(git.home.appending(".config/git").bytes)
        try ByteFiles.write(git.home.appending(".config/git/ignore"), "global\n")
        try make(["from-above", "a.o", "keep.o", "global", "local", "d/local", "d/a.o", "d/from-above"].map(b), in: root)
        let rules = loadedRules(root: root, environment: git.environment)
        #expect(rules.repositoryTop == nil)
        _ = try git.initRepository("above/root")
        let found = try disagreements(git, rules: rules, root: root, runIn: root, top: root)
        #expect(found.isEmpty, "disagreements with git:\n\(found.joined(separator: "\n"))")
    }

    @Test("a linked worktree: its .git file is followed, and info/exclude is the shared one")
    func worktree() throws {
        var git = try Git("ignore-worktree")
        let main = try git.initRepository("main")
        git.environment["GIT_AUTHOR_NAME"] = "t"
        git.environment["GIT_AUTHOR_EMAIL"] = "t@example.invalid"
        git.environment["GIT_COMMITTER_NAME"] = "t"
        git.environment["GIT_COMMITTER_EMAIL"] = "t@example.invalid"
        let commit = try git.run(["commit", "-q", "--allow-empty", "-m", "start"], in: main)
        try #require(commit.status == 0, "git commit: \(commit.errors)")
        let added = try git.run(["worktree", "add", "-q", "../linked"], in: main)
        try #require(added.status == 0, "git worktree add: \(added.errors)")
        let linked = git.base.appending("linked")
        try ByteFiles.write(main.appending(".git/info/exclude"), "shared-exclude\n")
        try ByteFiles.write(linked.appending(".gitignore"), "own\n")
        try make(["shared-exclude", "own", "d/shared-exclude", "other"].map(b), in: linked)
        let rules = loadedRules(root: linked, environment: git.environment)
        #expect(rules.repositoryTop == linked)
        let found = try disagreements(git, rules: rules, root: linked, runIn: linked, top: linked)
        #expect(found.isEmpty, "disagreements with git:\n\(found.joined(separator: "\n"))")
        #expect(rules.isIgnored("shared-exclude", isDirectory: false), "the shared info/exclude applies")
    }

    @Test("a .gitignore that is a symbolic link: git does not follow it, and neither do we (it is reported)")
    func symbolicLinkFile() throws {
        let git = try Git("ignore-link")
        let top = try git.initRepository("repo")
        try ByteFiles.write(top.appending("real"), "linked\n")
        try make([b("s/linked"), b("linked")], in: top)
        try Files.symlink("../real", at: top.appending("s/.gitignore"))
        let rules = loadedRules(root: top, environment: git.environment)
        let found = try disagreements(git, rules: rules, root: top, runIn: top, top: top)
        #expect(found.isEmpty, "disagreements with git:\n\(found.joined(separator: "\n"))")
        #expect(rules.problems.map(\.file) == [top.appending("s/.gitignore")])
    }

    @Test("a byte order mark, CRLF lines and a last line without a newline")
    func fileEncodings() throws {
        let git = try Git("ignore-encoding")
        let top = try git.initRepository("repo")
        try ByteFiles.write(top.appending(".gitignore").bytes, [0xEF, 0xBB, 0xBF] + b("first\r\n!neg\r\n*.crlf  \r\nlast"))
        try make(["first", "neg", "a.crlf", "last", "\u{FEFF}first", "lastx"].map(b), in: top)
        let rules = loadedRules(root: top, environment: git.environment)
        let found = try disagreements(git, rules: rules, root: top, runIn: top, top: top)
        #expect(found.isEmpty, "disagreements with git:\n\(found.joined(separator: "\n"))")
    }

    // MARK: Random trees and patterns

    /// Names that make patterns interesting: globs' own characters, a
    /// leading # or !, spaces, backslashes, bytes that are not UTF-8.
    static let names: [[UInt8]] = [
        "a", "b", "ab", "ba", "a.o", "b.txt", "x y", "#c", "!d", "[e]", "e", "g ", "h*", "foo", "bar",
        "build", "doc", "w\\v", "é", "-", "]", "?", "ab.o",
    ].map(b) + [[0xFF, UInt8(ascii: "a")], [0xC3]]

    /// Pattern pieces besides the names themselves.
    static let pieces: [[UInt8]] = [
        "*", "?", "a*", "*b", "*.o", "[ab]", "[!a]", "[^b]*", "[a-c]", "[]a]*", "?*", "\\*", "\\#c", "\\!d",
        "\\[e]", "g\\ ", "[[:alpha:]]*", "[[:space:]]*", "e*", "b?", "x[ ]y", "*.*", "[[:punct:]]", "w\\\\v",
    ].map(b) + [[UInt8(ascii: "["), 0x80, UInt8(ascii: "-"), 0xFF, UInt8(ascii: "]"), UInt8(ascii: "*")]]

    static func randomLine(_ random: inout SplitMix64) -> [UInt8] {
        func chance(_ percent: UInt64) -> Bool { random.next() % 100 < percent }
        func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
        if chance(4) { return b("# comment") }
        if chance(3) { return [] }
        var line: [UInt8] = []
        if chance(25) { line += b("!") }
        if chance(20) { line += b("/") }
        let segments = 1 + Int(random.next() % 3)
        for index in 0..<segments {
            if index > 0 { line += b("/") }
            line += chance(18) ? b("**") : chance(50) ? pick(names) : pick(pieces)
        }
        if chance(25) { line += b("/") }
        if chance(8) { line += b("  ") }
        if chance(3) { line += pick([b("["), b("\\"), b("[[:bogus:]]")]) }
        return line
    }

    /// A random tree below `directory`: up to `budget` entries, four levels at most.
    static func randomTree(_ random: inout SplitMix64, depth: Int = 0, budget: inout Int) -> [(path: [UInt8], isDirectory: Bool)] {
        var entries: [(path: [UInt8], isDirectory: Bool)] = []
        var used = Set<[UInt8]>()
        let count = 2 + Int(random.next() % 5)
        for _ in 0..<count where budget > 0 {
            let name = names[Int(random.next() % UInt64(names.count))]
            guard used.insert(name).inserted else { continue }
            budget -= 1
            let isDirectory = depth < 3 && random.next() % 2 == 0
            entries.append((name, isDirectory))
            if isDirectory {
                for child in randomTree(&random, depth: depth + 1, budget: &budget) {
                    entries.append((name + [UInt8(ascii: "/")] + child.path, child.isDirectory))
                }
            }
        }
        return entries
    }

    /// Fewer under ThreadSanitizer: matching runs on one thread, and its
    /// slowdown buys nothing there but time.
    static let seeds: [UInt64] = Array(1...(underThreadSanitizer ? 24 : 120))

    @Test("random trees and patterns: nested .gitignore files, info/exclude, a global file, roots at and below the top",
          arguments: [0, 1, 2, 3])
    func randomized(slice: Int) throws {
        for seed in Self.seeds where Int(seed) % 4 == slice {
            try randomCase(seed: seed)
        }
    }

    func randomCase(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        var git = try Git("ignore-random")
        let top = try git.initRepository("repo")
        var budget = 90
        let tree = Self.randomTree(&random, budget: &budget)
        try make(tree.map { $0.isDirectory ? $0.path + [UInt8(ascii: "/")] : $0.path }, in: top)
        var written: [String] = []
        func ignoreFile(_ path: FilePath, lineCount: Int) throws {
            let text = lines((0..<lineCount).map { _ in Self.randomLine(&random) })
            try ByteFiles.write(path.bytes, text)
            written.append("\(path):\n\(shown(text))")
        }
        if random.next() % 10 < 7 { try ignoreFile(top.appending(".gitignore"), lineCount: 1 + Int(random.next() % 6)) }
        for entry in tree where entry.isDirectory && random.next() % 4 == 0 {
            try ignoreFile(FilePath(testBytes: top.bytes + [UInt8(ascii: "/")] + entry.path + b("/.gitignore")),
                           lineCount: 1 + Int(random.next() % 5))
        }
        if random.next() % 2 == 0 { try ignoreFile(top.appending(".git/info/exclude"), lineCount: 1 + Int(random.next() % 4)) }
        if random.next() % 2 == 0 {
            let global = git.home.appending("global-ignore")
            try ignoreFile(global, lineCount: 1 + Int(random.next() % 4))
            switch random.next() % 3 {
            case 0:
                try ByteFiles.write(git.home.appending(".gitconfig"), "[core]\n\texcludesFile = ~/global-ignore\n")
            case 1:
                try ByteFiles.write(git.home.appending("config"), "[core]\n\texcludesFile = \(global)\n")
                git.environment["GIT_CONFIG_GLOBAL"] = git.home.appending("config").string
            default:
                try ByteFiles.makeDirectories(git.home.appending("xdg/git").bytes)
                try Files.rename(global, git.home.appending("xdg/git/ignore"))
                git.environment["XDG_CONFIG_HOME"] = git.home.appending("xdg").string
            }
        }
        // Now and then the root is a directory below the top.
        let directories = tree.filter(\.isDirectory)
        var rootInTop: [UInt8] = []
        if !directories.isEmpty && random.next() % 4 == 0 {
            rootInTop = directories[Int(random.next() % UInt64(directories.count))].path
        }
        let root = rootInTop.isEmpty ? top : FilePath(testBytes: top.bytes + [UInt8(ascii: "/")] + rootInTop)
        let rules = loadedRules(root: root, environment: git.environment)
        let found = try disagreements(git, rules: rules, root: root, runIn: top, top: top,
                                      prefix: rootInTop.isEmpty ? [] : rootInTop + [UInt8(ascii: "/")])
        #expect(found.isEmpty, """
            seed \(seed), root \(rootInTop.isEmpty ? "the top" : shown(rootInTop)): disagreements with git:
            \(found.joined(separator: "\n"))
            files:
            \(written.joined(separator: "\n"))
            """)
    }
}
