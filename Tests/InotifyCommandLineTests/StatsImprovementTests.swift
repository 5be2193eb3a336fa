import Glibc
import InotifyTestSupport
import SystemPackage
import Testing
import InotifyTestLanes

/// Where `inotify stats` does better than inotifywatch.
@Suite(.inBlockingLane)
struct StatsImprovementTests {
    @Test func recursiveCountsInsideNewDirectories() throws {
        let temp = try TemporaryDirectory("cli")
        try Files.mkdir(temp.appending("d"))
        let process = try Tools.start("inotify", ["stats", "-r", "-e", "create", "d"], directory: temp.path.string)
        #expect(process.waitFor(stderr: "now collecting statistics."))
        var path = temp.appending("d")
        for name in ["a", "b", "c"] {
            path.append(name)
            try Files.mkdir(path)
            try Files.touch(path.appending("f"))
        }
        // Once the deepest file is counted, interrupt and read the table.
        #expect(process.waitUntil {
            process.signal(SIGUSR1)
            return String(decoding: process.stdout, as: UTF8.self).contains("d/a/b/c/\n")
        })
        process.signal(SIGTERM)
        let result = process.finish()
        #expect(result.status == 0)
        let table = result.out.split(separator: "\n\n").last.map(String.init) ?? ""
        #expect(table.hasPrefix("total  create  filename\n"))
        for row in ["1      1       d/\n", "2      2       d/a/\n", "2      2       d/a/b/\n", "1      1       d/a/b/c/\n"] {
            #expect(table.contains(row), "\(row) in \(table)")
        }
    }

    @Test func severalExcludesAllCount() throws {
        let temp = try TemporaryDirectory("cli")
        try Files.mkdir(temp.appending("d"))
        let process = try Tools.start(
            "inotifywatch", ["-t", "2", "-e", "create", "--exclude", "a$", "--exclude", "b$", "d"], directory: temp.path.string)
        #expect(process.waitFor(stderr: "now collecting statistics."))
        for name in ["a", "b", "c"] { try Files.touch(temp.appending("d/\(name)")) }
        let result = process.finish()
        #expect(result.out == "total  create  filename\n1      1       d/\n")
    }

    @Test func sortingByCloseIsRefusedEitherWay() throws {
        // inotifywatch refuses `-a close` but takes `-d close` and sorts by nothing.
        for flag in ["-a", "-d"] {
            let result = try Tools.run("inotifywatch", [flag, "close", "/"])
            #expect(result.status == 1)
            #expect(result.err == "Cannot sort by `close' event; please use `close_write' or `close_nowrite'.\n")
        }
    }
}
