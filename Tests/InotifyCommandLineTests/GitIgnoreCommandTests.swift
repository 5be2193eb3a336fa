import Glibc
import InotifyTestSupport
import SystemPackage
import Testing
import InotifyTestLanes

/// `--gitignore`, with `-r`: `inotify wait` and `inotify stats` watch and
/// report only what git does not ignore. Every run has git's configuration
/// of its own (a home, an XDG directory and a discovery ceiling in the
/// test's temporary directory), so that no global excludes file of the
/// machine's user changes what is printed.
@Suite(.inBlockingLane)
struct GitIgnoreCommandTests {
    /// A temporary directory holding `d`, a repository's top (`d/.git` made
    /// by mkdir, all it takes to be one), with `*.log` and `build/` ignored.
    struct Sandbox {
        let temp: TemporaryDirectory
        /// The temporary directory with symbolic links resolved, as git's ceiling must be.
        let base: String

        init() throws {
            temp = try TemporaryDirectory("cli-gitignore")
            guard let resolved = realpath(temp.path.string, nil) else { throw Errno(rawValue: errno) }
            base = String(cString: resolved)
            free(resolved)
            for directory in ["d", "d/.git", "d/build", "d/src", "home", "xdg"] { try Files.mkdir(temp.appending(directory)) }
            try temp.createFile("d/.gitignore", contents: "*.log\nbuild/\n")
        }

        func path(_ relative: String) -> FilePath { temp.appending(relative) }

        /// Starts `inotify arguments` in the temporary directory through
        /// env(1), which sets git's environment and then runs it (same
        /// process: its watches can be counted).
        func start(_ arguments: [String]) throws -> Subprocess {
            let environment = [
                "-u", "GIT_CONFIG_GLOBAL", "-u", "GIT_DIR", "-u", "GIT_WORK_TREE",
                "HOME=\(base)/home", "XDG_CONFIG_HOME=\(base)/xdg", "GIT_CEILING_DIRECTORIES=\(base)", "GIT_CONFIG_NOSYSTEM=1",
            ]
            return try Subprocess("/usr/bin/env", (environment + [Tools.inotify] + arguments).map { Array($0.utf8) },
                                  argv0: "env", directory: base)
        }
    }

    @Test func gitignoreNeedsRecursive() throws {
        let sandbox = try Sandbox()
        for arguments in [["wait", "--gitignore", "d"], ["wait", "-m", "--gitignore", "d"]] {
            let result = try sandbox.start(arguments).finish()
            #expect(result.status == 1, "\(arguments)")
            #expect(result.stdout.isEmpty, "\(arguments)")
            #expect(result.err == "--gitignore cannot be specified without -r.\n", "\(arguments)")
        }
        // stats: refused too; its words are not inotifywait's to copy, so only the option names are checked.
        let stats = try sandbox.start(["stats", "--gitignore", "d"]).finish()
        #expect(stats.status == 1)
        #expect(stats.stdout.isEmpty)
        #expect(stats.err.split(separator: "\n").count == 1 && stats.err.contains("--gitignore") && stats.err.contains("-r"),
                "\(stats.err)")
        // With -r it is taken: the run times out as any other.
        let accepted = try sandbox.start(["wait", "-r", "--gitignore", "-t", "1", "d"]).finish()
        #expect(accepted.status == 2, "\(accepted.err)")
        #expect(accepted.err == "Setting up watches.  Beware: since -r was given, this may take a while!\nWatches established.\n")
    }

    /// Files and directories in sight (`d/b.txt`, `d/src/z`) and out of it
    /// (`*.log`, `build/`, `.git`).
    private func makeVisibleAndIgnored(_ sandbox: Sandbox) throws {
        try Files.touch(sandbox.path("d/a.log"))
        try Files.touch(sandbox.path("d/b.txt"))
        try Files.touch(sandbox.path("d/build/x"))
        try Files.mkdir(sandbox.path("d/build/inner"))
        try Files.touch(sandbox.path("d/src/y.log"))
        try Files.touch(sandbox.path("d/src/z"))
        try Files.touch(sandbox.path("d/.git/index"))
    }

    @Test func waitPrintsOnlyWhatGitDoesNotIgnore() throws {
        let sandbox = try Sandbox()
        let process = try sandbox.start(["wait", "-m", "-r", "--gitignore", "-e", "create", "d"])
        #expect(process.waitFor(stderr: "Watches established."), "\(String(decoding: process.stderr, as: UTF8.self))")
        #expect(process.kernelWatchCount() == 2, "d and d/src only")
        try makeVisibleAndIgnored(sandbox)
        try Files.mkdir(sandbox.path("d/.git/refs"))
        // Printed last, after everything before it (one queue, in order).
        try Files.touch(sandbox.path("d/done"))
        #expect(process.waitFor(stdout: "d/ CREATE done\n"))
        process.signal(SIGTERM)
        let result = process.finish()
        #expect(result.out == "d/ CREATE b.txt\nd/src/ CREATE z\nd/ CREATE done\n")
    }

    @Test func statsDoesNotCountIgnoredFiles() throws {
        let sandbox = try Sandbox()
        let process = try sandbox.start(["stats", "-r", "--gitignore", "-e", "create", "d"])
        #expect(process.waitFor(stderr: "now collecting statistics."), "\(String(decoding: process.stderr, as: UTF8.self))")
        try makeVisibleAndIgnored(sandbox)
        try Files.touch(sandbox.path("d/src/last"))
        // Once the last file is counted, everything before it is.
        #expect(process.waitUntil {
            process.signal(SIGUSR1)
            return String(decoding: process.stdout, as: UTF8.self).contains("2      2       d/src/\n")
        })
        process.signal(SIGTERM)
        let result = process.finish()
        #expect(result.status == 0)
        let table = result.out.split(separator: "\n\n").last.map(String.init) ?? ""
        let rows = table.split(separator: "\n").map(String.init)
        #expect(rows.first == "total  create  filename", "\(table)")
        #expect(Set(rows.dropFirst()) == ["1      1       d/", "2      2       d/src/"], "\(table)")
    }

    @Test func malformedPatternIsNamedWithFileAndLine() throws {
        let sandbox = try Sandbox()
        try sandbox.temp.createFile("d/.gitignore", contents: "*.log\n[abc\n")
        let process = try sandbox.start(["wait", "-m", "-r", "--gitignore", "d"])
        #expect(process.waitFor(stderr: "Watches established."), "\(String(decoding: process.stderr, as: UTF8.self))")
        #expect(process.waitFor(stderr: "d/.gitignore:2: "))
        // One brought by an edit while watching.
        try sandbox.temp.createFile("d/src/.gitignore", contents: "ok\n!\n")
        #expect(process.waitFor(stderr: "d/src/.gitignore:2: "))
        process.signal(SIGTERM)
        let result = process.finish()
        let lines = result.err.split(separator: "\n")
        #expect(lines.contains { $0.contains("d/.gitignore:2: ") }, "\(result.err)")
        #expect(lines.contains { $0.contains("d/src/.gitignore:2: ") }, "\(result.err)")
        #expect(!lines.contains { $0.contains(".gitignore:1: ") }, "only the malformed lines are named: \(result.err)")
    }
}
