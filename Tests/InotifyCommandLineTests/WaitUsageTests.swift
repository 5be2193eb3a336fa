import InotifyTestSupport
import SystemPackage
import Testing
import InotifyTestLanes

/// Bad input: one clear line on stderr naming the culprit, exit status 1,
/// nothing watched. Where inotifywait has words for it, the same words.
@Suite(.inBlockingLane)
struct WaitUsageTests {
    /// Cases inotifywait answers the way we do: compared byte for byte when it is installed.
    static let sameAsInotifywait: [[String]] = [
        ["--bogus", "d"],
        ["-x", "d"],
        ["-e", "bogus", "d"],
        ["-e"],
        ["--format"],
        [],
        ["-c", "--format", "%w", "d"],
        ["--timefmt", "%H", "d"],
        ["--no-newline", "d"],
        ["--monitor=x", "d"],
        ["-t", "1.5", "d"],
        ["-r", "missing"],
        ["--format", "%T", "d"],
        ["-d", "d"],
        ["--exclude", "a", "--excludei", "b", "d"],
        ["--include", "a", "--exclude", "b", "d"],
        ["-t", "abc", "d"],
        ["missing"],
        ["d", "missing"],
        // getopt's refusals, worded here as glibc words them.
        ["--bogus=1", "d"],
        ["-xm", "d"],
        ["d", "-me"],
        ["--event"],
        ["--mon=x", "d"],
        ["--ex", "d"],
        ["--no", "d"],
        // Options are taken in order: nothing after a refused one is read.
        ["-e", "bogus", "--bogus", "d"],
        // What cannot go together is said after getopt's refusal.
        ["--exclude", "a", "--excludei", "b", "--bogus", "d"],
    ]

    @Test(arguments: sameAsInotifywait)
    func refusedLikeInotifywait(_ arguments: [String]) throws {
        let temp = try TemporaryDirectory("cli")
        try Files.mkdir(temp.appending("d"))
        let ours = try Tools.run("inotifywait", arguments, directory: temp.path.string)
        #expect(ours.status == 1)
        #expect(ours.stdout.isEmpty)
        #expect(!ours.stderr.isEmpty)
        if let reference = Tools.inotifywait {
            let theirs = try Subprocess(reference, arguments.map { Array($0.utf8) }, argv0: "inotifywait",
                                        directory: temp.path.string).finish()
            #expect(ours.err == theirs.err)
            #expect(ours.status == theirs.status)
        }
    }

    @Test func negativeTimeoutIsRefused() throws {
        // inotifywait would wait forever.
        let result = try Tools.run("inotifywait", ["-t", "-1", "/"])
        #expect(result.status == 1)
        #expect(result.err == "'-1' is not a valid timeout value: it cannot be negative (0 waits forever).\n")
    }

    @Test func invalidRegularExpressionIsNamed() throws {
        let result = try Tools.run("inotifywait", ["--exclude", "(", "/"])
        #expect(result.status == 1)
        #expect(result.err.hasPrefix("Error in `exclude' regular expression '(' (--exclude): "))
        #expect(result.err.split(separator: "\n").count == 1)
    }

    @Test func unreadablePathListIsNamed() throws {
        let result = try Tools.run("inotifywait", ["--fromfile", "/nonexistent/list"])
        #expect(result.status == 1)
        #expect(result.err == "Couldn't open /nonexistent/list: No such file or directory\n")
    }

    @Test func unknownSubcommandIsNamed() throws {
        let result = try Tools.run("inotify", ["watch", "/"])
        #expect(result.status == 1)
        #expect(result.err.contains("'watch'"))
    }

    @Test func helpForEachCommand() throws {
        for (argv0, arguments) in [("inotify", ["--help"]), ("inotify", ["wait", "--help"]), ("inotify", ["stats", "--help"]),
                                   ("inotify", ["events", "--help"]), ("inotifywait", ["-h"]), ("inotifywatch", ["--help"])] {
            let result = try Tools.run(argv0, arguments)
            #expect(result.out.hasPrefix("USAGE: "), "\(argv0) \(arguments)")
        }
    }
}
