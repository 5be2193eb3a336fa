import Glibc
import Inotify
import InotifyTestSupport
import InotifyTree
import SystemPackage
import Testing
import InotifyTestLanes

/// A real queue overflow at a lowered fs.inotify.max_queued_events (64),
/// reaching the library's stream, the tree (a rescan) and `inotifywait -m`.
/// The sysctl is global, and read by every instance made while it is low:
/// other suites size their overflow tests by it, and some must not
/// overflow, so this suite runs only when asked, alone
/// (`INOTIFY_TEST_GLOBAL_SYSCTL=1 swift test --filter LoweredQueueTests`,
/// as .ci/run does), and puts the old value back whatever happens.
@Suite("A real overflow at a lowered max_queued_events", .inBlockingLane, .serialized, .timeLimit(.minutes(10)),
       .enabled(if: LoweredQueue.asked, "changes a global sysctl: set INOTIFY_TEST_GLOBAL_SYSCTL=1 and run it alone"),
       .enabled(if: LoweredQueue.writable, "needs root to write /proc/sys/fs/inotify/max_queued_events"))
struct LoweredQueueTests {
    static let limit = 64

    @Test("the library's stream: IN_Q_OVERFLOW (wd -1) after exactly the queue's worth of events")
    func libraryStream() async throws {
        let temp = try TemporaryDirectory("queue")
        let inotify = try LoweredQueue.with(Self.limit) { try Inotify() }
        try inotify.addWatch(temp.path, mask: .create)
        for index in 0..<(Self.limit * 3) { try Files.touch(temp.appending("f\(index)")) }
        var before = 0
        var overflow: Inotify.Event?
        for try await event in inotify.events {
            if event.mask.contains(.queueOverflow) {
                overflow = event
                break
            }
            before += 1
            if event.name == "f\(Self.limit * 3 - 1)" { break }  // no overflow: the last one ends the wait
        }
        #expect(overflow.map { $0.wd == -1 } == true)
        #expect(before == Self.limit)
    }

    @Test("the tree: an overflow change, then a rescan, then changes again")
    func tree() async throws {
        let temp = try TemporaryDirectory("queue")
        var options = TreeWatcher.Options()
        // Past one waiting change the watcher stops reading: the kernel's queue fills.
        options.changeBufferLimit = 1
        let tree = try LoweredQueue.with(Self.limit) { try TreeWatcher(root: temp.path, options: options) }
        for index in 0..<(Self.limit * 3) { try Files.touch(temp.appending("f\(index)")) }
        var kinds: [String] = []
        var madeAfter = false
        for try await change in tree.changes {
            switch change.kind {
            case .overflow: kinds.append("overflow")
            case .rescanned:
                kinds.append("rescanned")
                try Files.touch(temp.appending("after"))
                madeAfter = true
            default: break
            }
            if madeAfter, change.path == "after" { break }
        }
        #expect(kinds == ["overflow", "rescanned"])
        tree.close()
    }

    @Test("inotifywait -m: the overflow is said, and the watch goes on")
    func commandLine() throws {
        let temp = try TemporaryDirectory("queue")
        try Files.mkdir(temp.appending("d"))
        let process = try LoweredQueue.with(Self.limit) { () throws -> Subprocess in
            let process = try Tools.start("inotifywait", ["-m", "-e", "create", "--format", "%f", "d"],
                                          directory: temp.path.string)
            // The queue's size is fixed when the instance is made.
            #expect(process.waitFor(stderr: "Watches established."))
            return process
        }
        #expect(process.stop())
        for index in 0..<(Self.limit * 3) { try Files.touch(temp.appending("d/f\(index)")) }
        process.signal(SIGCONT)
        #expect(process.waitFor(stderr: "The kernel's event queue overflowed"))
        try Files.touch(temp.appending("d/after"))
        #expect(process.waitFor(stdout: "after\n"))
        process.signal(SIGTERM)
        let result = process.finish()
        #expect(result.out.split(separator: "\n").count == Self.limit + 1)
    }
}

/// fs.inotify.max_queued_events, lowered for as long as a body runs.
enum LoweredQueue {
    static let path = "/proc/sys/fs/inotify/max_queued_events"
    static let asked = getenv("INOTIFY_TEST_GLOBAL_SYSCTL").map { String(cString: $0) == "1" } ?? false
    static let writable = getuid() == 0 && access(path, W_OK) == 0

    /// Runs `body` with the limit at `value`, and puts the old one back
    /// after it, whether it throws or not.
    static func with<T>(_ value: Int, _ body: () throws -> T) throws -> T {
        let old = try #require(Files.sysctl("max_queued_events"))
        try write(value)
        defer { try? write(old) }
        return try body()
    }

    private static func write(_ value: Int) throws {
        let fd = try FileDescriptor.open(path, .writeOnly)
        try fd.closeAfter { _ = try fd.writeAll(Array("\(value)\n".utf8)) }
    }
}
