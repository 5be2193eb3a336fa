import Foundation
@_spi(Concurrency) import Inotify
@testable import InotifyCommandLine
import InotifyTestSupport
import InotifyTree
import InotifyTreeTestSupport
import SystemPackage
import Testing
import InotifyTestLanes

/// `inotify wait -m -r`'s output waits in memory only up to a bound: it is
/// written once no change waits (a burst costs one write), and also whenever
/// ``TreeRun/flushThreshold`` bytes wait, so changes that keep coming faster
/// than their lines are made cannot pile the output up.
@Suite("Tree output is bounded in memory", .inBlockingLane, .timeLimit(.minutes(10)))
struct TreeOutputBoundTests {
    /// One batch of 20,000 changes, played by a scripted source and never
    /// followed by an end: the consumer finds changes waiting until it has
    /// taken the last one. Its output goes to a pipe nobody reads. It must
    /// reach the pipe while most of the changes still wait (the consumer
    /// then blocks in write(2), the pipe full), not only once all of them
    /// have been turned into lines in memory.
    @Test("with changes always waiting, --json output is written every flushThreshold bytes, not held until none waits")
    func outputIsWrittenWhileChangesWait() async throws {
        let changes = (0..<20_000).map { Change(.created, path: FilePath("f\($0)"), root: "d", isDirectory: false) }
        let script = ScriptedSource.Script()
        let watcher = try TreeWatcher(source: ScriptedSource(root: "d", script: script))
        script.play(.batch(changes))
        // The whole batch handed over before the consumer starts: from then
        // on, changes wait until it has taken the last one.
        #expect(await eventually(timeout: .seconds(60)) { watcher.pendingChanges == changes.count })
        guard case .run(let options) = WaitOptions.parse(program: "inotifywait", arguments: ["-m", "-r", "--json", "d"].map { Array($0.utf8) })
        else {
            Issue.record("the arguments were refused")
            return
        }
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let (readEnd, writeEnd) = (ends[0], ends[1])
        let diagnostics = Diagnostics(syslog: false, identity: "inotifywait")
        let settings = WaitCommand.Settings(options: options, asked: .allEvents, mask: .allEvents,
                                            descriptor: writeEnd, diagnostics: diagnostics)
        let set = TreeWatchSet(watchers: [(Array("d".utf8), watcher)])
        let run = Task {
            await set.run(timeout: 0, diagnostics: diagnostics) {
                TreeWaitConsumer(settings: settings, sink: LineSink(descriptor: writeEnd), status: ExitStatus())
            }
        }
        func queuedInPipe() -> Int {
            var queued: CInt = 0
            return ioctl(readEnd, UInt(FIONREAD), &queued) == 0 ? Int(queued) : 0
        }
        #expect(await eventually(timeout: .seconds(60)) { queuedInPipe() > 0 || watcher.pendingChanges == 0 })
        let waiting = watcher.pendingChanges
        #expect(queuedInPipe() > 0, "nothing was written")
        // A flush every 64 KiB, and a pipe of 64 KiB: the consumer blocks
        // after some thousand lines at most.
        #expect(waiting > changes.count - 5_000,
                "the first output reached the pipe only once \(changes.count - waiting) of \(changes.count) changes had been taken")

        // Whatever comes, read, so that the consumer can go on and end.
        let drain = Thread {
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while buffer.withUnsafeMutableBytes({ read(readEnd, $0.baseAddress, $0.count) }) > 0 {}
        }
        drain.start()
        set.closeAll()
        _ = await run.value
        close(writeEnd)
        #expect(await eventually { drain.isFinished })
        close(readEnd)
    }
}
