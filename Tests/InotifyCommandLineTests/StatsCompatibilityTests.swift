import Glibc
import InotifyTestSupport
import SystemPackage
import Testing
import InotifyTestLanes

/// `inotifywatch` (inotify-tools) and `inotify stats` under its name, side by
/// side: the same table, the same messages, the same exit status.
@Suite(.inBlockingLane, .enabled(if: Tools.inotifywatch != nil, "inotify-tools is not installed (apt-get install inotify-tools)"))
struct StatsCompatibilityTests {
    let reference = Tools.inotifywatch ?? ""

    /// Different counts on a, b and c, so that no sort has ties; never the
    /// same event twice in a row, which the kernel may merge into one
    /// depending on how fast each reader is.
    func operations(_ directory: FilePath) throws {
        for name in ["1", "2", "3"] { try Files.touch(directory.appending("a/\(name)")) }
        try Files.write(directory.appending("a/1"), "x")
        for name in ["1", "2"] { try Files.touch(directory.appending("b/\(name)")) }
        try Files.openAndCloseReadOnly(directory.appending("b/1"))
        try Files.rename(directory.appending("b/1"), directory.appending("b/3"))
        try Files.touch(directory.appending("c/1"))
    }

    func watchedTree() throws -> TemporaryDirectory {
        let temp = try TemporaryDirectory("cli")
        try Files.mkdir(temp.appending("d"))
        for name in ["a", "b", "c"] { try Files.mkdir(temp.appending("d/\(name)")) }
        return temp
    }

    @Test(arguments: [[String](), ["-z"], ["-a", "total"], ["-d", "modify"], ["-a", "open"], ["-e", "create,close_write"],
                      ["-e", "modify", "-z"]])
    func tableMatches(_ extra: [String]) throws {
        let temp = try watchedTree()
        let result = try SideBySide.run(
            "inotifywatch", reference: reference, ["-t", "2"] + extra + ["d/a", "d/b", "d/c"], in: temp.path,
            ready: "Finished establishing watches, now collecting statistics."
        ) {
            try operations(temp.appending("d"))
        }
        result.expectSame()
    }

    @Test func noEventsOccurred() throws {
        let temp = try watchedTree()
        let result = try SideBySide.run(
            "inotifywatch", reference: reference, ["-t", "1", "d"], in: temp.path,
            ready: "Finished establishing watches, now collecting statistics.") {}
        result.expectSame()
        #expect(result.ours.err.hasSuffix("No events occurred.\n"))
    }

    @Test(arguments: [["-a", "move", "d"], ["-a", "bogus", "d"], ["-e", "create", "-a", "modify", "d"],
                      ["-a", "total", "-d", "total", "d"], ["--bogus"], [], ["missing"], ["-t", "x", "d"],
                      ["--f", "d"], ["--asc"], ["-a"], ["--zero=1", "d"], ["-e", "bogus", "--bogus", "d"]])
    func usageErrorsMatch(_ arguments: [String]) throws {
        let temp = try watchedTree()
        let ours = try Tools.run("inotifywatch", arguments, directory: temp.path.string)
        let theirs = try Subprocess(reference, arguments.map { Array($0.utf8) }, argv0: "inotifywatch",
                                    directory: temp.path.string).finish()
        #expect(ours.err == theirs.err)
        #expect(ours.status == theirs.status)
        #expect(ours.status == 1)
    }

    @Test func interruptPrintsTheTable() throws {
        let temp = try watchedTree()
        let theirs = try Subprocess(reference, [Array("d".utf8)], argv0: "inotifywatch", directory: temp.path.string)
        let ours = try Tools.start("inotifywatch", ["d"], directory: temp.path.string)
        for process in [theirs, ours] {
            #expect(process.waitFor(stderr: "now collecting statistics."))
        }
        try Files.touch(temp.appending("d/x"))
        // Both must have read the event before the signal: wait for it to show in a SIGUSR1 table.
        for process in [theirs, ours] {
            #expect(process.waitUntil {
                process.signal(SIGUSR1)
                return String(decoding: process.stdout, as: UTF8.self).contains("d/\n")
            })
        }
        for process in [theirs, ours] { process.signal(SIGINT) }
        let result = SideBySide(ours: ours.finish(), theirs: theirs.finish())
        #expect(result.ours.status == 0)
        #expect(result.ours.status == result.theirs.status)
        // The last table (after the interrupt) is the same.
        let lastTable = { (text: String) in text.split(separator: "\n\n").last.map(String.init) ?? "" }
        #expect(lastTable(result.ours.out) == lastTable(result.theirs.out))
        #expect(result.ours.out.hasSuffix("d/\n"))
    }

    @Test func verboseWithPathsFromAFile() throws {
        let temp = try watchedTree()
        let list = temp.appending("list")
        try Files.touch(list)
        try Files.write(list, "d/a\n@d/c\nd/b\n")
        let result = try SideBySide.run(
            "inotifywatch", reference: reference, ["-v", "-t", "2", "-P", "--fromfile", "list"], in: temp.path,
            ready: "Finished establishing watches, now collecting statistics."
        ) {
            try operations(temp.appending("d"))
        }
        result.expectSame()
        #expect(result.ours.err.contains("Total of 2 watches.\n"))
        #expect(result.ours.err.contains("Will listen for events for 2 seconds.\n"))
    }
}
