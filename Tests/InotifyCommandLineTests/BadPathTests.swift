import Glibc
import InotifyTestSupport
import SystemPackage
import Testing
import InotifyTestLanes

/// Paths that are not what a watch usually is, given to `inotifywait` and
/// `inotifywatch`, with and without `-r`: each is watched or refused with a
/// message naming it and what is wrong, with inotifywait's status where
/// inotifywait is sane; never a crash, never a hang.
@Suite("Bad paths given to the command line", .inBlockingLane, .timeLimit(.minutes(10)))
struct BadPathTests {
    /// A tool (by the name it is called) and whether `-r` is given.
    struct Run: Sendable, CustomTestStringConvertible {
        let tool: String
        let recursive: Bool
        var testDescription: String { tool + (recursive ? " -r" : "") }
        var options: [String] { recursive ? ["-r"] : [] }
        /// What the tool says once it watches.
        var ready: String {
            tool == "inotifywait" ? "Watches established." : "Finished establishing watches, now collecting statistics."
        }
        var reference: String? { tool == "inotifywait" ? Tools.inotifywait : Tools.inotifywatch }
        /// What the tool says first, before anything is watched.
        var settingUp: String {
            if tool == "inotifywatch" { return "Establishing watches...\n" }
            return recursive ? "Setting up watches.  Beware: since -r was given, this may take a while!\n"
                : "Setting up watches.\n"
        }
    }

    static let runs = ["inotifywait", "inotifywatch"].flatMap { tool in
        [false, true].map { Run(tool: tool, recursive: $0) }
    }

    /// A directory `d` and, beside it, the special file `make` makes as `name`.
    private static func tree(_ make: (FilePath) throws -> Void, name: String) throws -> TemporaryDirectory {
        let temp = try TemporaryDirectory("cli-bad")
        try Files.mkdir(temp.appending("d"))
        try make(temp.appending(name))
        return temp
    }

    /// Runs `run` on `d` and `name` until `act`'s event is reported: with
    /// inotifywait, only the events of `events`, the first of which ends it
    /// (status 0); with inotifywatch, until a SIGUSR1 table shows `name`,
    /// then SIGINT (status 0). Returns the finished run.
    private static func watchUntilReported(
        _ run: Run, _ temp: TemporaryDirectory, name: String, events: String, act: () throws -> Void
    ) throws -> Subprocess.Finished {
        let process = try Tools.start(run.tool, run.options + ["-e", events, "d", name], directory: temp.path.string)
        #expect(process.waitFor(stderr: run.ready))
        try act()
        if run.tool == "inotifywatch" {
            #expect(process.waitUntil {
                process.signal(SIGUSR1)
                return String(decoding: process.stdout, as: UTF8.self).contains(" \(name)\n")
            })
            process.signal(SIGINT)
        }
        return process.finish()
    }

    // MARK: A FIFO

    /// Watching a FIFO is legal, and its opens, reads and writes are events;
    /// opening it would block with no writer, so nothing but the watch may
    /// touch it. With `-r` beside a directory it is a leaf, watched as it is
    /// (before, `-r d p` refused it: "Not a directory").
    @Test("a FIFO is watched, never opened: a writer's events are reported", arguments: runs)
    func fifo(_ run: Run) throws {
        let temp = try Self.tree({ path in
            guard mkfifo(path.string, 0o644) == 0 else { throw Errno(rawValue: errno) }
        }, name: "p")
        let result = try Self.watchUntilReported(run, temp, name: "p", events: "close_write") {
            // A reader first, without blocking, so that the writer's open does not block either.
            let reader = open(temp.appending("p").string, O_RDONLY | O_NONBLOCK)
            let writer = open(temp.appending("p").string, O_WRONLY)
            #expect(reader >= 0 && writer >= 0)
            _ = write(writer, "x", 1)
            close(writer)
            close(reader)
        }
        #expect(result.status == 0)
        if run.tool == "inotifywait" {
            #expect(result.out == "p CLOSE_WRITE,CLOSE \n")  // %w %e %f, %f empty
        } else {
            #expect(result.out.contains("close_write"), "\(result.out)")
        }
        #expect(!result.err.contains("Couldn't") && !result.err.contains("Failed"))
    }

    // MARK: A UNIX socket

    /// A socket cannot be opened at all; what changes it (its attributes,
    /// its removal) is still an event. Watched like a FIFO, as inotifywait does.
    @Test("a UNIX socket is watched: a chmod is reported", arguments: runs)
    func socketFile(_ run: Run) throws {
        let temp = try Self.tree({ path in try Self.bindSocket(at: path) }, name: "s")
        let result = try Self.watchUntilReported(run, temp, name: "s", events: "attrib") {
            try Files.chmod(temp.appending("s"), 0o700)
        }
        #expect(result.status == 0)
        if run.tool == "inotifywait" {
            #expect(result.out == "s ATTRIB \n")
        } else {
            #expect(result.out.contains("attrib"), "\(result.out)")
        }
    }

    private static func bindSocket(at path: FilePath) throws {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Errno(rawValue: errno) }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.string.utf8)
        try #require(bytes.count < MemoryLayout.size(ofValue: address.sun_path))
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in bytes.enumerated() { buffer[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0 else { throw Errno(rawValue: errno) }
    }

    // MARK: A file in /proc

    /// inotify accepts a watch on a /proc file, but what it reads changes
    /// without a write, so no event ever says so: inotifywait waits in
    /// silence. Ours says so, naming the path, and watches it all the same
    /// (another process's reads of it are events): the status is
    /// inotifywait's (2, a timeout, for `wait`; 0 for `stats`).
    @Test("a /proc file: a warning naming it, and the watch goes on", arguments: runs)
    func procFile(_ run: Run) throws {
        let temp = try TemporaryDirectory("cli-bad")
        let arguments = run.options + ["-t", "1", "/proc/self/status"]
        let result = try Tools.run(run.tool, arguments, directory: temp.path.string)
        #expect(result.err.contains(
            "Warning: /proc/self/status is on /proc (procfs): inotify reports only what processes do to it"))
        #expect(result.err.contains(run.ready))
        #expect(result.status == (run.tool == "inotifywait" ? 2 : 0))
        if let reference = run.reference {
            let theirs = try Subprocess(reference, arguments.map { Array($0.utf8) }, argv0: run.tool,
                                        directory: temp.path.string).finish()
            #expect(theirs.status == result.status)
        }
    }

    // MARK: Names too long

    /// A component longer than NAME_MAX (255), and a path longer than
    /// PATH_MAX (4096): ENAMETOOLONG, in inotify-tools' words, status 1.
    @Test("ENAMETOOLONG: the path named, 'File name too long', status 1, as inotify-tools",
          arguments: runs.flatMap { run in [(run, 300), (run, 4500)] })
    func nameTooLong(_ run: Run, length: Int) throws {
        let temp = try TemporaryDirectory("cli-bad")
        let path = length < 4096
            ? String(repeating: "x", count: length)
            : Array(repeating: "aaaaaaaaaa", count: length / 11).joined(separator: "/")
        let result = try Tools.run(run.tool, run.options + ["-t", "1", path], directory: temp.path.string)
        let verb = run.tool == "inotifywait" ? "Couldn't watch" : "Failed to watch"
        #expect(result.err == run.settingUp + "\(verb) \(path): File name too long\n")
        #expect(result.status == 1)
        #expect(result.out.isEmpty)
        if let reference = run.reference {
            let arguments = run.options + ["-t", "1", path]
            let theirs = try Subprocess(reference, arguments.map { Array($0.utf8) }, argv0: run.tool,
                                        directory: temp.path.string).finish()
            #expect(theirs.status == result.status)
            #expect(theirs.err == result.err)
        }
    }

    // MARK: A directory removed while -r sets up

    /// The seam refuses the watch of `d/b` with ENOENT, as the kernel does
    /// for a directory removed between its listing and its watch: it is
    /// left out without a word, and the rest of the tree is watched.
    @Test("a directory gone before its watch: left out, the rest watched, status 0",
          .enabled(if: Self.faultsCompiled, "the fault seam is compiled only in debug builds"),
          arguments: ["inotifywait", "inotifywatch"])
    func removedDuringSetupByTheSeam(_ tool: String) throws {
        let temp = try TemporaryDirectory("cli-bad")
        for path in ["d", "d/a", "d/b", "d/b/x", "d/c"] { try Files.mkdir(temp.appending(path)) }
        let run = Run(tool: tool, recursive: true)
        let process = try Tools.start(tool, ["-r", "-e", "create", "d"], directory: temp.path.string,
                                      environment: ["INOTIFY_FAULT_PLAN": "inotifyAddWatch@b=ENOENT"])
        #expect(process.waitFor(stderr: run.ready))
        // d, d/a and d/c: neither d/b nor what it holds.
        #expect(process.kernelWatchCount() == 3)
        try Files.touch(temp.appending("d/c/f"))
        if tool == "inotifywatch" {
            #expect(process.waitUntil {
                process.signal(SIGUSR1)
                return String(decoding: process.stdout, as: UTF8.self).contains("d/c/\n")
            })
            process.signal(SIGINT)
        }
        let result = process.finish()
        #expect(result.status == 0)
        #expect(!result.err.contains("d/b"))
        if tool == "inotifywait" { #expect(result.out == "d/c/ CREATE f\n") }
    }

    static let faultsCompiled: Bool = {
        #if INOTIFY_FAULTS
        true
        #else
        false
        #endif
    }()

    /// The real thing, racing: directories removed while `-r` lists the
    /// tree. Whichever way each race goes, nothing crashes, nothing is said
    /// of a removed directory but its removal, and what is left is watched.
    @Test("directories removed while -r sets up: no crash, status 0, the rest watched")
    func removedDuringSetupRacing() throws {
        let temp = try TemporaryDirectory("cli-bad")
        try Files.mkdir(temp.appending("d"))
        for index in 0..<300 { try Files.mkdir(temp.appending("d/x\(index)")) }
        let process = try Tools.start("inotifywait", ["-r", "-e", "create", "d"], directory: temp.path.string)
        let removed = Array(stride(from: 299, to: 0, by: -3))
        for index in removed { try Files.rmdir(temp.appending("d/x\(index)")) }
        #expect(process.waitFor(stderr: "Watches established."))
        try Files.touch(temp.appending("d/x0/f"))
        let result = process.finish()
        #expect(result.status == 0)
        #expect(result.out == "d/x0/ CREATE f\n")
        let setUp = ["Setting up watches.  Beware: since -r was given, this may take a while!", "Watches established."]
        let removedNames = Set(removed.map { "d/x\($0)" })
        for line in result.err.split(separator: "\n").map(String.init) where !setUp.contains(line) {
            // Only a removed directory may be named, whichever way its race went.
            let named = line.split(separator: " ").first { removedNames.contains(String($0).trimmingSuffix(":")) }
            #expect(named != nil, "\(line)")
        }
    }

    // MARK: --fromfile

    /// A `--fromfile` that does not exist: inotify-tools' words. One that is
    /// a directory: inotify-tools reads nothing from it and says only "No
    /// files specified to watch!"; ours names it and says why.
    @Test("--fromfile missing or a directory: named, with the reason, status 1", arguments: runs)
    func fromFile(_ run: Run) throws {
        let temp = try TemporaryDirectory("cli-bad")
        try Files.mkdir(temp.appending("d"))
        let missing = try Tools.run(run.tool, run.options + ["--fromfile", "nofile"], directory: temp.path.string)
        #expect(missing.status == 1)
        #expect(missing.err == "Couldn't open nofile: No such file or directory\n")
        let directory = try Tools.run(run.tool, run.options + ["--fromfile", "d"], directory: temp.path.string)
        #expect(directory.status == 1)
        #expect(directory.err == "Couldn't read d: Is a directory\n")
        if let reference = run.reference {
            let theirs = try Subprocess(reference, (run.options + ["--fromfile", "nofile"]).map { Array($0.utf8) },
                                        argv0: run.tool, directory: temp.path.string).finish()
            #expect(theirs.status == missing.status)
            #expect(theirs.err.hasPrefix(missing.err))
        }
    }

    // MARK: -o

    /// An `-o` that is a directory: inotifywait's message and status.
    @Test("-o a directory: 'Failed to open output file', status 1, as inotifywait", arguments: [false, true])
    func outFileIsADirectory(recursive: Bool) throws {
        let temp = try TemporaryDirectory("cli-bad")
        try Files.mkdir(temp.appending("d"))
        let arguments = (recursive ? ["-r"] : []) + ["-o", "d", "-e", "create", "d"]
        let result = try Tools.run("inotifywait", arguments, directory: temp.path.string)
        #expect(result.status == 1)
        #expect(result.err == "Failed to open output file d\n")
        if let reference = Tools.inotifywait {
            let theirs = try Subprocess(reference, arguments.map { Array($0.utf8) }, argv0: "inotifywait",
                                        directory: temp.path.string).finish()
            #expect(theirs.status == result.status)
            #expect(theirs.err == result.err)
        }
    }

    /// /dev/full: every write fails with ENOSPC. inotifywait drops the line
    /// in silence (status 0, or waits on with -m); ours says so and ends
    /// with status 1, with -r as without.
    @Test("-o /dev/full: 'No space left on device' said, status 1", arguments: [
        [], ["-m"], ["-r"], ["-r", "-m"],
    ])
    func outFileFull(_ options: [String]) throws {
        let temp = try TemporaryDirectory("cli-bad")
        try Files.mkdir(temp.appending("d"))
        let process = try Tools.start("inotifywait", options + ["-o", "/dev/full", "-e", "create", "d"],
                                      directory: temp.path.string)
        #expect(process.waitFor(stderr: "Watches established."))
        try Files.touch(temp.appending("d/f"))
        let result = process.finish()
        #expect(result.status == 1)
        #expect(result.err.hasSuffix("Watches established.\nCouldn't write events: No space left on device\n"))
    }
}

/// What only a user who is not root meets: root passes every permission
/// check. The command runs as `nobody` (65534) through setpriv(1).
@Suite("Permissions, as a user who is not root", .inBlockingLane, .timeLimit(.minutes(10)),
       .enabled(if: AsNobody.available, "needs root and setpriv(1) (util-linux) to run a command as nobody"))
struct BadPathPermissionTests {
    /// A tree nobody owns but for `t/a/locked`, root's and closed (0700).
    private func tree() throws -> TemporaryDirectory {
        let temp = try TemporaryDirectory("cli-perm")
        try Files.chmod(temp.path, 0o755)
        for path in ["t", "t/a", "t/a/locked", "t/a/locked/inner", "t/b"] {
            try Files.mkdir(temp.appending(path))
            if path.hasPrefix("t/a/locked") { continue }
            guard chown(temp.appending(path).string, 65534, 65534) == 0 else { throw Errno(rawValue: errno) }
        }
        try Files.chmod(temp.appending("t/a/locked"), 0o700)
        return temp
    }

    /// inotifywait -r leaves a directory it may not read out without a word;
    /// ours names it and the reason, and watches the rest (status as ever).
    @Test("-r over a directory without read permission: named, the rest watched", arguments: ["wait", "stats"])
    func unreadableDirectoryInTree(_ command: String) throws {
        let temp = try tree()
        let process = try AsNobody.start([command, "-r", "-e", "create", "t"], directory: temp.path.string)
        let verb = command == "wait" ? "Couldn't watch" : "Failed to watch"
        #expect(process.waitFor(stderr: "\(verb) t/a/locked: "))
        #expect(process.waitFor(stderr: "Permission denied"))
        try Files.touch(temp.appending("t/b/f"))
        if command == "stats" {
            #expect(process.waitUntil {
                process.signal(SIGUSR1)
                return String(decoding: process.stdout, as: UTF8.self).contains("t/b/\n")
            })
            process.signal(SIGINT)
        }
        let result = process.finish()
        #expect(result.status == 0)
        if command == "wait" { #expect(result.out == "t/b/ CREATE f\n") }
        #expect(!result.err.contains("inner"))
    }

    /// The same directory given itself: inotify-tools' message and status.
    @Test("a directory without read permission given itself: 'Permission denied', status 1",
          arguments: [["wait"], ["wait", "-r"], ["stats"], ["stats", "-r"]])
    func unreadableDirectoryGiven(_ command: [String]) throws {
        let temp = try tree()
        let result = try AsNobody.start(command + ["-t", "1", "t/a/locked/inner"], directory: temp.path.string).finish()
        let verb = command[0] == "wait" ? "Couldn't watch" : "Failed to watch"
        #expect(result.status == 1)
        #expect(result.err.hasSuffix("\(verb) t/a/locked/inner: Permission denied\n"))
    }

    /// An `-o` file where nobody may write: inotifywait's words, status 1.
    @Test("-o in a directory nobody may write to: 'Failed to open output file', status 1", arguments: [false, true])
    func outFileNotWritable(recursive: Bool) throws {
        let temp = try tree()
        try Files.mkdir(temp.appending("ro"))
        let arguments = (recursive ? ["-r"] : []) + ["-o", "ro/log", "-e", "create", "t"]
        let result = try AsNobody.start(["wait"] + arguments, directory: temp.path.string).finish()
        #expect(result.status == 1)
        #expect(result.err == "Failed to open output file ro/log\n")
        #expect(!Files.exists(temp.appending("ro/log")))
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}

/// Runs `inotify` as nobody, with no supplementary group.
enum AsNobody {
    static let setpriv = "/usr/bin/setpriv"

    static let available = getuid() == 0 && access(setpriv, X_OK) == 0

    static func start(_ arguments: [String], directory: String) throws -> Subprocess {
        let launcher = ["--reuid=65534", "--regid=65534", "--clear-groups", Tools.inotify]
        return try Subprocess(setpriv, (launcher + arguments).map { Array($0.utf8) }, directory: directory)
    }
}
