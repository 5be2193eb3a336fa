import Foundation
import InotifyTestSupport
import SystemPackage
import Testing
import InotifyTestLanes

/// `-d`: the command returns at once and a daemon appends events to the
/// `-o` file, with relative paths still meaning what they meant.
@Suite(.inBlockingLane)
struct WaitDaemonTests {
    /// The pids whose command line mentions `marker`.
    func processes(mentioning marker: String) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry),
                  let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline")
            else { return nil }
            return String(decoding: data, as: UTF8.self).contains(marker) ? pid : nil
        }
    }

    @Test func daemonAppendsToTheOutfile() async throws {
        let temp = try TemporaryDirectory("cli-daemon")
        try Files.mkdir(temp.appending("d"))
        let log = temp.appending("events.log")
        let marker = log.string
        let result = try Tools.run("inotifywait", ["-d", "-q", "-o", marker, "-e", "create", "d"], directory: temp.path.string)
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty)
        let daemons = processes(mentioning: marker)
        defer { for pid in processes(mentioning: marker) { kill(pid, SIGTERM) } }
        #expect(daemons.count == 1)
        // The daemon is watching once its inotify instance holds a watch.
        var index = 0
        // -q: nothing for syslog, which without a syslog daemon writes to the console.
        let logged = await eventually(timeout: .seconds(120)) {  // a hang guard: the daemon may start late on a loaded machine
            index += 1
            try? Files.touch(temp.appending("d/f\(index)"))
            let text = (try? String(contentsOfFile: log.string, encoding: .utf8)) ?? ""
            return text.hasPrefix("d/ CREATE f")
        }
        #expect(logged, "log: \((try? String(contentsOfFile: log.string, encoding: .utf8)) ?? "none")")
    }
}
