@testable import InotifyTree
import InotifyTestSupport
import SystemPackage
import Testing
import InotifyTestLanes

/// The stack of ignore files that applies to a tree, on trees made in
/// temporary directories with a hand-made `.git` (no git needed) and an
/// environment whose home is inside the test's directory.
@Suite("Ignore rules: the files that apply to a tree, and their order", .inBlockingLane)
struct IgnoreRulesTests {
    /// A tree with `.git/info` (a repository to discovery) and an empty home.
    final class Tree {
        let dir: TemporaryDirectory
        let top: FilePath
        let home: FilePath
        var environment: [String: String]

        init(_ label: String, repository: Bool = true) throws {
            dir = try TemporaryDirectory(label)
            let base = ByteFiles.realPath(dir.path)
            top = base.appending("top")
            home = base.appending("home")
            try ByteFiles.makeDirectories(home.bytes)
            try ByteFiles.makeDirectories(top.bytes)
            if repository { try ByteFiles.makeDirectories(top.appending(".git/info").bytes) }
            environment = ["HOME": home.string, "GIT_CEILING_DIRECTORIES": base.string]
        }

        func file(_ path: String, _ text: String) throws {
            let full = top.appending(path)
            try ByteFiles.makeDirectories(full.removingLastComponent().bytes)
            try ByteFiles.write(full, text)
        }

        func rules(root: String = "") -> IgnoreRules {
            IgnoreRules(root: root.isEmpty ? top : top.appending(root), environment: environment)
        }
    }

    @Test("a deeper .gitignore decides before a shallower one, and the last matching line of a file wins")
    func precedence() throws {
        let tree = try Tree("precedence")
        try tree.file(".gitignore", "*.log\n!keep.log\n")
        try tree.file("sub/.gitignore", "keep.log\n!debug.log\n")
        var rules = tree.rules()
        rules.load(directory: "")
        rules.load(directory: "sub")
        #expect(rules.isIgnored("a.log", isDirectory: false))
        #expect(!rules.isIgnored("keep.log", isDirectory: false))
        #expect(rules.isIgnored("sub/keep.log", isDirectory: false))
        #expect(!rules.isIgnored("sub/debug.log", isDirectory: false))
        #expect(rules.isIgnored("sub/other.log", isDirectory: false))
        let decided = try #require(rules.match("sub/keep.log", isDirectory: false))
        #expect(decided.file == tree.top.appending("sub/.gitignore"))
        #expect(decided.line == 1)
        #expect(decided.pattern == Array("keep.log".utf8))
        let reincluded = try #require(rules.match("keep.log", isDirectory: false))
        #expect(reincluded.isNegated && reincluded.line == 2)
    }

    @Test("nothing inside an ignored directory comes back, whatever deeper files say")
    func ignoredDirectoryIsFinal() throws {
        let tree = try Tree("ignored-dir")
        try tree.file(".gitignore", "build/\n!build/keep\n")
        try tree.file("build/.gitignore", "!*\n")
        var rules = tree.rules()
        rules.load(directory: "")
        rules.load(directory: "build")
        #expect(rules.isIgnored("build", isDirectory: true))
        #expect(rules.isIgnored("build/keep", isDirectory: false))
        #expect(rules.isIgnored("build/x/y", isDirectory: false))
        // The answer names the pattern that ignores the directory.
        let decided = try #require(rules.match("build/x/y", isDirectory: false))
        #expect(decided.line == 1 && decided.file == tree.top.appending(".gitignore"))
        // A file called build is not a directory: the directory-only pattern passes it by.
        #expect(!rules.isIgnored("src/build", isDirectory: false))
        #expect(rules.isIgnored("src/build", isDirectory: true))
    }

    @Test("the classic re-include: everything but one directory, and in it everything but one file")
    func reincludeThroughWildcards() throws {
        let tree = try Tree("reinclude")
        try tree.file(".gitignore", "/*\n!/foo\n/foo/*\n!/foo/bar\n")
        var rules = tree.rules()
        rules.load(directory: "")
        #expect(rules.isIgnored("other", isDirectory: true))
        #expect(rules.isIgnored("file", isDirectory: false))
        #expect(!rules.isIgnored("foo", isDirectory: true))
        #expect(rules.isIgnored("foo/baz", isDirectory: false))
        #expect(!rules.isIgnored("foo/bar", isDirectory: true))
        #expect(!rules.isIgnored("foo/bar/deep", isDirectory: false))
    }

    @Test("a directory's own .gitignore does not apply to the directory itself")
    func ownFileNotSelf() throws {
        let tree = try Tree("own")
        try tree.file("d/.gitignore", "d\n")
        var rules = tree.rules()
        rules.load(directory: "d")
        #expect(!rules.isIgnored("d", isDirectory: true))
        #expect(rules.isIgnored("d/d", isDirectory: true))
    }

    @Test("info/exclude applies after every .gitignore, the global file last")
    func excludeFiles() throws {
        let tree = try Tree("exclude")
        try tree.file(".git/info/exclude", "*.tmp\n!global.bak\n")
        try ByteFiles.makeDirectories(tree.home.appending(".config/git").bytes)
        try ByteFiles.write(tree.home.appending(".config/git/ignore"), "*.bak\n*.tmp\n")
        try tree.file(".gitignore", "!kept.tmp\n")
        var rules = tree.rules()
        rules.load(directory: "")
        #expect(rules.isIgnored("x.tmp", isDirectory: false))
        #expect(rules.match("x.tmp", isDirectory: false)?.file == tree.top.appending(".git/info/exclude"))
        #expect(!rules.isIgnored("kept.tmp", isDirectory: false))
        #expect(rules.isIgnored("x.bak", isDirectory: false))
        #expect(rules.match("x.bak", isDirectory: false)?.file == tree.home.appending(".config/git/ignore"))
        #expect(!rules.isIgnored("global.bak", isDirectory: false))
    }

    @Test("core.excludesFile: ~/.gitconfig over the XDG config, ~ expanded from the given HOME, XDG_CONFIG_HOME honoured")
    func globalFileFromConfiguration() throws {
        let tree = try Tree("config")
        try ByteFiles.makeDirectories(tree.home.appending("xdg/git").bytes)
        try ByteFiles.write(tree.home.appending("xdg/git/ignore"), "from-xdg-default\n")
        try ByteFiles.write(tree.home.appending("xdg-excludes"), "from-xdg-config\n")
        try ByteFiles.write(tree.home.appending("home-excludes"), "from-home-config\n")
        tree.environment["XDG_CONFIG_HOME"] = tree.home.appending("xdg").string
        #expect(tree.rules().isIgnored("from-xdg-default", isDirectory: false))

        try ByteFiles.write(tree.home.appending("xdg/git/config"), "[core]\n\texcludesFile = ~/xdg-excludes\n")
        #expect(tree.rules().isIgnored("from-xdg-config", isDirectory: false))
        #expect(!tree.rules().isIgnored("from-xdg-default", isDirectory: false))

        try ByteFiles.write(tree.home.appending(".gitconfig"), "[Core]\n  EXCLUDESFILE = \"~/home-excludes\" ; why\n")
        let rules = tree.rules()
        #expect(rules.isIgnored("from-home-config", isDirectory: false))
        #expect(!rules.isIgnored("from-xdg-config", isDirectory: false))
        #expect(rules.files.contains(tree.home.appending("home-excludes")))

        // GIT_CONFIG_GLOBAL replaces both files.
        try ByteFiles.write(tree.home.appending("elsewhere"), "[core]\nexcludesfile=\(tree.home.appending("xdg-excludes"))\n")
        tree.environment["GIT_CONFIG_GLOBAL"] = tree.home.appending("elsewhere").string
        #expect(tree.rules().isIgnored("from-xdg-config", isDirectory: false))
        #expect(!tree.rules().isIgnored("from-home-config", isDirectory: false))
    }

    @Test("the configuration reader: sections, subsections, case, quotes, escapes, comments, continuations, bad lines")
    func configurationSyntax() {
        func value(_ text: String) -> String? {
            GitConfigExcludes.parse(Array(text.utf8), file: "c").excludesFile.map { String(decoding: $0.value, as: UTF8.self) }
        }
        #expect(value("[core]\nexcludesfile = a\n") == "a")
        #expect(value("[CORE]\n\tExcludesFile=a b  c   \n") == "a b  c")
        #expect(value("[core]\nexcludesfile = \"  a # b \" # c\n") == "  a # b ")
        #expect(value("[core]\nexcludesfile = a ; b\n") == "a")
        #expect(value("[core]\nexcludesfile = a\\\nb\n") == "ab")
        #expect(value("[core]\nexcludesfile = a\\tb\\\\c\\\"d\n") == "a\tb\\c\"d")
        #expect(value("[core \"sub\"]\nexcludesfile = a\n") == nil)
        #expect(value("[core.sub]\nexcludesfile = a\n") == nil)
        #expect(value("[user]\nexcludesfile = a\n") == nil)
        #expect(value("[core] excludesfile = a\n") == "a")
        #expect(value("[core]\nexcludesfile = a\n[core]\nexcludesfile = b\n") == "b")
        #expect(value("\u{FEFF}[core]\r\nexcludesfile = a\r\n") == "a")
        #expect(value("# [core]\n; excludesfile = x\n[core]\n#excludesfile = y\n") == nil)
        let bad = GitConfigExcludes.parse(Array("[core]\nexcludesfile = a\n%%%\nexcludesfile = b\n".utf8), file: "c")
        #expect(bad.excludesFile?.value == Array("a".utf8), "reading stops at the bad line")
        #expect(bad.problems.map(\.line) == [3])
        let unknownEscape = GitConfigExcludes.parse(Array("[core]\nexcludesfile = a\\qb\n".utf8), file: "c")
        #expect(unknownEscape.excludesFile == nil && unknownEscape.problems.count == 1)
        let noValue = GitConfigExcludes.parse(Array("[core]\n\texcludesfile\n".utf8), file: "c")
        #expect(noValue.excludesFile == nil && noValue.problems.map(\.line) == [2])
    }

    @Test("a root inside a repository: .gitignore files above it apply, relative to their own directories")
    func rootBelowTheTop() throws {
        let tree = try Tree("subroot")
        try tree.file(".gitignore", "/sub/inner/anchored\n*.o\n")
        try tree.file("sub/.gitignore", "/inner/x\n!keep.o\n")
        try tree.file("sub/inner/.gitignore", "own\n")
        try tree.file(".git/info/exclude", "excluded\n")
        var rules = tree.rules(root: "sub/inner")
        #expect(rules.repositoryTop == tree.top)
        rules.load(directory: "")
        #expect(rules.isIgnored("anchored", isDirectory: false))
        #expect(rules.isIgnored("x", isDirectory: false))
        #expect(!rules.isIgnored("y/x", isDirectory: false))
        #expect(rules.isIgnored("a.o", isDirectory: false))
        #expect(!rules.isIgnored("keep.o", isDirectory: false))
        #expect(rules.isIgnored("own", isDirectory: false))
        #expect(rules.isIgnored("d/excluded", isDirectory: false))
        #expect(!rules.isIgnored("", isDirectory: true))
        #expect(rules.match("x", isDirectory: false)?.file == tree.top.appending("sub/.gitignore"))
    }

    @Test("a root that the files above it ignore is ignored, with everything in it")
    func ignoredRoot() throws {
        let tree = try Tree("ignoredroot")
        try tree.file(".gitignore", "generated/\n")
        try tree.file("generated/out/.gitignore", "!*\n")
        var rules = tree.rules(root: "generated/out")
        rules.load(directory: "")
        #expect(rules.isIgnored("", isDirectory: true))
        #expect(rules.isIgnored("file", isDirectory: false))
        #expect(rules.match("a/b", isDirectory: false)?.pattern == Array("generated/".utf8))
    }

    @Test("a root in no repository: its own .gitignore files and the global file apply, nothing above it")
    func noRepository() throws {
        let tree = try Tree("norepo", repository: false)
        try tree.file(".gitignore", "above\n")
        try tree.file("root/.gitignore", "inside\n")
        try ByteFiles.makeDirectories(tree.home.appending(".config/git").bytes)
        try ByteFiles.write(tree.home.appending(".config/git/ignore"), "global\n")
        var rules = tree.rules(root: "root")
        #expect(rules.repositoryTop == nil)
        rules.load(directory: "")
        #expect(rules.isIgnored("inside", isDirectory: false))
        #expect(rules.isIgnored("global", isDirectory: false))
        #expect(!rules.isIgnored("above", isDirectory: false))
    }

    @Test("load reads again after an edit and forgets a deleted file; unload forgets; a directory without one holds nothing")
    func loadAndUnload() throws {
        let tree = try Tree("reload")
        try tree.file("a/.gitignore", "one\n")
        var rules = tree.rules()
        rules.load(directory: "a")
        #expect(rules.isIgnored("a/one", isDirectory: false))
        try tree.file("a/.gitignore", "two\n")
        rules.load(directory: "a")
        #expect(!rules.isIgnored("a/one", isDirectory: false))
        #expect(rules.isIgnored("a/two", isDirectory: false))
        try Files.unlink(tree.top.appending("a/.gitignore"))
        rules.load(directory: "a")
        #expect(!rules.isIgnored("a/two", isDirectory: false))
        #expect(rules.loadedCount == 0)

        try tree.file("b/.gitignore", "three\n")
        rules.load(directory: "b")
        #expect(rules.isIgnored("b/three", isDirectory: false))
        rules.unload(directory: "b")
        #expect(!rules.isIgnored("b/three", isDirectory: false))

        for index in 0..<500 {
            try Files.mkdir(tree.top.appending("empty\(index)"))
            rules.load(directory: FilePath("empty\(index)"))
        }
        try tree.file("comments/.gitignore", "# only a comment\n\n")
        rules.load(directory: "comments")
        #expect(rules.loadedCount == 0)
    }

    @Test("many loaded files: each applies to its own directory only, through loads and unloads in any order")
    func manyFiles() throws {
        let tree = try Tree("many")
        var generator = SplitMix64(seed: 11)
        var rules = tree.rules()
        var present = Set<Int>()
        for index in 0..<60 { try tree.file("d\(index)/.gitignore", "n\(index)\n") }
        for _ in 0..<400 {
            let index = Int(generator.next() % 60)
            if generator.next() % 2 == 0 {
                rules.load(directory: FilePath("d\(index)"))
                present.insert(index)
            } else {
                rules.unload(directory: FilePath("d\(index)"))
                present.remove(index)
            }
            let probe = Int(generator.next() % 60)
            #expect(rules.isIgnored(FilePath("d\(probe)/n\(probe)"), isDirectory: false) == present.contains(probe))
            #expect(!rules.isIgnored(FilePath("d\(probe)/n\((probe + 1) % 60)"), isDirectory: false))
        }
        #expect(rules.loadedCount == present.count)
    }

    @Test("a malformed pattern is reported with its file and line, and the file's other lines still apply")
    func malformedPattern() throws {
        let tree = try Tree("malformed")
        try tree.file("sub/.gitignore", "first\n# comment\nbad[ab\nlast\ntrailing\\\n")
        var rules = tree.rules()
        let reported = rules.load(directory: "sub")
        let file = tree.top.appending("sub/.gitignore")
        #expect(reported.map(\.line) == [3, 5])
        #expect(reported.allSatisfy { $0.file == file })
        #expect(rules.problems == reported)
        let description = try #require(reported.first?.description)
        #expect(description.hasPrefix("\(file):3: "))
        #expect(description.contains("bad[ab"))
        #expect(rules.isIgnored("sub/first", isDirectory: false))
        #expect(rules.isIgnored("sub/last", isDirectory: false))
        #expect(!rules.isIgnored("sub/bad[ab", isDirectory: false))
        #expect(!rules.isIgnored("sub/bada", isDirectory: false))
        // Fixed, the problem goes.
        try tree.file("sub/.gitignore", "first\n")
        rules.load(directory: "sub")
        #expect(rules.problems.isEmpty)
    }

    @Test("a .gitignore that is a symbolic link is not followed, and says so; a directory in its place says so too")
    func unreadableFiles() throws {
        let tree = try Tree("symlink")
        try tree.file("target", "linked\n")
        try ByteFiles.makeDirectories(tree.top.appending("s").bytes)
        try Files.symlink("../target", at: tree.top.appending("s/.gitignore"))
        try ByteFiles.makeDirectories(tree.top.appending("d/.gitignore").bytes)
        var rules = tree.rules()
        let linked = rules.load(directory: "s")
        #expect(linked.map(\.file) == [tree.top.appending("s/.gitignore")])
        #expect(linked.first?.line == 0)
        #expect(!rules.isIgnored("s/linked", isDirectory: false))
        #expect(rules.load(directory: "d").count == 1)
        #expect(rules.problems.count == 2)
    }

    @Test("problems of the configuration and the tree-wide files are reported too")
    func initialProblems() throws {
        let tree = try Tree("configproblems")
        try ByteFiles.write(tree.home.appending(".gitconfig"), "[core]\nexcludesfile = ~/global\n[bad\n")
        try ByteFiles.write(tree.home.appending("global"), "ok\n[x\n")
        try tree.file(".git/info/exclude", "fine\n\\\n")
        let rules = tree.rules()
        let problems = rules.problems
        #expect(problems.contains { $0.file == tree.home.appending(".gitconfig") && $0.line == 3 })
        #expect(problems.contains { $0.file == tree.home.appending("global") && $0.line == 2 })
        #expect(problems.contains { $0.file == tree.top.appending(".git/info/exclude") && $0.line == 2 })
        #expect(rules.isIgnored("ok", isDirectory: false))
        #expect(rules.isIgnored("fine", isDirectory: false))
    }

    @Test("names that are not UTF-8, in patterns and in paths")
    func nonUTF8Names() throws {
        let tree = try Tree("bytes")
        let name: [UInt8] = [UInt8(ascii: "x"), 0xFF]
        try ByteFiles.write(tree.top.appending(".gitignore").bytes, name + [UInt8(ascii: "\n")] + [0xFE, UInt8(ascii: "*"), UInt8(ascii: "\n")])
        var rules = tree.rules()
        rules.load(directory: "")
        #expect(rules.isIgnored(FilePath(testBytes: name), isDirectory: false))
        #expect(rules.isIgnored(FilePath(testBytes: [0xFE, 0x41]), isDirectory: false))
        #expect(!rules.isIgnored(FilePath(testBytes: [UInt8(ascii: "x"), 0xFE]), isDirectory: false))
        name.withUnsafeBufferPointer { bytes in
            #expect(rules.isIgnored(bytes: bytes, isDirectory: false))
        }
    }

    @Test("the ignore file's name is what a watcher looks for")
    func fileName() {
        #expect(IgnoreRules.fileName == ".gitignore")
    }
}
