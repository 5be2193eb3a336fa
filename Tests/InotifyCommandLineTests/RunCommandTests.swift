import Foundation
import Glibc
@testable import InotifyCommandLine
import InotifyTestSupport
import SystemPackage
import Testing
import InotifyTestLanes

/// `inotify run` against the real kernel and real processes: when the
/// command runs, what it is given, and what is left of it after a stop.
@Suite(.inBlockingLane, .timeLimit(.minutes(10)))
struct RunCommandTests {
    /// A command that prints each run framed, with the run's changes.
    static let framed = ["sh", "-c", #"echo RUN; cat "$INOTIFY_CHANGES"; echo END"#]

    /// The runs a framed command printed so far: each the JSON lines it was given.
    static func runs(_ process: Subprocess) -> [[String]] {
        var runs: [[String]] = []
        for line in String(decoding: process.stdout, as: UTF8.self).split(separator: "\n") {
            if line == "RUN" { runs.append([]) } else if line != "END", !runs.isEmpty { runs[runs.count - 1].append(String(line)) }
        }
        return runs
    }

    /// The `path` fields of a run's records, notices left out.
    static func paths(_ run: [String]) -> [String] {
        JSONRecords.parse(Array(run.joined(separator: "\n").utf8) + (run.isEmpty ? [] : [10]))
            .filter { $0["notice"] == nil }
            .compactMap { $0["path"] as? String }
    }

    /// How many complete runs (RUN ... END) were printed.
    static func completeRuns(_ process: Subprocess) -> Int {
        String(decoding: process.stdout, as: UTF8.self).split(separator: "\n").filter { $0 == "END" }.count
    }

    func start(_ arguments: [String], in directory: TemporaryDirectory) throws -> Subprocess {
        try Tools.start("inotify", ["run"] + arguments, directory: directory.path.string)
    }

    // MARK: When the command runs, and what it is given

    @Test("it runs at start with no changes, then once per settled batch with that batch's changes as JSON lines")
    func runsAtStartAndPerBatch() throws {
        let dir = try TemporaryDirectory("run-batches")
        try Files.mkdir(dir.appending("src"))
        let process = try start(["src", "--"] + Self.framed, in: dir)
        #expect(process.waitUntil { Self.completeRuns(process) == 1 }, "\(process.err)")
        #expect(Self.runs(process).first == [])
        try dir.createFile("src/a.c", contents: "int a;\n")
        #expect(process.waitUntil { Self.completeRuns(process) == 2 }, "\(process.err)")
        try Files.rename(dir.appending("src/a.c"), dir.appending("src/b.c"))
        #expect(process.waitUntil { Self.completeRuns(process) == 3 }, "\(process.err)")
        // One status line per run, with the status and the time it took (a
        // run that printed END may not have exited yet).
        #expect(process.waitUntil { process.err.components(separatedBy: "exited with status 0 after").count - 1 == 3 },
                "\(process.err)")
        process.signal(SIGTERM)
        let finished = process.finish()
        #expect(finished.status == 128 + SIGTERM, "\(finished.err)")
        let runs = Self.runs(process)
        #expect(Self.paths(runs[1]) == ["src/a.c"])
        let records = JSONRecords.parse(Array((runs[1].joined(separator: "\n") + "\n").utf8))
        #expect(records.first?["events"] as? [String] == ["CREATE"])
        #expect(records.first?["watched"] as? String == "src/")
        #expect(records.first?["name"] as? String == "a.c")
        // The move is both halves, one cookie.
        let move = JSONRecords.parse(Array((runs[2].joined(separator: "\n") + "\n").utf8))
        #expect(move.map { $0["events"] as? [String] ?? [] } == [["MOVED_FROM"], ["MOVED_TO"]])
        #expect(move.map { $0["path"] as? String ?? "" } == ["src/a.c", "src/b.c"])
        #expect(move.count == 2 && move[0]["cookie"] as? Int == move[1]["cookie"] as? Int)
    }

    @Test("--stdin gives the command the same lines on its standard input")
    func changesOnStandardInput() throws {
        let dir = try TemporaryDirectory("run-stdin")
        let process = try start(["--stdin", "--postpone", ".", "--", "sh", "-c", "echo RUN; cat; echo END"], in: dir)
        #expect(process.waitFor(stderr: "watches established"))
        try dir.createFile("x", contents: "1")
        #expect(process.waitUntil { Self.completeRuns(process) == 1 }, "\(process.err)")
        process.signal(SIGTERM)
        _ = process.finish()
        #expect(Self.paths(Self.runs(process)[0]) == ["./x"])
    }

    @Test("--postpone: no run at start; the first run is the first batch's")
    func postpone() throws {
        let dir = try TemporaryDirectory("run-postpone")
        let process = try start(["--postpone", "--"] + Self.framed, in: dir)
        #expect(process.waitFor(stderr: "watches established"))
        try dir.createFile("f")
        #expect(process.waitUntil { Self.completeRuns(process) == 1 }, "\(process.err)")
        process.signal(SIGTERM)
        _ = process.finish()
        #expect(Self.runs(process).map(Self.paths) == [["./f"]])
    }

    @Test("an editor's atomic save (temporary file renamed over the file) is one run with one MODIFY")
    func atomicSaveIsOneModify() throws {
        let dir = try TemporaryDirectory("run-save")
        try dir.createFile("main.rs", contents: "fn main() {}\n")
        let process = try start(["--postpone", "--debounce", "200ms", "--"] + Self.framed, in: dir)
        #expect(process.waitFor(stderr: "watches established"))
        try dir.createFile(".main.rs.swp", contents: "fn main() { }\n")
        try Files.rename(dir.appending(".main.rs.swp"), dir.appending("main.rs"))
        #expect(process.waitUntil { Self.completeRuns(process) == 1 }, "\(process.err)")
        process.signal(SIGTERM)
        _ = process.finish()
        let records = JSONRecords.parse(Array((Self.runs(process)[0].joined(separator: "\n") + "\n").utf8))
        #expect(records.map { ($0["events"] as? [String] ?? []).joined(separator: ",") + " " + ($0["path"] as? String ?? "") }
            == ["MODIFY ./main.rs"], "\(records)")
    }

    @Test("--exclude and --include leave changes out by path; a batch left empty runs nothing")
    func patterns() throws {
        let dir = try TemporaryDirectory("run-patterns")
        let process = try start(["--postpone", "--exclude", #"\.log$"#, "--"] + Self.framed, in: dir)
        #expect(process.waitFor(stderr: "watches established"))
        try dir.createFile("a.log", contents: "x")
        try dir.createFile("a.c", contents: "x")
        #expect(process.waitUntil { Self.completeRuns(process) >= 1 }, "\(process.err)")
        try dir.createFile("b.log", contents: "x")
        try dir.createFile("marker.c")
        #expect(process.waitUntil { Self.runs(process).flatMap(Self.paths).contains("./marker.c") })
        process.signal(SIGTERM)
        _ = process.finish()
        let all = Self.runs(process).flatMap(Self.paths)
        #expect(!all.contains { $0.hasSuffix(".log") }, "\(all)")
        #expect(all.contains("./a.c"))
    }

    @Test("what git ignores is not a change, unless --no-ignore")
    func ignoreFiles() throws {
        let dir = try TemporaryDirectory("run-ignore")
        try dir.createFile(".gitignore", contents: "*.o\n")
        for ignoring in [true, false] {
            let process = try start(["--postpone"] + (ignoring ? [] : ["--no-ignore"]) + ["--"] + Self.framed, in: dir)
            #expect(process.waitFor(stderr: "watches established"))
            try dir.createFile("a.o", contents: "\(ignoring)")
            try dir.createFile("a.c", contents: "\(ignoring)")
            #expect(process.waitUntil { Self.runs(process).flatMap(Self.paths).contains("./a.c") })
            process.signal(SIGTERM)
            _ = process.finish()
            let all = Self.runs(process).flatMap(Self.paths)
            #expect(all.contains("./a.o") == !ignoring, "ignoring \(ignoring): \(all)")
            try Files.unlink(dir.appending("a.o"))
            try Files.unlink(dir.appending("a.c"))
        }
    }

    @Test("the changes file is not a change, even when it lies in the watched tree (TMPDIR there)")
    func ownChangesFileIsNotWatched() throws {
        let dir = try TemporaryDirectory("run-own-file")
        let process = try Tools.start("inotify", ["run", "--postpone", "--debounce", "10ms", ".", "--"] + Self.framed,
                                      directory: dir.path.string, environment: ["TMPDIR": dir.path.string])
        #expect(process.waitFor(stderr: "watches established"))
        try dir.createFile("first")
        #expect(process.waitUntil { Self.completeRuns(process) == 1 })
        try dir.createFile("second")
        #expect(process.waitUntil { Self.runs(process).flatMap(Self.paths).contains("./second") })
        process.signal(SIGTERM)
        _ = process.finish()
        // Had the run's own write been a change, a run would follow each run.
        #expect(Self.runs(process).map(Self.paths) == [["./first"], ["./second"]], "\(process.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path.string).sorted() == ["first", "second"],
                "the changes file's directory is removed at the end")
    }

    @Test("a git checkout of 5,000 files is one run, however long it takes: the batch waits for .git/index.lock")
    func gitCheckoutIsOneRun() throws {
        guard access("/usr/bin/git", X_OK) == 0 || access("/bin/git", X_OK) == 0 else {
            print("skipped: git is not installed (apt-get install git)")
            return
        }
        let dir = try TemporaryDirectory("run-git")
        // Under a sanitizer the debug build folds changes several times
        // slower: 1,000 files there, the same checkout otherwise.
        let directories = underThreadSanitizer || underAddressSanitizer ? 10 : 50
        let git = { (arguments: [String]) throws in
            let finished = try Subprocess("/usr/bin/env", (["GIT_CONFIG_NOSYSTEM=1", "HOME=\(dir.path.string)", "git",
                                                             "-c", "user.name=t", "-c", "user.email=t@t"] + arguments)
                .map { Array($0.utf8) }, argv0: "env", directory: dir.path.string).finish(timeout: 120)
            #expect(finished.status == 0, "git \(arguments): \(finished.err)")
        }
        try git(["init", "-q", "-b", "one"])
        let top = dir.path
        try withOwnDescriptorTable {
            for directory in 0..<directories {
                try Files.mkdir(top.appending("d\(directory)"))
                for file in 0..<100 { try Files.touch(top.appending("d\(directory)/f\(file)")) }
            }
        }
        try git(["add", "-A"])
        try git(["commit", "-q", "-m", "one"])
        try git(["checkout", "-q", "-b", "two"])
        try withOwnDescriptorTable {
            for directory in 0..<directories {
                for file in 0..<100 { try Files.write(top.appending("d\(directory)/f\(file)"), "two \(file)\n") }
            }
        }
        try git(["commit", "-q", "-a", "-m", "two"])
        // A maximum wait far shorter than the checkout: without the lock the
        // checkout would come in many batches.
        let process = try start(["--postpone", "--debounce", "20ms", "--max-wait", "50ms", "--"] + Self.framed, in: dir)
        #expect(process.waitFor(stderr: "watches established"))
        try git(["checkout", "-q", "one"])
        #expect(process.waitUntil(timeout: 60) { Self.completeRuns(process) >= 1 }, "\(process.err)")
        try dir.createFile("marker")
        #expect(process.waitUntil(timeout: 60) { Self.runs(process).flatMap(Self.paths).contains("./marker") })
        process.signal(SIGTERM)
        _ = process.finish()
        let runs = Self.runs(process).map(Self.paths)
        #expect(runs.count == 2, "runs of \(runs.map(\.count)) changes")
        #expect(Set(runs.first ?? []).count == directories * 100, "\(runs.first?.count ?? 0) files in the first run")
        #expect(runs.last == ["./marker"])
    }

    // MARK: While the command runs

    @Test("--on-busy queue (the default) loses no change: every file made while runs were going on is in a run")
    func queueLosesNothing() throws {
        let dir = try TemporaryDirectory("run-queue")
        try Files.mkdir(dir.appending("w"))
        // Each run takes 100 ms: most changes come while one is going on.
        let process = try start(["--postpone", "--debounce", "10ms", "w", "--", "sh", "-c",
                                 #"echo RUN; cat "$INOTIFY_CHANGES"; sleep 0.1; echo END"#], in: dir)
        #expect(process.waitFor(stderr: "watches established"))
        var expected: Set<String> = []
        for burst in 0..<20 {
            for index in 0..<10 {
                let name = "w/f\(burst)-\(index)"
                try dir.createFile(name, contents: "x")
                expected.insert(name)
            }
            // Wait for a run to start or end between bursts, so that bursts
            // land both between runs and during them.
            let seen = Self.completeRuns(process)
            _ = process.waitUntil(timeout: 0.5) { Self.completeRuns(process) > seen }
        }
        let complete = process.waitUntil(timeout: 30) { expected.isSubset(of: Set(Self.runs(process).flatMap(Self.paths))) }
        process.signal(SIGTERM)
        _ = process.finish()
        let seen = Set(Self.runs(process).flatMap(Self.paths))
        #expect(complete, "missing \(expected.subtracting(seen).sorted().prefix(10))")
        #expect(Self.runs(process).count < 200, "a run per file: nothing was batched")
    }

    /// The processes whose process group is `group`, read from /proc.
    static func members(of group: pid_t) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { pid_t($0) }.filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 2 && pid_t(fields[2]) == group
        }
    }

    /// The `GROUP n` lines the command printed: each run's process group.
    static func groups(_ process: Subprocess) -> [pid_t] {
        String(decoding: process.stdout, as: UTF8.self).split(separator: "\n")
            .compactMap { $0.hasPrefix("GROUP ") ? pid_t($0.dropFirst(6)) : nil }
    }

    @Test("--on-busy restart stops the whole old process group before the new run starts",
          arguments: [false, true])
    func restartLeavesNothingOfTheOldGroup(ignoresTerm: Bool) throws {
        let dir = try TemporaryDirectory("run-restart")
        // A shell with two children in the background, all in the run's group;
        // one that ignores SIGTERM (children inherit the ignoring) must be
        // killed once --stop-timeout has passed.
        let script = (ignoresTerm ? "trap '' TERM; " : "") + #"sleep 1000 & sleep 1000 & echo GROUP $$; wait"#
        let process = try start(["--on-busy", "restart", "--stop-timeout", "300ms", ".", "--", "sh", "-c", script], in: dir)
        #expect(process.waitUntil { Self.groups(process).count == 1 }, "\(process.err)")
        let first = Self.groups(process)[0]
        #expect(process.waitUntil { Self.members(of: first).count == 3 }, "the first run's group: \(Self.members(of: first))")
        try dir.createFile("change")
        #expect(process.waitUntil { Self.groups(process).count == 2 }, "\(process.err)")
        // The new run started only once nothing of the old group was left.
        #expect(Self.members(of: first) == [], "left of the old group: \(Self.members(of: first))")
        #expect(process.err.contains("restarting"))
        #expect(process.err.contains("killing its process group") == ignoresTerm, "\(process.err)")
        let second = Self.groups(process)[1]
        // SIGTERM (SIGINT in the other case) ends the run the same way:
        // nothing of the command is left.
        process.signal(ignoresTerm ? SIGINT : SIGTERM)
        let finished = process.finish()
        #expect(finished.status == 128 + (ignoresTerm ? SIGINT : SIGTERM), "the conventional status: \(finished.err)")
        #expect(Self.members(of: second) == [], "left of the last group: \(Self.members(of: second))")
    }

    @Test("--on-busy signal sends --signal to the running command and does not run it again")
    func busySignal() throws {
        let dir = try TemporaryDirectory("run-signal")
        let script = #"trap 'echo GOT' USR1; echo READY; while :; do sleep 0.05; done"#
        let process = try start(["--on-busy", "signal", "--signal", "usr1", ".", "--", "sh", "-c", script], in: dir)
        #expect(process.waitFor(stdout: "READY"))
        try dir.createFile("change")
        #expect(process.waitFor(stdout: "GOT"), "\(process.err)")
        process.signal(SIGTERM)
        let finished = process.finish()
        #expect(finished.out.components(separatedBy: "READY").count == 2, "one run only: \(finished.out)")
        #expect(finished.err.contains("sending SIGUSR1"), "\(finished.err)")
    }

    @Test("--on-busy do-nothing drops the changes while the command runs, and says so")
    func busyDoNothing() throws {
        let dir = try TemporaryDirectory("run-nothing")
        let process = try start(["--on-busy", "do-nothing", ".", "--", "sh", "-c", "echo READY; sleep 1000"], in: dir)
        #expect(process.waitFor(stdout: "READY"))
        try dir.createFile("change")
        #expect(process.waitFor(stderr: "not run"), "\(process.err)")
        process.signal(SIGTERM)
        let finished = process.finish()
        #expect(finished.out == "READY\n")
    }

    // MARK: How it ends

    @Test("--exit-after-run exits after the first run that changes started, with the command's status; 128 and the signal when one ended it",
          arguments: [("exit 3", 3), ("exit 0", 0), ("kill -USR1 $$", 128 + Int(SIGUSR1))])
    func exitAfterRun(script: String, status: Int) throws {
        let dir = try TemporaryDirectory("run-once")
        let process = try start(["-z", ".", "--", "sh", "-c", #"echo RUN; "# + script], in: dir)
        // The run at start ends and the run goes on.
        #expect(process.waitUntil { process.err.contains("after") }, "\(process.err)")
        try dir.createFile("go")
        let finished = process.finish()
        #expect(finished.status == Int32(status), "\(finished.err)")
        #expect(finished.out == "RUN\nRUN\n")
    }

    @Test("--exit-after-run with --postpone runs once, after the first batch")
    func exitAfterFirstBatch() throws {
        let dir = try TemporaryDirectory("run-once-postponed")
        let process = try start(["-z", "-p", "--", "sh", "-c", #"cat "$INOTIFY_CHANGES"; exit 4"#], in: dir)
        #expect(process.waitFor(stderr: "watches established"))
        try dir.createFile("go")
        let finished = process.finish()
        #expect(finished.status == 4, "\(finished.err)")
        #expect(Self.paths(finished.out.split(separator: "\n").map(String.init)) == ["./go"])
    }

    @Test("a root that goes away ends the run when nothing else is watched")
    func rootGone() throws {
        let dir = try TemporaryDirectory("run-root")
        try Files.mkdir(dir.appending("r"))
        let process = try start(["r", "--"] + Self.framed, in: dir)
        #expect(process.waitUntil { Self.completeRuns(process) == 1 })
        try Files.rmdir(dir.appending("r"))
        let finished = process.finish()
        #expect(finished.status == 0, "\(finished.err)")
    }

    @Test("a second SIGINT does not wait for --stop-timeout: the command's group is killed at once")
    func secondInterruptKills() throws {
        let dir = try TemporaryDirectory("run-twice")
        let script = #"trap '' TERM INT; sleep 1000 & echo GROUP $$; wait"#
        let process = try start(["--stop-timeout", "10m", ".", "--", "sh", "-c", script], in: dir)
        #expect(process.waitUntil { Self.groups(process).count == 1 }, "\(process.err)")
        let group = Self.groups(process)[0]
        process.signal(SIGINT)
        #expect(process.waitFor(stderr: "SIGINT: stopping"), "\(process.err)")
        // The group ignores the stop's SIGTERM: ten minutes would pass.
        #expect(Self.members(of: group).count == 2, "still there after one SIGINT")
        process.signal(SIGINT)
        let finished = process.finish(timeout: 60)
        #expect(finished.status == 128 + SIGINT, "\(finished.err)")
        #expect(Self.members(of: group) == [])
    }

    @Test("-c clears the screen before each run")
    func clearsTheScreen() throws {
        let dir = try TemporaryDirectory("run-clear")
        let process = try start(["-c", ".", "--", "sh", "-c", "echo RUN"], in: dir)
        #expect(process.waitFor(stdout: "RUN"))
        try dir.createFile("f")
        #expect(process.waitUntil { process.stdout.count >= 2 * 14 })
        process.signal(SIGTERM)
        let finished = process.finish()
        let clear = "\u{1b}[H\u{1b}[2J\u{1b}[3J"
        #expect(finished.out == clear + "RUN\n" + clear + "RUN\n")
    }

    // MARK: Bad input

    @Test("bad arguments: a message naming what is wrong and status 1", arguments: [
        (["."], "no command: give it after '--'"),
        ([".", "--"], "no command after '--'"),
        (["--debounce", "5x", "--", "true"], "--debounce: '5x' is not a duration"),
        (["--max-wait", "-1", "--", "true"], "--max-wait: '-1' is not a duration"),
        (["--stop-timeout", "", "--", "true"], "--stop-timeout: '' is not a duration"),
        (["--on-busy", "later", "--", "true"], "--on-busy: 'later' is not a policy"),
        (["--signal", "SIGFOO", "--", "true"], "--signal: 'SIGFOO' is not a signal"),
        (["--", "no-such-command-here"], "cannot run 'no-such-command-here': no executable of that name in PATH"),
        (["--", "./not-executable"], "cannot run './not-executable': Permission denied"),
        (["--", "./missing"], "cannot run './missing': No such file or directory"),
        (["--", "/"], "cannot run '/': it is a directory"),
        (["missing-dir", "--", "true"], "missing-dir: No such file or directory"),
    ])
    func refuses(arguments: [String], message: String) throws {
        let dir = try TemporaryDirectory("run-bad")
        try dir.createFile("not-executable", contents: "#!/bin/sh\n")
        let finished = try start(arguments, in: dir).finish()
        #expect(finished.status == 1)
        #expect(finished.err.contains(message), "\(finished.err)")
        #expect(finished.out.isEmpty)
    }

    @Test("a TMPDIR where the changes file cannot be made is named, with what to do, before anything runs")
    func unwritableTemporaryDirectory() throws {
        let dir = try TemporaryDirectory("run-tmpdir")
        let finished = try Tools.start("inotify", ["run", ".", "--", "sh", "-c", "echo RAN"], directory: dir.path.string,
                                       environment: ["TMPDIR": dir.path.string + "/missing"]).finish()
        #expect(finished.status == 1)
        #expect(finished.err.contains("missing") && finished.err.contains("set TMPDIR"), "\(finished.err)")
        #expect(finished.out.isEmpty)
    }

    @Test("durations: 50ms, 2s, 1.5s, 1m, and a bare number of milliseconds")
    func durations() throws {
        #expect(try DurationValue.parse("50ms", option: "x") == .milliseconds(50))
        #expect(try DurationValue.parse("2s", option: "x") == .seconds(2))
        #expect(try DurationValue.parse("1.5s", option: "x") == .milliseconds(1500))
        #expect(try DurationValue.parse("1m", option: "x") == .seconds(60))
        #expect(try DurationValue.parse("250", option: "x") == .milliseconds(250))
        #expect(try DurationValue.parse("0", option: "x") == .zero)
        for bad in ["", "ms", "1..5s", ".", "1s2", "-5", "1 s", "１s"] {
            #expect(throws: UsageError.self, "\(bad)") { try DurationValue.parse(bad, option: "x") }
        }
    }

    @Test("the command after the first -- is taken as given, options and all")
    func commandIsNotParsed() {
        let parsed = RunOptions.parse(program: "inotify run", arguments: words(["-q", "src", "--", "make", "-j4", "--", "-q"]))
        guard case .run(let options) = parsed else {
            Issue.record("\(parsed)")
            return
        }
        #expect(options.quiet)
        #expect(options.paths == words(["src"]))
        #expect(options.command == words(["make", "-j4", "--", "-q"]))
    }
}

extension Subprocess {
    /// Standard error so far, as text.
    var err: String { String(decoding: stderr, as: UTF8.self) }
}
