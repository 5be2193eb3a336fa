import Foundation
import InotifyTestSupport
import SystemPackage
import Testing
import InotifyTestLanes

/// The library and the tree watcher at the kernel's own limits, not a
/// simulated errno: `inotify-limit-probe` runs in a user namespace of its
/// own (`unshare -U -r`), whose /proc/sys/user/max_inotify_watches or
/// max_inotify_instances is lowered there without touching the host's. A
/// threaded process cannot enter a new user namespace itself, hence the probe.
@Suite("The kernel's limits, in a user namespace of their own", .inBlockingLane, .timeLimit(.minutes(10)),
       .enabled(if: LimitProbe.permitted, "no user namespace can be made here (unshare -U -r) to hold limits of its own"))
struct LimitProbeTests {
    @Test("addWatch past max_user_watches: ENOSPC saying what to do, and the table holds only the watches made")
    func addWatchAtTheLimit() throws {
        let temp = try TemporaryDirectory("limit")
        for index in 0..<6 { try Files.mkdir(temp.appending(String(index))) }
        let facts = try LimitProbe.run(["watch-limit", temp.path.string], setting: "max_inotify_watches", to: 3)
        #expect(facts["added"] == ["3"])
        #expect(facts["errno"] == ["\(ENOSPC)"])
        let message = facts["message"]?.first ?? ""
        #expect(message.hasPrefix("inotify_add_watch('\(temp.appending("3").string)', mask CREATE): No space left on device (ENOSPC)."))
        #expect(message.contains("fs.inotify.max_user_watches (now 3 in this user namespace, /proc/sys/user/max_inotify_watches)"))
        #expect(message.contains("raise it"))
        #expect(facts["table-matches"] == ["true"])
        #expect(facts["table-has-failed"] == ["false"])
    }

    @Test("Inotify() at max_user_instances: EMFILE naming the limit")
    func instanceAtTheLimit() throws {
        let facts = try LimitProbe.run(["instance-limit"], setting: "max_inotify_instances", to: 0)
        #expect(facts["made"] == nil)
        #expect(facts["errno"] == ["\(EMFILE)"])
        let message = facts["message"]?.first ?? ""
        #expect(message.contains("Too many open files (EMFILE)"))
        #expect(message.contains("fs.inotify.max_user_instances (now 0 in this user namespace, /proc/sys/user/max_inotify_instances)"))
    }

    /// A root and five directories under a limit of 3 watches.
    private func tree() throws -> TemporaryDirectory {
        let temp = try TemporaryDirectory("limit")
        for name in ["a", "b", "c", "d", "e"] { try Files.mkdir(temp.appending(name)) }
        return temp
    }

    @Test("a tree larger than the limit, with .fail: an ENOSPC error naming a directory of the tree and the limit")
    func treeFails() throws {
        let temp = try tree()
        let facts = try LimitProbe.run(["tree-fail", temp.path.string], setting: "max_inotify_watches", to: 3)
        #expect(facts["made"] == nil)
        #expect(facts["errno"] == ["\(ENOSPC)"])
        let message = facts["message"]?.first ?? ""
        #expect(message.hasPrefix("inotify_add_watch('\(temp.path.string)/"))
        #expect(message.contains("fs.inotify.max_user_watches (now 3 in this user namespace"))
    }

    @Test("a tree larger than the limit, with .continueAndReport: each directory left out reported, the rest still reports")
    func treeContinues() throws {
        let temp = try tree()
        let facts = try LimitProbe.run(["tree-continue", temp.path.string], setting: "max_inotify_watches", to: 3)
        #expect(facts["watched"] == ["3"])
        let unwatched = facts["unwatched"] ?? []
        #expect(unwatched.count == 3)
        for line in unwatched {
            #expect(line.contains("No space left on device (ENOSPC)"), "\(line)")
            #expect(line.contains("max_user_watches"), "\(line)")
        }
        let left = Set(unwatched.compactMap { $0.split(separator: " ").first.map(String.init) })
        let created = Set((facts["created"] ?? []).map { String($0.prefix { $0 != "/" }) })
        #expect(created.count == 2)
        #expect(left.isDisjoint(with: created))
        #expect(left.union(created) == ["a", "b", "c", "d", "e"])
        #expect(facts["done"] == ["2 of 2 watched, 3 unwatched"])
    }
}

/// Runs `inotify-limit-probe` (built beside this test bundle) in a new user
/// namespace with one of its inotify limits set, and reads its facts.
enum LimitProbe {
    static let unshare = "/usr/bin/unshare"

    static let probe: String = {
        var directory = FilePath(Bundle.main.executablePath ?? CommandLine.arguments[0]).removingLastComponent()
        if directory.lastComponent?.string.hasSuffix(".xctest") == true { directory.removeLastComponent() }
        let beside = directory.appending("inotify-limit-probe")
        if FileManager.default.isExecutableFile(atPath: beside.string) { return beside.string }
        // swift-testing may run from inside the bundle's directories.
        return FilePath(ProcessInfo.processInfo.arguments[0]).removingLastComponent()
            .appending("inotify-limit-probe").string
    }()

    static let permitted: Bool = {
        guard FileManager.default.isExecutableFile(atPath: unshare),
              let facts = try? run(["usage"], setting: "max_inotify_watches", to: 3)
        else { return false }
        return facts["usage:"] != nil
    }()

    /// The probe's lines, `key value...`, by key, in order. The probe ends
    /// itself after 60 s, so this never waits longer.
    static func run(_ arguments: [String], setting limit: String, to value: Int) throws -> [String: [String]] {
        let script = "echo \(value) > /proc/sys/user/\(limit) && exec \"$@\""
        let output = try TemporaryDirectory("limit-probe-output")
        let file = output.path.appending("out")
        _ = try ChildProcess.run(
            unshare, ["-U", "-r", "/bin/sh", "-c", script, "sh", probe] + arguments,
            environment: ProcessInfo.processInfo.environment, stdout: file, stderr: file)
        let data = try Files.read(file)
        var facts: [String: [String]] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            facts[String(parts[0]), default: []].append(parts.count > 1 ? String(parts[1]) : "")
        }
        return facts
    }
}
