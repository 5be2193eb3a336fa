import InotifyTestSupport
import SystemPackage
import Testing
import InotifyTestLanes

/// Runs `inotifywait ARGUMENTS -e create d` in `temp`, which holds `d`, with
/// `environment` set: a run that stops before it watches anything ends by
/// itself.
private func runInotifywait(
    _ arguments: [String], in temp: TemporaryDirectory, environment: [String: String] = [:]
) throws -> Subprocess.Finished {
    try Files.mkdir(temp.appending("d"))
    return try Tools.start("inotifywait", arguments + ["-e", "create", "d"], directory: temp.path.string,
                           environment: environment).finish()
}

/// An `-o` file that cannot be opened ends the run before anything is
/// watched: inotifywait's message naming the path, and status 1.
@Suite("An -o file that cannot be opened", .inBlockingLane, .timeLimit(.minutes(10)))
struct OutputFileFailureTests {
    /// Options before the path, and what is said about it.
    struct Case: Sendable, CustomTestStringConvertible {
        let options: [String]
        let message: String
        var testDescription: String { options.joined(separator: " ") }
    }

    static let cases = [
        Case(options: ["-o"], message: "Failed to open output file nodir/log\n"),
        // -d resolves the path before it detaches, so the failure is still the command's own.
        Case(options: ["-d", "-o"], message: "No such file or directory: nodir/log\n"),
    ]

    @Test("a path in a directory that does not exist: a message naming it, status 1, nothing made, as inotifywait",
          arguments: cases)
    func pathInMissingDirectory(_ example: Case) throws {
        let temp = try TemporaryDirectory("cli-outfile")
        let result = try runInotifywait(example.options + ["nodir/log"], in: temp)
        #expect(result.status == 1)
        #expect(result.err == example.message)
        #expect(result.out.isEmpty)
        #expect(!Files.exists(temp.appending("nodir")))
        if let reference = Tools.inotifywait {
            let arguments = example.options + ["nodir/log", "-e", "create", "d"]
            let theirs = try Subprocess(reference, arguments.map { Array($0.utf8) }, argv0: "inotifywait",
                                        directory: temp.path.string).finish()
            #expect(theirs.status == result.status)
            #expect(theirs.err == result.err)
        }
    }
}

#if INOTIFY_FAULTS
/// The same refusals made by the seam in the child (`INOTIFY_FAULT_PLAN`):
/// what a root test cannot make the kernel refuse, and the calls around the
/// open that inotifywait does not check.
@Suite("Faults in opening the -o file", .inBlockingLane, .timeLimit(.minutes(10)))
struct OutputFileFaultTests {
    /// A plan, the options it is given with, and what is said about it.
    struct Case: Sendable, CustomTestStringConvertible {
        let plan: String
        let options: [String]
        let message: String
        var testDescription: String { "\(plan) with \(options.joined(separator: " "))" }
    }

    static let cases = [
        Case(plan: "open@log=EACCES", options: ["-o", "log"], message: "Failed to open output file log\n"),
        Case(plan: "dup2@log=EBADF", options: ["-o", "log"],
             message: "Couldn't redirect output to log: Bad file descriptor\n"),
        Case(plan: "realpath@log=EACCES", options: ["-d", "-o", "log"], message: "Permission denied: log\n"),
        Case(plan: "daemon=EAGAIN", options: ["-d", "-o", "log"], message: "Failed to daemonize!\n"),
    ]

    @Test("a refused call ends the run before anything is watched: the message naming the path, status 1",
          arguments: cases)
    func refused(_ example: Case) throws {
        let temp = try TemporaryDirectory("cli-outfile-fault")
        let result = try runInotifywait(example.options, in: temp, environment: ["INOTIFY_FAULT_PLAN": example.plan])
        #expect(result.status == 1)
        #expect(result.err == example.message)
        #expect(result.out.isEmpty)
    }
}
#endif
