import Glibc
import InotifyTestSupport
import SystemPackage
import Testing
import InotifyTestLanes

/// `inotifywait` and `inotifywatch` at the kernel's real limits, in a user
/// namespace whose own limits are lowered (``WatchLimit``), beside
/// inotify-tools under the same limits when installed.
@Suite("The command line at inotify's limits", .inBlockingLane, .timeLimit(.minutes(10)),
       .enabled(if: WatchLimit.permitted, "no user namespace can be made here to hold limits of its own"))
struct LimitCommandTests {
    static let tools = ["inotifywait", "inotifywatch"]

    private static func command(_ tool: String) -> String { tool == "inotifywait" ? "wait" : "stats" }
    private static func reference(_ tool: String) -> String? {
        tool == "inotifywait" ? Tools.inotifywait : Tools.inotifywatch
    }

    private func tree() throws -> TemporaryDirectory {
        let temp = try TemporaryDirectory("cli-limit")
        for path in ["t", "t/a", "t/b", "t/c", "t/d", "t/e"] { try Files.mkdir(temp.appending(path)) }
        return temp
    }

    /// Four paths under a limit of three watches: inotify-tools' two lines
    /// naming the fourth, status 1.
    @Test("more paths than max_user_watches: 'upper limit on inotify watches reached!', status 1, as inotify-tools",
          arguments: tools)
    func pathsPastTheWatchLimit(_ tool: String) throws {
        let temp = try tree()
        let arguments = ["-t", "1", "t/a", "t/b", "t/c", "t/d"]
        let result = try WatchLimit.start("max_inotify_watches", 3, command: [Tools.inotify, Self.command(tool)] + arguments,
                                          directory: temp.path.string).finish()
        let expected = "Failed to watch t/d; upper limit on inotify watches reached!\n"
            + "Please increase the amount of inotify watches allowed per user via `/proc/sys/fs/inotify/max_user_watches'.\n"
        #expect(result.status == 1)
        #expect(result.err.hasSuffix(expected))
        if let reference = Self.reference(tool) {
            let theirs = try WatchLimit.start("max_inotify_watches", 3, command: [reference] + arguments,
                                              directory: temp.path.string).finish()
            #expect(theirs.status == result.status)
            #expect(theirs.err == result.err)
        }
    }

    /// No instance can be made: inotify-tools' two lines, before anything
    /// else is said, status 1.
    @Test("max_user_instances 0: 'Couldn't initialize inotify', status 1, as inotify-tools",
          arguments: tools.flatMap { tool in [(tool, false), (tool, true)] })
    func noInstance(_ tool: String, recursive: Bool) throws {
        let temp = try tree()
        let arguments = (recursive ? ["-r"] : []) + ["-t", "1", "t"]
        let result = try WatchLimit.start("max_inotify_instances", 0, command: [Tools.inotify, Self.command(tool)] + arguments,
                                          directory: temp.path.string).finish()
        #expect(result.status == 1)
        #expect(result.err == "Couldn't initialize inotify: Too many open files\n"
            + "Try increasing the value of /proc/sys/fs/inotify/max_user_instances\n")
        if let reference = Self.reference(tool) {
            let theirs = try WatchLimit.start("max_inotify_instances", 0, command: [reference] + arguments,
                                              directory: temp.path.string).finish()
            #expect(theirs.status == result.status)
            #expect(theirs.err == result.err)
        }
    }

    /// With -r, inotify-tools gives up at the limit (its two lines, status
    /// 1) and watches nothing. Ours, as the README says, names each
    /// directory left unwatched, with the limit that holds here, and goes on
    /// watching the rest: a difference kept on purpose.
    @Test("-r over more directories than max_user_watches: each left out named with the limit, the run goes on",
          arguments: tools)
    func treePastTheWatchLimit(_ tool: String) throws {
        let temp = try tree()
        let process = try WatchLimit.start("max_inotify_watches", 3,
                                           command: [Tools.inotify, Self.command(tool), "-r", "t"],
                                           directory: temp.path.string)
        let verb = tool == "inotifywait" ? "Couldn't watch" : "Failed to watch"
        #expect(process.waitUntil {
            String(decoding: process.stderr, as: UTF8.self).components(separatedBy: "\(verb) t/").count == 4
        })
        process.signal(SIGINT)
        let result = process.finish()
        let lines = result.err.split(separator: "\n").filter { $0.hasPrefix("\(verb) t/") }
        #expect(lines.count == 3)
        for line in lines {
            #expect(line.contains("No space left on device (ENOSPC)"))
            #expect(line.contains("max_user_watches (now 3 in this user namespace, /proc/sys/user/max_inotify_watches)"))
        }
        if let reference = Self.reference(tool) {
            let theirs = try WatchLimit.start("max_inotify_watches", 3, command: [reference, "-r", "-t", "1", "t"],
                                              directory: temp.path.string).finish()
            #expect(theirs.status == 1)
            #expect(theirs.err.contains("upper limit on inotify watches reached!"))
        }
    }
}
