import Glibc
import InotifyTestSupport
import SystemPackage
import Testing
import InotifyTestLanes

/// `-r` lists directories to watch them: at the start, after an overflow, and
/// each new directory. The OPEN, ACCESS and CLOSE_NOWRITE the kernel reports
/// of those listings are the watcher's own doing, not anything that happened
/// in the tree, and are not reported: an idle tree is as silent as under
/// inotify-tools, whose own listings come before its watches. Another
/// process's open of a directory is still reported.
@Suite(.inBlockingLane)
struct OwnListingTests {
    /// A few nested directories, in each tree given.
    func nestedTree(_ trees: FilePath...) throws {
        for tree in trees {
            try Files.mkdir(tree)
            for path in ["d", "d/a", "d/a/b", "d/a/b/c", "d/e", "d/e/f"] { try Files.mkdir(tree.appending(path)) }
        }
    }

    /// Both tools' trees, made alike.
    func twinTrees() throws -> TemporaryDirectory {
        let temp = try TemporaryDirectory("cli")
        try nestedTree(temp.appending("theirs"), temp.appending("ours"))
        return temp
    }

    @Test(.enabled(if: Tools.inotifywait != nil, "inotify-tools is not installed (apt-get install inotify-tools)"))
    func idleTreeTimesOutSilently() throws {
        let temp = try twinTrees()
        let result = try SideBySide.runApart(
            "inotifywait", reference: Tools.inotifywait ?? "", ["-r", "-t", "2", "d"], in: temp.path) { _ in }
        result.expectSame()
        #expect(result.ours.out == "")
        #expect(result.ours.status == 2)
    }

    @Test(.enabled(if: Tools.inotifywait != nil, "inotify-tools is not installed (apt-get install inotify-tools)"))
    func firstChangeEndsTheWait() throws {
        let temp = try twinTrees()
        let result = try SideBySide.runApart(
            "inotifywait", reference: Tools.inotifywait ?? "", ["-r", "d"], in: temp.path
        ) { tree in
            try Files.touch(tree.appending("d/a/b/f"))
        }
        result.expectSame()
        #expect(result.ours.out == "d/a/b/ CREATE f\n")
        #expect(result.ours.status == 0)
    }

    /// `while inotifywait -r d; do ...; done`: each run is a new watcher that
    /// lists the tree again, and each must report the change made while it
    /// watches, not its listing.
    @Test(.enabled(if: Tools.inotifywait != nil, "inotify-tools is not installed (apt-get install inotify-tools)"))
    func oneShotLoopReportsEachChange() throws {
        let temp = try twinTrees()
        let rounds: [(change: (FilePath) throws -> Void, line: String)] = [
            ({ try Files.touch($0.appending("d/a/f1")) }, "d/a/ CREATE f1\n"),
            ({ try Files.mkdir($0.appending("d/e/f/g")) }, "d/e/f/ CREATE,ISDIR g\n"),
            ({ try Files.rename($0.appending("d/a/f1"), $0.appending("d/a/b/f2")) }, "d/a/ MOVED_FROM f1\n"),
        ]
        for (round, expected) in rounds.enumerated() {
            let result = try SideBySide.runApart(
                "inotifywait", reference: Tools.inotifywait ?? "", ["-r", "d"], in: temp.path, operations: expected.change)
            result.expectSame()
            #expect(result.ours.out == expected.line, "round \(round + 1)")
            #expect(result.ours.status == 0, "round \(round + 1)")
        }
    }

    /// Ten thousand directories, a hundred of them listed at the start: none
    /// of that is reported.
    @Test func largeIdleTreeIsSilent() throws {
        let temp = try TemporaryDirectory("cli")
        try Files.mkdir(temp.appending("d"))
        for outer in 0..<100 {
            let directory = temp.appending("d/\(outer)")
            try Files.mkdir(directory)
            for inner in 0..<100 { try Files.mkdir(directory.appending("\(inner)")) }
        }
        let process = try Tools.start("inotify", ["wait", "-m", "-r", "-e", "open,access,close_nowrite", "d"],
                                      directory: temp.path.string)
        #expect(process.waitFor(stderr: "Watches established.", timeout: 120))
        // What is checked is that nothing comes, so there is no event to wait
        // for: a bounded quiet period, spent in poll on the output pipe, which
        // returns at once if a line arrives.
        let printed = process.waitUntil(timeout: 2) { !process.stdout.isEmpty }
        process.signal(SIGTERM)
        let result = process.finish()
        #expect(!printed)
        #expect(result.out == "", "\(result.out.split(separator: "\n").prefix(5))")
    }

    @Test(.enabled(if: Tools.inotifywatch != nil, "inotify-tools is not installed (apt-get install inotify-tools)"))
    func statsOfAnIdleTreeCountNothing() throws {
        let temp = try twinTrees()
        let result = try SideBySide.runApart(
            "inotifywatch", reference: Tools.inotifywatch ?? "", ["-r", "-t", "2", "d"], in: temp.path,
            ready: "Finished establishing watches, now collecting statistics.") { _ in }
        result.expectSame()
        #expect(result.ours.out == "")
        #expect(result.ours.err.hasSuffix("No events occurred.\n"))
    }

    /// A new directory is listed once it is watched; its CREATE is reported,
    /// the listing is not, and a process that then opens the directory is.
    @Test func newDirectoryShowsItsCreateAndOthersOpens() throws {
        let temp = try TemporaryDirectory("cli")
        try Files.mkdir(temp.appending("d"))
        let process = try Tools.start("inotify", ["wait", "-m", "-r", "-e", "open,close_nowrite,create", "d"],
                                      directory: temp.path.string)
        #expect(process.waitFor(stderr: "Watches established."))
        try Files.mkdir(temp.appending("d/new"))
        // The CREATE line is printed after the directory was listed, so the
        // listing's events were queued before the open below.
        #expect(process.waitFor(stdout: "d/ CREATE,ISDIR new\n"))
        let fd = temp.appending("d/new").withPlatformString { open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        #expect(fd >= 0)
        if fd >= 0 { close(fd) }
        // Something after the open that no listing makes: once it is printed,
        // everything before it has been.
        try Files.symlink("nowhere", at: temp.appending("d/new/done"))
        #expect(process.waitFor(stdout: "d/new/ CREATE done\n"))
        process.signal(SIGTERM)
        let result = process.finish()
        #expect(result.out == """
            d/ CREATE,ISDIR new
            d/ OPEN,ISDIR new
            d/new/ OPEN,ISDIR \("")
            d/ CLOSE_NOWRITE,CLOSE,ISDIR new
            d/new/ CLOSE_NOWRITE,CLOSE,ISDIR \("")
            d/new/ CREATE done

            """)
    }
}
