// The executable's own reads, failed through the seam: the plan reaches the
// child in INOTIFY_FAULT_PLAN, which builds with faults compiled in (debug) read.
#if INOTIFY_FAULTS
import InotifyTestSupport
import SystemPackage
import Testing
import InotifyTestLanes

@Suite("Faults in the command line's reads of events", .inBlockingLane, .timeLimit(.minutes(10)))
struct ReadFaultTests {
    /// Runs `inotify wait -e create DIR` under `plan`, makes one file once
    /// the watch is set up, and returns how the run ended.
    private func waitForOneCreate(plan: String) throws -> (Subprocess.Finished, FilePath) {
        let dir = try TemporaryDirectory("read-fault")
        let process = try Tools.start("inotify", ["wait", "-e", "create", dir.path.string],
                                      environment: ["INOTIFY_FAULT_PLAN": plan])
        #expect(process.waitFor(stderr: "Watches established."))
        try dir.createFile("made")
        return (process.finish(), dir.path)
    }

    @Test("an EINTR storm in read and poll is retried: the event is printed and the status is 0")
    func interruptStorm() throws {
        let (result, dir) = try waitForOneCreate(plan: "read=EINTR*1000;poll=EINTR*1000")
        #expect(result.status == 0, "stderr: \(result.err)")
        #expect(result.out == "\(dir.string)/ CREATE made\n")
        #expect(!result.err.contains("Couldn't"))
    }

    @Test("EAGAIN from read waits again: the event is printed and the status is 0")
    func wouldBlock() throws {
        let (result, dir) = try waitForOneCreate(plan: "read=EAGAIN*3")
        #expect(result.status == 0, "stderr: \(result.err)")
        #expect(result.out == "\(dir.string)/ CREATE made\n")
        #expect(!result.err.contains("Couldn't"))
    }

    /// A command that reads events itself, and what an event it read looks
    /// like on standard output (stats prints nothing until the end).
    struct Reader: Sendable, CustomTestStringConvertible {
        let arguments: [String]
        let printed: String?
        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let readers = [
        Reader(arguments: ["wait", "-m", "-e", "create"], printed: " CREATE f"),
        Reader(arguments: ["events", "-e", "create"], printed: "mask=256, cookie=0, len=16, name='f"),
        Reader(arguments: ["stats", "-e", "create"], printed: nil),
    ]

    @Test("a read that fails ends the run with status 1 and a message naming the read; what came before is printed",
          arguments: readers)
    func failingRead(_ reader: Reader) throws {
        let dir = try TemporaryDirectory("read-fault")
        // The first read goes through, the second fails.
        let process = try Tools.start("inotify", reader.arguments + [dir.path.string],
                                      environment: ["INOTIFY_FAULT_PLAN": "read=pass,EIO"])
        // Files are made until the second read has failed: `events` says
        // nothing when its watch is set up, so none is made before it is.
        var made = 0
        let failed = process.waitUntil {
            if String(decoding: process.stderr, as: UTF8.self).contains("Couldn't read inotify events") { return true }
            _ = try? dir.createFile("f\(made)")
            made += 1
            return false
        }
        let result = process.finish()
        #expect(failed, "stderr: \(result.err)")
        #expect(result.status == 1)
        #expect(result.err.contains("Couldn't read inotify events: Input/output error\n"))
        if let printed = reader.printed {
            #expect(result.out.contains(printed), "stdout: \(result.out)")
        }
    }
}
#endif
