// Both commands, with and without -r, under a fault in each system call they
// depend on (planned for the child in INOTIFY_FAULT_PLAN): the run ends with
// status 1 and a message naming what failed and why, never a crash or a hang.
#if INOTIFY_FAULTS
import Glibc
import InotifyTestSupport
import SystemPackage
import Testing
import InotifyTestLanes

@Suite("The commands' system calls x the errnos each can return", .inBlockingLane, .timeLimit(.minutes(10)))
struct CommandFaultMatrixTests {
    /// One fault, and what the message about it says.
    struct Fault: Sendable {
        let plan: String
        /// What the message must hold: from each group, one of its texts (what
        /// failed, in inotify-tools' words or the library's, and why).
        let mentions: [[String]]
        /// Whether the fault comes before the watches are set up.
        let early: Bool
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let command: [String]
        let fault: Fault
        var testDescription: String { "\(command.joined(separator: " ")) with \(fault.plan)" }
    }

    /// A read's failure in inotify-tools' words (a command's own reads) or
    /// the library's (a tree watcher's, `read(...)`).
    static let readFailed = ["Couldn't read", "Couldn't wait", "read("]

    static let faults: [Fault] = [
        Fault(plan: "inotifyInit1=EMFILE", mentions: [["Couldn't initialize inotify"], ["Too many open files"]], early: true),
        Fault(plan: "inotifyInit1=ENFILE", mentions: [["Couldn't initialize inotify"], ["Too many open files in system"]], early: true),
        Fault(plan: "inotifyInit1=ENOMEM", mentions: [["Couldn't initialize inotify"], ["Cannot allocate memory"]], early: true),
        Fault(plan: "inotifyAddWatch=ENOSPC", mentions: [["upper limit on inotify watches reached"]], early: true),
        Fault(plan: "inotifyAddWatch=ENOMEM", mentions: [["watch"], ["Cannot allocate memory"]], early: true),
        Fault(plan: "inotifyAddWatch=EACCES", mentions: [["watch"], ["Permission denied"]], early: true),
        Fault(plan: "read=EIO*1000", mentions: [readFailed, ["Input/output error"]], early: false),
        Fault(plan: "read=EINVAL*1000", mentions: [readFailed, ["Invalid argument"]], early: false),
        Fault(plan: "poll=ENOMEM*1000", mentions: [readFailed, ["Cannot allocate memory"]], early: false),
        Fault(plan: "write@stdout=EIO", mentions: [["Couldn't write"], ["Input/output error"]], early: false),
        Fault(plan: "write@stdout=ENOSPC", mentions: [["Couldn't write"], ["No space left on device"]], early: false),
        Fault(plan: "write@stdout=EPIPE", mentions: [["Couldn't write"], ["Broken pipe"]], early: false),
    ]

    /// stats prints its table when its timeout ends it, after the events
    /// made once its watches were set up have been counted.
    static let commands: [[String]] = [["wait", "-m"], ["wait", "-m", "-r"], ["stats", "-t", "1"], ["stats", "-t", "1", "-r"]]

    static let cases: [Case] = commands.flatMap { command in faults.map { Case(command: command, fault: $0) } }

    @Test("a failing system call ends the run with status 1 and a message naming it", arguments: cases)
    func faultEndsTheRun(_ testCase: Case) throws {
        let dir = try TemporaryDirectory("command-fault")
        try dir.makeDirectory("sub")
        let stats = testCase.command[0] == "stats"
        let process = try Tools.start("inotify", testCase.command + [dir.path.string],
                                      environment: ["INOTIFY_FAULT_PLAN": testCase.fault.plan])
        let ready = stats ? "Finished establishing watches" : "Watches established."
        let established = process.waitFor(stderr: ready)
        #expect(established != testCase.fault.early, "stderr: \(String(decoding: process.stderr, as: UTF8.self))")
        if established {
            try dir.createFile("made")
            try dir.createFile("sub/made")
        }
        let result = process.finish(timeout: 20)
        #expect(result.status == 1, "stderr: \(result.err)")
        for texts in testCase.fault.mentions {
            #expect(texts.contains { result.err.contains($0) }, "none of \(texts) in stderr: \(result.err)")
        }
    }
}
#endif
