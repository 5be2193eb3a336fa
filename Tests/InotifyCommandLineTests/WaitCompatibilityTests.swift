import InotifyTestSupport
import SystemPackage
import Testing
import InotifyTestLanes

/// `inotifywait` (inotify-tools) and `inotify wait` under its name, side by
/// side on the same operations: the same bytes out, the same exit status.
@Suite(.inBlockingLane, .enabled(if: Tools.inotifywait != nil, "inotify-tools is not installed (apt-get install inotify-tools)"))
struct WaitCompatibilityTests {
    let reference = Tools.inotifywait ?? ""

    /// Every kind of event, never the same one twice in a row under any
    /// mask the tests use: the kernel merges an event identical to the one
    /// still unread at the end of the queue, so whether two identical events
    /// arrive as one depends on how fast each reader is.
    func fileOperations(_ directory: FilePath) throws {
        let d = directory.appending("d")
        try Files.touch(d.appending("f"))
        try Files.touch(d.appending("h"))
        try Files.write(d.appending("f"), "text")
        try Files.openAndCloseReadOnly(d.appending("h"))
        try Files.chmod(d.appending("f"), 0o600)
        try Files.rename(d.appending("f"), d.appending("g"))
        try Files.mkdir(d.appending("sub"))
        try Files.rmdir(d.appending("sub"))
        try Files.unlink(d.appending("g"))
        try Files.unlink(d.appending("h"))
    }

    @Test func defaultLinesInMonitorMode() throws {
        let temp = try TemporaryDirectory("cli")
        try Files.mkdir(temp.appending("d"))
        let result = try SideBySide.run("inotifywait", reference: reference, ["-m", "-t", "3", "d"], in: temp.path) {
            try fileOperations(temp.path)
        }
        result.expectSame()
        #expect(result.ours.out.contains("d/ MOVED_TO g\n"))
    }

    @Test func directoryGivenWithSlashAndAFileWatchedDirectly() throws {
        let temp = try TemporaryDirectory("cli")
        try Files.mkdir(temp.appending("d"))
        try Files.touch(temp.appending("file"))
        let result = try SideBySide.run("inotifywait", reference: reference, ["-m", "-t", "3", "d/", "file"], in: temp.path) {
            try Files.touch(temp.appending("d/x"))
            try Files.write(temp.appending("file"), "more")
        }
        result.expectSame()
        #expect(result.ours.out.contains("file MODIFY \n"))
    }

    @Test func formatSpecifiers() throws {
        let temp = try TemporaryDirectory("cli")
        try Files.mkdir(temp.appending("d"))
        let format = "%w|%f|%e|%:e|%_e|%c|%T|%%|%q|%0|%n"
        let result = try SideBySide.run(
            "inotifywait", reference: reference, ["-m", "-t", "3", "--format", format, "--timefmt", "%Y", "d"], in: temp.path
        ) {
            try fileOperations(temp.path)
        }
        result.expectSame()
    }

    @Test func noNewlineAndCSV() throws {
        let temp = try TemporaryDirectory("cli")
        try Files.mkdir(temp.appending("d"))
        let names = ["a,b", "q\"uote", " lead", "trail ", "plain"]
        let plain = try SideBySide.run(
            "inotifywait", reference: reference, ["-m", "-t", "3", "--no-newline", "--format", "%f;", "d"], in: temp.path
        ) {
            for name in names { try Files.touch(temp.appending("d/\(name)")) }
        }
        plain.expectSame()
        let csv = try SideBySide.run("inotifywait", reference: reference, ["-m", "-t", "3", "-c", "d"], in: temp.path) {
            for name in names { try Files.write(temp.appending("d/\(name)"), "x") }
            try Files.openAndCloseReadOnly(temp.appending("d"))
        }
        csv.expectSame()
        #expect(csv.ours.out.contains("d/,\"CLOSE_WRITE,CLOSE\",\"a,b\"\n"))
    }

    @Test func eventSelectionInAnyCaseWithGroups() throws {
        let temp = try TemporaryDirectory("cli")
        try Files.mkdir(temp.appending("d"))
        let result = try SideBySide.run(
            "inotifywait", reference: reference, ["-m", "-t", "3", "-e", "CREATE,close", "-e", "Move", "--event=delete", "d"],
            in: temp.path
        ) {
            try fileOperations(temp.path)
        }
        result.expectSame()
        #expect(!result.ours.out.contains("ATTRIB"))
    }

    @Test func firstEventEndsTheWaitWithStatusZero() throws {
        let temp = try TemporaryDirectory("cli")
        try Files.mkdir(temp.appending("d"))
        let result = try SideBySide.run("inotifywait", reference: reference, ["-e", "create", "d"], in: temp.path) {
            try Files.touch(temp.appending("d/one"))
            try Files.touch(temp.appending("d/two"))
        }
        result.expectSame()
        #expect(result.ours.status == 0)
        #expect(result.ours.out == "d/ CREATE one\n")
    }

    @Test func deletedWatchNotAskedForExitsOne() throws {
        let temp = try TemporaryDirectory("cli")
        try Files.touch(temp.appending("file"))
        let result = try SideBySide.run("inotifywait", reference: reference, ["-e", "modify", "file"], in: temp.path) {
            try Files.unlink(temp.appending("file"))
        }
        result.expectSame()
        #expect(result.ours.status == 1)
    }

    @Test func timeoutExitsTwo() throws {
        let temp = try TemporaryDirectory("cli")
        try Files.mkdir(temp.appending("d"))
        let result = try SideBySide.run("inotifywait", reference: reference, ["-t", "1", "d"], in: temp.path) {}
        result.expectSame()
        #expect(result.ours.status == 2)
    }

    @Test func quietLevels() throws {
        let temp = try TemporaryDirectory("cli")
        try Files.mkdir(temp.appending("d"))
        for quiet in [["-q"], ["-qq"], ["-q", "-q"]] {
            let theirs = try Subprocess(reference, (quiet + ["-t", "1", "d"]).map { Array($0.utf8) }, directory: temp.path.string)
            let ours = try Tools.start("inotifywait", quiet + ["-t", "1", "d"], directory: temp.path.string)
            // Nothing on stderr to wait for: both time out after a second of quiet.
            let result = SideBySide(ours: ours.finish(), theirs: theirs.finish())
            result.expectSame()
        }
    }

    @Test func regularExpressionFilters() throws {
        let temp = try TemporaryDirectory("cli")
        try Files.mkdir(temp.appending("d"))
        for filter in [["--exclude", "\\.tmp$"], ["--excludei", "\\.TMP$"], ["--include", "keep"], ["--includei", "KEEP"]] {
            let result = try SideBySide.run(
                "inotifywait", reference: reference, ["-m", "-t", "3", "-e", "create"] + filter + ["d"], in: temp.path
            ) {
                for name in ["a.tmp", "keep.txt", "b.TMP", "other"] { try Files.touch(temp.appending("d/\(name)")) }
            }
            result.expectSame()
            for name in ["a.tmp", "keep.txt", "b.TMP", "other"] { try Files.unlink(temp.appending("d/\(name)")) }
        }
    }

    @Test func pathsFromAFileWithExclusions() throws {
        let temp = try TemporaryDirectory("cli")
        for name in ["a", "b"] { try Files.mkdir(temp.appending(name)) }
        let list = temp.appending("list")
        try Files.touch(list)
        try Files.write(list, "a\nb\n")
        let result = try SideBySide.run(
            "inotifywait", reference: reference, ["-m", "-t", "3", "-e", "create", "--fromfile", "list"], in: temp.path
        ) {
            try Files.touch(temp.appending("a/x"))
            try Files.touch(temp.appending("b/y"))
        }
        result.expectSame()
        #expect(result.ours.out == "a/ CREATE x\nb/ CREATE y\n")
    }

    @Test func recursiveOnAnExistingTree() throws {
        let temp = try TemporaryDirectory("cli")
        try Files.mkdir(temp.appending("d"))
        try Files.mkdir(temp.appending("d/sub"))
        try Files.mkdir(temp.appending("d/sub/deeper"))
        let result = try SideBySide.run(
            "inotifywait", reference: reference, ["-m", "-r", "-t", "3", "-e", "create,modify,close_write,delete,move", "d"],
            in: temp.path
        ) {
            try Files.touch(temp.appending("d/sub/f"))
            try Files.touch(temp.appending("d/sub/deeper/g"))
        }
        result.expectSame()
    }

    @Test func syslogTakesTheMessagesOffStandardError() throws {
        let temp = try TemporaryDirectory("cli")
        try Files.mkdir(temp.appending("d"))
        let theirs = try Subprocess(reference, ["-s", "-t", "1", "d"].map { Array($0.utf8) }, directory: temp.path.string)
        let ours = try Tools.start("inotifywait", ["-s", "-t", "1", "d"], directory: temp.path.string)
        let result = SideBySide(ours: ours.finish(), theirs: theirs.finish())
        result.expectSame()
        #expect(result.ours.stderr.isEmpty)
        // A path that cannot be watched is told to syslog too, not to stderr.
        let missingTheirs = try Subprocess(reference, ["-s", "-t", "1", "missing"].map { Array($0.utf8) },
                                           directory: temp.path.string)
        let missingOurs = try Tools.start("inotifywait", ["-s", "-t", "1", "missing"], directory: temp.path.string)
        let missing = SideBySide(ours: missingOurs.finish(), theirs: missingTheirs.finish())
        missing.expectSame()
        #expect(missing.ours.status == 1)
        #expect(missing.ours.stderr.isEmpty)
    }

    @Test func symbolicLinksFollowedUnlessNoDereference() throws {
        let temp = try TemporaryDirectory("cli")
        try Files.mkdir(temp.appending("target"))
        try Files.symlink("target", at: temp.appending("link"))
        for flags in [[String](), ["-P"]] {
            let result = try SideBySide.run(
                "inotifywait", reference: reference, ["-m", "-t", "3", "-e", "create,attrib"] + flags + ["link"], in: temp.path
            ) {
                try Files.touch(temp.appending("target/inside"))
                try Files.unlink(temp.appending("target/inside"))
            }
            result.expectSame()
            #expect(result.ours.out.contains("CREATE inside") == flags.isEmpty)
        }
    }

    @Test func excludedSubtreeInRecursiveMode() throws {
        let temp = try TemporaryDirectory("cli")
        for path in ["d", "d/keep", "d/skip", "d/skip/deep"] { try Files.mkdir(temp.appending(path)) }
        let result = try SideBySide.run(
            "inotifywait", reference: reference, ["-m", "-r", "-t", "3", "-e", "create", "d", "@d/skip"], in: temp.path
        ) {
            try Files.touch(temp.appending("d/skip/deep/x"))
            try Files.touch(temp.appending("d/skip/y"))
            try Files.touch(temp.appending("d/keep/z"))
        }
        result.expectSame()
        #expect(result.ours.out == "d/keep/ CREATE z\n")
    }

    @Test func onlyTheWatchsEndAskedFor() throws {
        let temp = try TemporaryDirectory("cli")
        try Files.touch(temp.appending("file"))
        // -I: accepted by both, and inotify in both (-F is fanotify here, as in
        // inotify-tools 4; 3.22 ignores it); '': an empty argument is skipped by both.
        let result = try SideBySide.run("inotifywait", reference: reference, ["-I", "-e", "ignored", "", "file"], in: temp.path) {
            try Files.unlink(temp.appending("file"))
        }
        result.expectSame()
        #expect(result.ours.out == "file IGNORED \n")
        #expect(result.ours.status == 0)
    }

    @Test func recursiveOnAFileWatchesTheFile() throws {
        let temp = try TemporaryDirectory("cli")
        try Files.touch(temp.appending("file"))
        let result = try SideBySide.run("inotifywait", reference: reference, ["-r", "file"], in: temp.path) {
            try Files.openAndCloseReadOnly(temp.appending("file"))
        }
        result.expectSame()
        #expect(result.ours.out == "file OPEN \n")
    }

    @Test func pathsFromStandardInput() throws {
        let temp = try TemporaryDirectory("cli")
        for name in ["a", "b"] { try Files.mkdir(temp.appending(name)) }
        let result = try SideBySide.run(
            "inotifywait", reference: reference, ["-m", "-t", "3", "-e", "create", "--fromfile", "-", "b"], in: temp.path,
            stdin: Array("a\n".utf8)
        ) {
            try Files.touch(temp.appending("a/x"))
            try Files.touch(temp.appending("b/y"))
        }
        result.expectSame()
        #expect(result.ours.out == "a/ CREATE x\nb/ CREATE y\n")
    }
}
