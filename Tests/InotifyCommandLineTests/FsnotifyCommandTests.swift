import Foundation
import Glibc
import Inotify
import InotifyTestSupport
import SystemPackage
import Testing
import InotifyTestLanes

/// Where fanotify may be used here: root (a filesystem mark needs
/// CAP_SYS_ADMIN, naming a directory from its handle CAP_DAC_READ_SEARCH) and
/// a kernel that reports names (Linux 5.9).
enum FanotifyHere {
    static let permitted: Bool = {
        guard getuid() == 0 else { return false }
        return (try? Fanotify(flags: [.reportFid, .reportDfidName, .closeOnExec]).close()) != nil
    }()

    /// inotify-tools' own fsnotifywait, for the differential tests.
    static let reference: String? = access("/usr/bin/fsnotifywait", X_OK) == 0 ? "/usr/bin/fsnotifywait" : nil

    /// fanotify's queue, fs.fanotify.max_queued_events.
    static var queueLimit: Int? {
        (try? String(contentsOfFile: "/proc/sys/fs/fanotify/max_queued_events", encoding: .utf8))
            .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }
}

/// The names fsnotifywait and fsnotifywatch run under, and what needs no kernel.
@Suite(.inBlockingLane)
struct FsnotifyDispatchTests {
    @Test("fsnotifywait and fsnotifywatch: as a link's name and as subcommands, each its own help",
          arguments: [("fsnotifywait", [String]()), ("inotify", ["fsnotifywait"]), ("fsnotifywatch", []),
                      ("inotify", ["fsnotifywatch"])])
    func namesLeadToTheirCommands(_ argv0: String, _ subcommand: [String]) throws {
        let result = try Tools.run(argv0, subcommand + ["--help"])
        let program = ([argv0] + subcommand).joined(separator: " ")
        #expect(result.out.hasPrefix("USAGE: \(program) [options] path..."))
        #expect(result.out.contains("with fanotify"))
        #expect(result.out.contains("-S, --filesystem"))
        #expect(result.status == 1)  // as inotify-tools after --help
    }

    @Test func topHelpNamesTheFourLinks() throws {
        let result = try Tools.run("inotify", ["--help"])
        #expect(result.out.contains("inotifywait, inotifywatch, fsnotifywait and fsnotifywatch"))
        #expect(result.out.contains("  fsnotifywait  "))
    }

    @Test("a bad option is named under the program's name", arguments: ["fsnotifywait", "fsnotifywatch"])
    func refusalsNameTheProgram(_ name: String) throws {
        let result = try Tools.run(name, ["--bogus", "d"])
        #expect(result.status == 1)
        #expect(result.err == "\(name): unrecognized option '--bogus'\n")
    }
}

/// fsnotifywait and fsnotifywatch against the real kernel, without -r.
@Suite(.inBlockingLane, .enabled(if: FanotifyHere.permitted, "fanotify with names needs root and Linux 5.9 (not root here, or EPERM)"),
       .timeLimit(.minutes(10)))
struct FsnotifyWaitTests {
    /// Runs `arguments` under `name` in `temp` until `marks` marks stand,
    /// then each operation in turn, each once the line before it was printed
    /// (fanotify merges an event with an unread one of the same file: each
    /// line is awaited so that none is), and waits for the run to end.
    func run(
        _ name: String, _ arguments: [String], in temp: TemporaryDirectory, marks: Int = 1,
        _ steps: [(operation: () throws -> Void, line: String)]
    ) throws -> Subprocess.Finished {
        let process = try Tools.start(name, arguments, directory: temp.path.string)
        #expect(process.waitUntil { process.kernelMarkCount() >= marks }, "\(String(decoding: process.stderr, as: UTF8.self))")
        for step in steps {
            try step.operation()
            #expect(process.waitFor(stdout: step.line),
                    "no \(step.line.debugDescription) in \(String(decoding: process.stdout, as: UTF8.self).debugDescription)")
        }
        return process.finish()
    }

    @Test("create, attrib, moves and deletes in a watched directory, with their names; a directory's with ISDIR")
    func eventsInADirectory() throws {
        let temp = try TemporaryDirectory("fsn")
        let d = temp.appending("d")
        try Files.mkdir(d)
        for name in ["pre1", "pre2", "pre3"] { try Files.touch(d.appending(name)) }
        try Files.mkdir(d.appending("pres"))
        let result = try run("fsnotifywait", ["-m", "-t", "3", "-e", "create,delete,moved_from,moved_to,attrib", "d"],
                             in: temp, [
            ({ try Files.touch(d.appending("a")) }, "d/ ATTRIB a\n"),
            ({ try Files.mkdir(d.appending("s")) }, "d/ CREATE,ISDIR s\n"),
            ({ try Files.rename(d.appending("pre1"), d.appending("b")) }, "d/ MOVED_TO b\n"),
            ({ try Files.unlink(d.appending("pre2")) }, "d/ DELETE pre2\n"),
            ({ try Files.rmdir(d.appending("s")) }, "d/ DELETE,ISDIR s\n"),
            ({ try Files.rmdir(d.appending("pres")) }, "d/ DELETE,ISDIR pres\n"),
            ({ try Files.chmod(d, 0o700) }, "d/ ATTRIB,ISDIR \n"),
        ])
        #expect(result.out == """
            d/ CREATE a
            d/ ATTRIB a
            d/ CREATE,ISDIR s
            d/ MOVED_FROM pre1
            d/ MOVED_TO b
            d/ DELETE pre2
            d/ DELETE,ISDIR s
            d/ DELETE,ISDIR pres
            d/ ATTRIB,ISDIR \n
            """)
        #expect(result.err == "Setting up watches.\nWatches established.\n")
        #expect(result.status == 2)
    }

    /// A subdirectory's own events come with its own handle, not the
    /// watched directory's: it is named by walking up, as a path of its own.
    @Test func aSubdirectorysOwnEventsNameIt() throws {
        let temp = try TemporaryDirectory("fsn")
        let sub = temp.appending("d/sub")
        try Files.mkdir(temp.appending("d"))
        try Files.mkdir(sub)
        let result = try run("fsnotifywait", ["-m", "-t", "3", "-e", "attrib", "d"], in: temp, [
            ({ try Files.chmod(sub, 0o700) }, "d/sub/ ATTRIB,ISDIR \n"),
        ])
        #expect(result.out == "d/sub/ ATTRIB,ISDIR \n")
    }

    /// A watched file: inotify-tools splits its path after the last `/`; its
    /// name after a rename is the record's, and a path without `/` is `%w` alone.
    @Test func aWatchedFile() throws {
        let temp = try TemporaryDirectory("fsn")
        try Files.touch(temp.appending("f"))
        try Files.mkdir(temp.appending("d"))
        try Files.touch(temp.appending("d/g"))
        let result = try run("fsnotifywait", ["-m", "-t", "3", "-e", "attrib,move_self", "f", "d/g"],
                             in: temp, marks: 2, [
            ({ try Files.chmod(temp.appending("f"), 0o600) }, "f ATTRIB \n"),
            ({ try Files.chmod(temp.appending("d/g"), 0o600) }, "d/ ATTRIB g\n"),
            ({ try Files.rename(temp.appending("d/g"), temp.appending("d/h")) }, "d/ MOVE_SELF g\n"),
            ({ try Files.chmod(temp.appending("d/h"), 0o644) }, "d/ ATTRIB h\n"),
        ])
        #expect(result.out == "f ATTRIB \nd/ ATTRIB g\nd/ MOVE_SELF g\nd/ ATTRIB h\n")
    }

    /// A file or a directory. A directory held open is deleted only when it
    /// is closed: the command holds none of the paths it watches.
    @Test("the watched path deleted ends the run, a file or a directory", arguments: [false, true])
    func theWatchedPathDeletedEndsTheRun(directory: Bool) throws {
        let temp = try TemporaryDirectory("fsn")
        let path = temp.appending(directory ? "d" : "f")
        if directory { try Files.mkdir(path) } else { try Files.touch(path) }
        let process = try Tools.start("fsnotifywait", ["-m", "-e", "delete_self", directory ? "d" : "f"],
                                      directory: temp.path.string)
        #expect(process.waitUntil { process.kernelMarkCount() >= 1 })
        if directory { try Files.rmdir(path) } else { try Files.unlink(path) }
        let result = process.finish()
        #expect(result.out == (directory ? "d/ DELETE_SELF,ISDIR \n" : "f DELETE_SELF \n"))
        #expect(result.err.hasSuffix("No watches left: every watched path was deleted or unmounted.\n"))
        #expect(result.status == 0)
    }

    @Test("--format and --csv print fanotify's events as inotifywait's")
    func formatAndCSV() throws {
        let temp = try TemporaryDirectory("fsn")
        try Files.mkdir(temp.appending("d"))
        let format = try run("fsnotifywait", ["-m", "-t", "3", "-e", "create", "--format", "%w|%f|%e|%:e|%c", "d"],
                             in: temp, [({ try Files.mkdir(temp.appending("d/a,b")) }, "d/|a,b|CREATE,ISDIR|CREATE:ISDIR|0\n")])
        #expect(format.out == "d/|a,b|CREATE,ISDIR|CREATE:ISDIR|0\n")
        let csv = try run("fsnotifywait", ["-m", "-t", "3", "-e", "create", "-c", "d"], in: temp,
                          [({ try Files.touch(temp.appending("d/x y,z")) }, "d/,CREATE,\"x y,z\"\n")])
        #expect(csv.out == "d/,CREATE,\"x y,z\"\n")
    }

    @Test func withoutMonitorTheFirstEventEndsTheRun() throws {
        let temp = try TemporaryDirectory("fsn")
        try Files.mkdir(temp.appending("d"))
        let process = try Tools.start("fsnotifywait", ["-q", "-e", "create", "d"], directory: temp.path.string)
        #expect(process.waitUntil { process.kernelMarkCount() >= 1 })
        try Files.touch(temp.appending("d/x"))
        let result = process.finish()
        #expect(result.out == "d/ CREATE x\n")
        #expect(result.err == "")
        #expect(result.status == 0)
    }

    /// inotify-tools 4's probe: the watches are set up, then the run ends.
    @Test func aNegativeTimeoutProbesFanotify() throws {
        let temp = try TemporaryDirectory("fsn")
        let result = try Tools.run("fsnotifywait", ["--fanotify", "-t", "-1", "."], directory: temp.path.string)
        #expect(result.err == "Setting up watches.\nWatches established.\nNegative timeout specified - abort!\n")
        #expect(result.status == 1)
    }

    @Test func inotifywaitTakesFanotifyWithF() throws {
        let temp = try TemporaryDirectory("fsn")
        try Files.mkdir(temp.appending("d"))
        let result = try run("inotifywait", ["-F", "-m", "-t", "3", "-e", "attrib", "d"], in: temp,
                             [({ try Files.chmod(temp.appending("d"), 0o700) }, "d/ ATTRIB,ISDIR \n")])
        #expect(result.out == "d/ ATTRIB,ISDIR \n")
    }

    /// fsnotifywatch's table has a row per file (inotifywatch's, per watch).
    @Test func fsnotifywatchCountsPerFile() throws {
        let temp = try TemporaryDirectory("fsn")
        try Files.mkdir(temp.appending("d"))
        let process = try Tools.start("fsnotifywatch", ["-t", "2", "-e", "create,attrib", "d"], directory: temp.path.string)
        #expect(process.waitFor(stderr: "now collecting statistics."))
        try Files.touch(temp.appending("d/a"))
        try Files.mkdir(temp.appending("d/s"))
        let result = process.finish()
        #expect(result.out == """
            total  attrib  create  filename
            2      1       1       d/a
            1      0       1       d/s

            """)
        #expect(result.status == 0)
    }

    @Test("-S: the whole filesystem, named from the path given, or absolutely outside it")
    func filesystemMark() throws {
        try #require(TmpfsMount.permitted, "mounting a tmpfs is not permitted here")
        let temp = try TemporaryDirectory("fsn")
        let mount = temp.appending("m")
        try Files.mkdir(mount)
        try TmpfsMount.mount(at: mount)
        defer { try? TmpfsMount.unmount(mount) }
        for path in ["m/A", "m/A/B", "m/C"] { try Files.mkdir(temp.appending(path)) }
        let absolute = try #require(realpath(mount.string, nil).map { pointer in
            defer { free(pointer) }
            return String(cString: pointer)
        })
        let result = try run("fsnotifywait", ["-S", "-m", "-t", "3", "-e", "create", "m/A"], in: temp, [
            ({ try Files.touch(temp.appending("m/A/B/x")) }, "m/A/B/ CREATE x\n"),
            ({ try Files.touch(temp.appending("m/C/y")) }, "\(absolute)/C/ CREATE y\n"),
        ])
        #expect(result.out == "m/A/B/ CREATE x\n\(absolute)/C/ CREATE y\n")
        #expect(result.err == "Setting up filesystem watches.\nWatches established.\n")
    }

    /// A tmpfs mounted at `path` where that is permitted: a filesystem mark
    /// there sees only what its test does, not every other test's churn of
    /// /tmp, which in a full parallel run can overflow its queue (and turn
    /// the lines awaited into a rescan).
    static func ownFilesystem(at path: FilePath) throws -> Bool {
        guard TmpfsMount.permitted else { return false }
        try TmpfsMount.mount(at: path)
        return true
    }

    /// -r goes through the tree watcher with one filesystem mark, not a
    /// mark per directory, and misses nothing in a directory made meanwhile.
    @Test func recursiveIsOneFilesystemMark() throws {
        let temp = try TemporaryDirectory("fsn")
        try Files.mkdir(temp.appending("t"))
        let mounted = try Self.ownFilesystem(at: temp.appending("t"))
        defer { if mounted { try? TmpfsMount.unmount(temp.appending("t")) } }
        for path in ["t/a", "t/a/b"] { try Files.mkdir(temp.appending(path)) }
        let process = try Tools.start("fsnotifywait", ["-m", "-r", "-t", "3", "-e", "create", "t"], directory: temp.path.string)
        #expect(process.waitFor(stderr: "Watches established."))
        #expect(process.kernelMarkCount() == 1)
        #expect(process.kernelWatchCount() == 0)
        try Files.mkdir(temp.appending("t/a/b/new"))
        try Files.touch(temp.appending("t/a/b/new/f"))
        #expect(process.waitFor(stdout: "t/a/b/new/ CREATE f\n"))
        let result = process.finish()
        #expect(result.out == "t/a/b/ CREATE,ISDIR new\nt/a/b/new/ CREATE f\n")
        #expect(!result.err.contains("with inotify"))
    }

    /// A subdirectory's own move, as inotify-tools' fsnotifywait prints it:
    /// fanotify marks the object a directory (FAN_ONDIR), inotify does not.
    @Test func aMovedSubdirectorysOwnMoveIsADirectorys() throws {
        let temp = try TemporaryDirectory("fsn")
        try Files.mkdir(temp.appending("t"))
        let mounted = try Self.ownFilesystem(at: temp.appending("t"))
        defer { if mounted { try? TmpfsMount.unmount(temp.appending("t")) } }
        try Files.mkdir(temp.appending("t/z"))
        let process = try Tools.start("fsnotifywait", ["-m", "-r", "-t", "3", "-e", "move_self", "t"], directory: temp.path.string)
        #expect(process.waitFor(stderr: "Watches established."))
        try Files.rename(temp.appending("t/z"), temp.appending("t/y"))
        #expect(process.waitFor(stdout: "MOVE_SELF"))
        let result = process.finish()
        #expect(result.out.hasSuffix("/ MOVE_SELF,ISDIR \n"), "\(result.out)")
    }

    /// fanotify's overflow, in band: a line in inotifywait's formats, a
    /// notice with --json, beside the message on standard error.
    @Test("FAN_Q_OVERFLOW reaches the output: a Q_OVERFLOW line, or the JSON notice", arguments: [false, true])
    func overflowIsReported(json: Bool) throws {
        let limit = try #require(FanotifyHere.queueLimit)
        let temp = try TemporaryDirectory("fsn")
        try Files.mkdir(temp.appending("d"))
        // On a filesystem of its own where it can be: a filesystem mark of
        // another test (a tree's fanotify source) is not flooded by its files.
        let mounted = TmpfsMount.permitted
        if mounted { try TmpfsMount.mount(at: temp.appending("d")) }
        defer { if mounted { try? TmpfsMount.unmount(temp.appending("d")) } }
        let process = try Tools.start("fsnotifywait", ["-m", "-e", "create"] + (json ? ["--json"] : []) + ["d"],
                                      directory: temp.path.string)
        #expect(process.waitFor(stderr: "Watches established."))
        #expect(process.stop())
        for index in 0..<(limit + 10) {
            let fd = open(temp.appending("d/f\(index)").string, O_CREAT | O_WRONLY | O_CLOEXEC, 0o644)
            if fd >= 0 { close(fd) }
        }
        process.signal(SIGCONT)
        #expect(process.waitFor(stderr: "The kernel's event queue overflowed: events were lost. Raise fs.fanotify.max_queued_events"))
        let overflow = json ? #"{"notice":"overflow","watched":"","name":"","path":"","events":["Q_OVERFLOW"],"#
            : "\n Q_OVERFLOW \n"
        #expect(process.waitFor(stdout: overflow))
        process.signal(SIGTERM)
        let lines = process.finish().out.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == limit + 1)
    }
}

/// What a user who is not root meets: a filesystem mark needs CAP_SYS_ADMIN.
@Suite(.inBlockingLane, .enabled(if: AsNobody.available, "needs root and setpriv(1) (util-linux) to run a command as nobody"))
struct FsnotifyUnprivilegedTests {
    @Test("-S as nobody: the refusal, and what to do", arguments: ["fsnotifywait", "fsnotifywatch"])
    func filesystemMarkNeedsPrivilege(_ command: String) throws {
        let temp = try TemporaryDirectory("fsn-perm")
        try Files.chmod(temp.path, 0o755)
        try Files.mkdir(temp.appending("t"))
        let result = try AsNobody.start([command, "-S", "-t", "1", "t"], directory: temp.path.string).finish()
        #expect(result.status == 1)
        #expect(result.err.contains("Couldn't add filesystem watch t: Operation not permitted\n"
            + "fanotify needs CAP_SYS_ADMIN for this (a filesystem mark, -S, always): run as root, or pass -I to use inotify.\n"))
    }
}

/// -r without the privilege a filesystem mark needs: the tree is watched
/// with inotify, as inotify-tools' fsnotifywait -r works unprivileged, and
/// what fanotify lacked is said.
@Suite(.inBlockingLane, .enabled(if: AsNobody.available, "needs root and setpriv(1) (util-linux) to run a command as nobody"))
struct FsnotifyUnprivilegedTreeTests {
    @Test func recursiveFallsBackToInotifyAndSaysWhy() throws {
        let temp = try TemporaryDirectory("fsn-perm")
        try Files.chmod(temp.path, 0o755)
        for path in ["t", "t/a"] {
            try Files.mkdir(temp.appending(path))
            guard chown(temp.appending(path).string, 65534, 65534) == 0 else { throw Errno(rawValue: errno) }
        }
        let process = try AsNobody.start(["fsnotifywait", "-m", "-r", "-t", "3", "-e", "create", "t"],
                                         directory: temp.path.string)
        #expect(process.waitFor(stderr: "Watches established."))
        try Files.touch(temp.appending("t/a/f"))
        #expect(process.waitFor(stdout: "t/a/ CREATE f\n"))
        let result = process.finish()
        #expect(result.err.contains("Watching t with inotify: fanotify cannot be had: "))
        #expect(result.err.contains("(EPERM)"))
        #expect(result.status == 2)
    }
}

/// inotify-tools' `t/fsnotifywait-subtree.t`, the same commands and the same
/// expectations: a file made three directories below the watched one
/// (`root/A/B/C/D/test`) is logged as `CREATE test`, by `inotifywait
/// --recursive`, `fsnotifywait --fanotify --recursive` and, on a filesystem
/// of its own, `fsnotifywait --filesystem`. Where the script sleeps a second
/// before it touches the file, this waits until the kernel holds the watches.
@Suite(.inBlockingLane, .enabled(if: FanotifyHere.permitted, "fanotify with names needs root and Linux 5.9 (not root here, or EPERM)"),
       .timeLimit(.minutes(10)))
struct FsnotifySubtreeTests {
    @Test(arguments: [["inotifywait", "--recursive"], ["fsnotifywait", "--fanotify", "--recursive"],
                      ["fsnotifywait", "--filesystem"]])
    func eventLogged(_ command: [String]) throws {
        let temp = try TemporaryDirectory("fsn-subtree")
        let root = temp.appending("root")
        try Files.mkdir(root)
        // A filesystem of its own for a filesystem mark (-S, and -r with
        // fanotify): it sees only this test's files.
        let filesystem = command.contains("--filesystem")
        if filesystem { try #require(TmpfsMount.permitted, "mounting a filesystem is not permitted here") }
        let mounted = command.contains("--fanotify") || filesystem ? try FsnotifyWaitTests.ownFilesystem(at: root) : false
        defer { if mounted { try? TmpfsMount.unmount(root) } }
        for path in ["A", "A/B", "A/B/C", "A/B/C/D"] { try Files.mkdir(root.appending(path)) }
        let arguments = Array(command.dropFirst()) + ["--quiet", "--outfile", "log", "--event", "CREATE", "--timeout", "2", "root"]
        let process = try Tools.start(command[0], arguments, directory: temp.path.string)
        // Every directory watched (-r with inotify), or a mark standing.
        #expect(process.waitUntil { process.kernelWatchCount() >= 5 || process.kernelMarkCount() >= 1 })
        try Files.touch(root.appending("A/B/C/D/test"))
        let result = process.finish()
        #expect(result.status == 0)
        let log = try String(contentsOfFile: temp.appending("log").string, encoding: .utf8)
        #expect(log.split(separator: "\n").contains { $0.hasSuffix("test") && $0.dropLast(5).hasSuffix("CREATE") }, "\(log)")
    }
}

/// inotify-tools' fsnotifywait and ours, each on a tree of its own (each
/// would see the other's reads of its directories), given absolute paths,
/// which inotify-tools prints as the kernel's (its own tree's): the same
/// bytes but for the trees' names. Each event is of a name of its own, so
/// that the kernel merges none, however fast each reads.
@Suite(.inBlockingLane, .enabled(if: FanotifyHere.permitted && FanotifyHere.reference != nil,
                "needs fanotify (root) and inotify-tools' fsnotifywait (apt-get install inotify-tools)"),
       .timeLimit(.minutes(10)))
struct FsnotifyWaitCompatibilityTests {
    func operations(_ d: FilePath) throws {
        try Files.touch(d.appending("a"))
        try Files.mkdir(d.appending("s"))
        try Files.rename(d.appending("pre1"), d.appending("b"))
        try Files.unlink(d.appending("pre2"))
        try Files.rmdir(d.appending("pres"))
        try Files.chmod(d.appending("pre3"), 0o600)
        try Files.chmod(d, 0o700)
    }

    @Test(arguments: [[String](), ["-c"], ["--format", "%w|%f|%e|%_e|%c"]])
    func sameOutput(_ format: [String]) throws {
        let temp = try TemporaryDirectory("fsn-diff")
        var processes: [Subprocess] = []
        for tree in ["theirs", "ours"] {
            let d = temp.appending("\(tree)/d")
            try Files.mkdir(temp.appending(tree))
            try Files.mkdir(d)
            for name in ["pre1", "pre2", "pre3"] { try Files.touch(d.appending(name)) }
            try Files.mkdir(d.appending("pres"))
            let arguments = ["-q", "-m", "-t", "3", "-e", "create,delete,moved_from,moved_to,attrib"] + format + [d.string]
            processes.append(tree == "theirs"
                ? try Subprocess(FanotifyHere.reference ?? "", words(arguments), argv0: "fsnotifywait", directory: temp.path.string)
                : try Tools.start("fsnotifywait", arguments, directory: temp.path.string))
        }
        for process in processes { #expect(process.waitUntil { process.kernelMarkCount() >= 1 }) }
        try operations(temp.appending("theirs/d"))
        try operations(temp.appending("ours/d"))
        let theirs = processes[0].finish()
        let ours = processes[1].finish()
        // inotify-tools looks each name up when it first meets it, and adds
        // " (deleted)" to one that is gone by then; names here are the records'.
        let expected = theirs.out.replacingOccurrences(of: "/theirs/", with: "/ours/")
            .replacingOccurrences(of: " (deleted)", with: "")
        #expect(ours.out == expected)
        #expect(ours.out.contains("/ours/d/") && ours.out.contains("pre1"))
        #expect(ours.err == theirs.err)
        #expect(ours.status == theirs.status)
    }
}
