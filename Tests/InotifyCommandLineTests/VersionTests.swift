@testable import InotifyCommandLine
import InotifyTestSupport
import SystemPackage
import Testing
import InotifyTestLanes

/// `--version` under every name the binary answers to, and the Makefile's
/// lists of what it installs, which must be the binary's own.
@Suite(.inBlockingLane)
struct VersionTests {
    @Test func inotifyVersionNamesThePackageAndTheVersion() throws {
        let result = try Tools.run("inotify", ["--version"])
        #expect(result.status == 0)
        #expect(result.out == "inotify (swift-inotify) \(ProjectVersion.version)\n")
        #expect(result.err == "")
    }

    @Test("every command and drop-in name prints its version line, as inotify-tools does: the name, then the version",
          arguments: Command.allCases)
    func everyCommandPrintsItsVersion(command: Command) throws {
        for program in CommandSpec.spec(command).programNames {
            let words = program.split(separator: " ").map(String.init)
            let result = try Tools.run(words[0], Array(words.dropFirst()) + ["--version"])
            #expect(result.status == 0, "\(program)")
            #expect(result.out == "\(program) \(ProjectVersion.version) (swift-inotify)\n", "\(program)")
            #expect(result.err == "", "\(program)")
        }
    }

    @Test func versionStopsTheParseAsHelpDoes() {
        // Nothing after it is read: not the missing path, not a bad option.
        #expect(WaitOptions.parse(program: "inotifywait", arguments: words(["--version", "--no-such-option"])) == .version)
        #expect(StatsOptions.parse(program: "inotifywatch", arguments: words(["--version", "-e", "nonsense"])) == .version)
        #expect(EventsOptions.parse(program: "inotify events", arguments: words(["--version"])) == .version)
        #expect(RunOptions.parse(program: "inotify run", arguments: words(["--version"])) == .version)
        // What came before it and was refused is still refused.
        if case .version = WaitOptions.parse(program: "inotifywait", arguments: words(["-e", "nonsense", "--version"])) {
            Issue.record("a refused option before --version was not reported")
        }
    }

    @Test func theVersionIsTheChangelogsLatest() throws {
        let changelog = try String(decoding: Files.read(Self.checkout.appending("CHANGELOG.md")), as: UTF8.self)
        let first = changelog.split(separator: "\n").first { $0.hasPrefix("## ") }
        #expect(first == "## \(ProjectVersion.version) (\(ProjectVersion.date))")
    }

    @Test("the Makefile installs a link per drop-in name and a man page per page, no more, no fewer")
    func theMakefilesListsAreTheBinarys() throws {
        let makefile = try String(decoding: Files.read(Self.checkout.appending("Makefile")), as: UTF8.self)
        #expect(Self.list("LINKS", in: makefile) == CommandSpec.all.flatMap(\.linkNames))
        #expect(Self.list("MANPAGES", in: makefile) == ManPage.all.map(\.name))
    }

    /// The source checkout: this file is Tests/InotifyCommandLineTests/VersionTests.swift in it.
    static let checkout = FilePath(#filePath).removingLastComponent().removingLastComponent().removingLastComponent()

    /// The words of a make variable (`NAME = a b \` continued on the next line).
    static func list(_ name: String, in makefile: String) -> [String] {
        var words: [String] = []
        var taking = false
        for line in makefile.split(separator: "\n", omittingEmptySubsequences: false) {
            var text = Substring(line)
            if !taking {
                guard text.hasPrefix(name + " =") else { continue }
                text = text.dropFirst(name.count + 2)
                taking = true
            }
            let continues = text.hasSuffix("\\")
            if continues { text = text.dropLast() }
            words += text.split(whereSeparator: \.isWhitespace).map(String.init)
            if !continues { break }
        }
        return words
    }
}
