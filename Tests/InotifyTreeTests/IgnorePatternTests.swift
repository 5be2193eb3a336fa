@testable import InotifyTree
import SystemPackage
import Testing
import InotifyTestLanes

/// gitignore(5)'s syntax, one line at a time, on cases written from the
/// manual and from what git does (each of the surprising ones was checked
/// against git 2.39; the differential suite checks them all again).
@Suite("Ignore patterns: one line's syntax and matching", .inBlockingLane)
struct IgnorePatternTests {
    func pattern(_ line: String) -> IgnorePattern? { pattern(Array(line.utf8)) }
    func pattern(_ line: [UInt8]) -> IgnorePattern? { IgnorePattern(line: line, number: 1) }

    /// Whether `line`, in the ignore file of directory `base` (relative to
    /// the top), matches `path` (relative to the top) by itself.
    func matches(_ line: String, _ path: String, directory: Bool = false, base: String = "") -> Bool {
        matches(Array(line.utf8), Array(path.utf8), directory: directory, base: base)
    }

    func matches(_ line: [UInt8], _ path: [UInt8], directory: Bool = false, base: String = "") -> Bool {
        guard let pattern = pattern(line) else { return false }
        let nameStart = path.lastIndex(of: UInt8(ascii: "/")).map { $0 + 1 } ?? 0
        return path.withUnsafeBufferPointer { path in
            Array(base.utf8).withUnsafeBufferPointer { base in
                pattern.matches(path, nameStart: nameStart, base: base, isDirectory: directory)
            }
        }
    }

    @Test("blank lines, lines of spaces and # comments hold no pattern; \\# starts one")
    func blanksAndComments() {
        #expect(pattern("") == nil)
        #expect(pattern("   ") == nil)
        #expect(pattern("# a comment") == nil)
        #expect(pattern("#") == nil)
        #expect(pattern("\r") == nil)
        #expect(matches("\\#hash", "#hash"))
        #expect(!matches("\\#hash", "\\#hash"))
        // Only a # first is a comment.
        #expect(matches(" #x", " #x"))
        #expect(matches("a#b", "a#b"))
    }

    @Test("trailing spaces are dropped unless escaped; tabs and leading spaces stay")
    func trailingSpaces() {
        #expect(matches("name   ", "name"))
        #expect(!matches("name   ", "name "))
        #expect(matches("name\\ ", "name "))
        #expect(!matches("name\\ ", "name"))
        // An escaped space protects the spaces before it too.
        #expect(matches("name \\ ", "name  "))
        #expect(matches("name\\  ", "name "))
        #expect(matches("name\t", "name\t"))
        #expect(!matches("name\t", "name"))
        #expect(matches(" name", " name"))
        #expect(!matches(" name", "name"))
    }

    @Test("a CR before the line's end is dropped (CRLF files), as is everything from a NUL")
    func carriageReturnAndNul() {
        #expect(matches("name\r", "name"))
        #expect(matches("name \r", "name"))
        #expect(matches(Array("abc".utf8) + [0] + Array("def".utf8), Array("abc".utf8)))
        #expect(!matches(Array("abc".utf8) + [0] + Array("def".utf8), Array("abcdef".utf8)))
    }

    @Test("! negates, \\! is a literal !")
    func negation() throws {
        let negated = try #require(pattern("!keep.o"))
        #expect(negated.isNegated)
        #expect(matches("!keep.o", "keep.o"))
        #expect(negated.text == Array("!keep.o".utf8))
        let literal = try #require(pattern("\\!bang"))
        #expect(!literal.isNegated)
        #expect(matches("\\!bang", "!bang"))
        #expect(!matches("\\!bang", "bang"))
    }

    @Test("a trailing / matches directories only, at any depth")
    func directoryOnly() {
        #expect(matches("build/", "build", directory: true))
        #expect(!matches("build/", "build", directory: false))
        #expect(matches("build/", "src/build", directory: true))
        #expect(!matches("build/", "src/build", directory: false))
        #expect(pattern("build/")?.text == Array("build/".utf8))
    }

    @Test("a pattern without a slash matches a name at any depth below its file's directory")
    func namePatterns() {
        #expect(matches("*.o", "main.o"))
        #expect(matches("*.o", "a/b/main.o"))
        #expect(!matches("*.o", "main.oo"))
        #expect(!matches("*.o", "main.o/x"))
        #expect(matches("frotz", "a/frotz", base: "a"))
        #expect(matches("frotz", "a/b/frotz", base: "a"))
        #expect(matches("frotz", "frotz"))
        #expect(!matches("frotz", "frotzz"))
    }

    @Test("a slash first or in the middle anchors the pattern to its file's directory")
    func anchoredPatterns() {
        #expect(matches("/bin", "bin"))
        #expect(!matches("/bin", "src/bin"))
        #expect(matches("doc/frotz", "doc/frotz"))
        #expect(!matches("doc/frotz", "a/doc/frotz"))
        #expect(matches("doc/frotz/", "doc/frotz", directory: true))
        #expect(!matches("doc/frotz/", "doc/frotz", directory: false))
        // Relative to the file's own directory.
        #expect(matches("/bin", "sub/bin", base: "sub"))
        #expect(!matches("/bin", "bin", base: "sub"))
        #expect(!matches("/bin", "sub/x/bin", base: "sub"))
        #expect(matches("x/y", "sub/x/y", base: "sub"))
        #expect(!matches("x/y", "subx/y", base: "sub"))
        // `*` and `?` do not cross a slash in a path pattern.
        #expect(matches("doc/*.txt", "doc/notes.txt"))
        #expect(!matches("doc/*.txt", "doc/server/arch.txt"))
        #expect(!matches("a?b/c", "a/b/c"))
        #expect(matches("a?b/c", "axb/c"))
    }

    @Test("bracket expressions: sets, ranges, ! and ^ negation, ] first, - at either end")
    func brackets() {
        #expect(matches("[ab]c", "ac"))
        #expect(matches("[ab]c", "bc"))
        #expect(!matches("[ab]c", "cc"))
        #expect(matches("[!a]c", "bc"))
        #expect(!matches("[!a]c", "ac"))
        #expect(matches("[^a]c", "bc"))
        #expect(!matches("[^a]c", "ac"))
        #expect(matches("[a-c]x", "bx"))
        #expect(!matches("[a-c]x", "dx"))
        #expect(matches("[]]", "]"))
        #expect(matches("[!]]", "a"))
        #expect(!matches("[!]]", "]"))
        #expect(matches("[a-]", "-"))
        #expect(matches("[-a]", "-"))
        #expect(!matches("[z-a]", "m"))
        // A bracket never matches a slash in a path pattern.
        #expect(!matches("a[/]b/c", "a/b/c"))
        #expect(matches("[[:digit:]]x", "7x"))
        #expect(matches("[[:alpha:][:digit:]]", "Q"))
        #expect(!matches("[[:upper:]]", "q"))
        // git's [:space:] is tab, LF, CR and space, not vertical tab or form feed.
        #expect(matches("[[:space:]]v", " v"))
        #expect(matches("[[:space:]]v", "\tv"))
        #expect(!matches("[[:space:]]v", "\u{0B}v"))
        #expect(!matches("[[:space:]]v", "\u{0C}v"))
        // "[:" without ":]" is an ordinary "[" in the set.
        #expect(matches("[[:alpha]x", "ax"))
        #expect(matches("[[:alpha]x", "[x"))
        #expect(!matches("[[:alpha]x", "bx"))
    }

    @Test("backslash escapes the next byte: *, ?, [, \\ and ordinary ones")
    func escapes() {
        #expect(matches("\\*", "*"))
        #expect(!matches("\\*", "a"))
        #expect(matches("\\?", "?"))
        #expect(!matches("\\?", "a"))
        #expect(matches("\\[ab]", "[ab]"))
        #expect(!matches("\\[ab]", "a"))
        #expect(matches("a\\\\b", "a\\b"))
        #expect(matches("\\a\\b", "ab"))
    }

    @Test("** first, last and between slashes matches any number of directories")
    func doubleStars() {
        #expect(matches("**/foo", "foo"))
        #expect(matches("**/foo", "a/foo"))
        #expect(matches("**/foo", "a/b/foo"))
        #expect(matches("**/foo/bar", "foo/bar"))
        #expect(matches("**/foo/bar", "x/y/foo/bar"))
        #expect(!matches("**/foo/bar", "foo/x/bar"))
        #expect(matches("abc/**", "abc/x"))
        #expect(matches("abc/**", "abc/x/y"))
        #expect(!matches("abc/**", "abc"))
        #expect(matches("a/**/b", "a/b"))
        #expect(matches("a/**/b", "a/x/b"))
        #expect(matches("a/**/b", "a/x/y/b"))
        #expect(!matches("a/**/b", "a/xb"))
    }

    @Test("** elsewhere is a *: it does not cross a slash")
    func otherDoubleStars() {
        #expect(matches("a**b", "axxb"))
        #expect(matches("foo/**x", "foo/ax"))
        #expect(!matches("foo/**x", "foo/a/x"))
        #expect(!matches("a*/b**/c", "a/bx/y/c"))
    }

    @Test("git compares a path pattern's literal start before globbing: a ** right after it stands first, and crosses directories")
    func literalStartBeforeDoubleStar() {
        #expect(matches("a**/b", "ax/y/b"))
        #expect(matches("a**/b", "a/b"))
        #expect(!matches("a**/b", "x/b"))
        #expect(matches("a/b**", "a/bc/d"))
        #expect(matches("a/b**", "a/bc"))
        // Past a wildcard the literal start is over: this ** is a *.
        #expect(!matches("a*/b**", "ax/bc/d"))
    }

    @Test("patterns git can never match are still parsed, never match, and say why")
    func defects() throws {
        for line in ["x[ab", "[[:nope:]]z", "trail\\", "dir\\/", "[", "a[]", "!", "/", "!/", "[a-\\"] {
            let parsed = try #require(pattern(line), "'\(line)' is a pattern line")
            #expect(parsed.defect != nil, "'\(line)' is never matched, and that is a defect")
        }
        #expect(!matches("x[ab", "x[ab"))
        #expect(!matches("x[ab", "xa"))
        #expect(!matches("*x[ab", "zx[ab"))
        #expect(!matches("[[:nope:]]z", "az"))
        #expect(!matches("trail\\", "trail\\"))
        #expect(!matches("trail\\", "trail"))
        #expect(!matches("dir\\/", "dir\\", directory: true))
        #expect(!matches("dir\\/", "dir", directory: true))
        #expect(!matches("!", "!"))
        for line in ["[ab]", "[[:alpha]x", "a[]]", "\\[", "[\\]]", "**", "foo/", "!foo", "a\\ "] {
            let parsed = try #require(pattern(line))
            #expect(parsed.defect == nil, "'\(line)' can match: \(parsed.defect ?? "")")
        }
    }

    @Test("names are bytes: patterns and names that are not UTF-8 match exactly")
    func nonUTF8() {
        let name: [UInt8] = [UInt8(ascii: "n"), 0xFF, 0xFE]
        #expect(matches(name, name))
        #expect(matches([UInt8(ascii: "n"), UInt8(ascii: "*")], name))
        #expect(matches([UInt8(ascii: "n"), UInt8(ascii: "?"), 0xFE], name))
        // A bracket holds bytes, not characters: "ÿ" is two bytes in UTF-8, and one bracket matches one of them.
        #expect(!matches(Array("n[\u{FF}]".utf8), Array("n\u{FF}".utf8)))
        #expect(matches(Array("n[\u{FF}][\u{FF}]".utf8), Array("n\u{FF}".utf8)))
        #expect(matches([UInt8(ascii: "["), 0xFF, UInt8(ascii: "]"), UInt8(ascii: "*")], [0xFF, UInt8(ascii: "x")]))
        // A range of bytes above ASCII.
        #expect(matches([UInt8(ascii: "["), 0x80, UInt8(ascii: "-"), 0xFF, UInt8(ascii: "]")], [0xC3]))
        #expect(!matches([UInt8(ascii: "["), 0x80, UInt8(ascii: "-"), 0xFF, UInt8(ascii: "]")], [0x7F]))
        // Case matters.
        #expect(!matches("Makefile", "makefile"))
    }
}
