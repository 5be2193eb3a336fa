import Foundation
import InotifyTestSupport
import SystemPackage
import Testing
import InotifyTestLanes

/// `inotify wait --json` carries what a consumer needs to resync in the
/// stream itself, in order: overflows, the tree's rescans, the end of a
/// watch, unmounts and directories left unwatched, each a record with a
/// `notice`. Every line of every run is checked to be a JSON object.
@Suite(.inBlockingLane)
struct JSONNoticeTests {
    func string(_ record: [String: Any], _ key: String) -> String? { record[key] as? String }
    func events(_ record: [String: Any]) -> [String] { record["events"] as? [String] ?? [] }

    /// The directory's end, raw and with -r: DELETE_SELF when asked for, then
    /// `ignored` whatever was asked, and once even when IGNORED itself was.
    @Test(arguments: [false, true], [("delete_self", ["DELETE_SELF", "IGNORED"]), ("create", ["IGNORED"]),
                                     ("ignored", ["IGNORED"])])
    func watchEndIsANotice(recursive: Bool, asked: (events: String, expected: [String])) throws {
        let temp = try TemporaryDirectory("cli")
        try Files.mkdir(temp.appending("d"))
        let process = try Tools.start(
            "inotify", ["wait", "-m", "--json", "-e", asked.events] + (recursive ? ["-r"] : []) + ["d"],
            directory: temp.path.string)
        #expect(process.waitFor(stderr: "Watches established."))
        try Files.rmdir(temp.appending("d"))
        let result = process.finish()
        #expect(result.status == 0)
        let records = JSONRecords.parse(result.stdout)
        #expect(records.flatMap(events) == asked.expected)
        #expect(records.map { string($0, "path") } == asked.expected.map { _ in "d/" })
        #expect(records.last.map { string($0, "notice") } == "ignored")
        #expect(records.dropLast().allSatisfy { $0["notice"] == nil })
        #expect(records.last.map { string($0, "name") } == "")
        #expect(result.err.hasSuffix("No watches left: every watched path was deleted or unmounted.\n"))
    }

    /// Notices are data on stdout, not messages: -q leaves them in; -qq
    /// promises nothing on stdout, and keeps that promise.
    @Test(arguments: [(["-q"], 1), (["-qq"], 0), (["-q", "-q"], 0)])
    func quietLevels(_ quiet: [String], records expected: Int) throws {
        let temp = try TemporaryDirectory("cli")
        try Files.mkdir(temp.appending("d"))
        let process = try Tools.start("inotify", ["wait", "-m", "--json", "-e", "create"] + quiet + ["d"],
                                      directory: temp.path.string)
        // Nothing on stderr to wait for: the kernel says when the watch is there.
        #expect(process.waitUntil { process.kernelWatchCount() == 1 })
        try Files.rmdir(temp.appending("d"))
        let result = process.finish()
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        let records = JSONRecords.parse(result.stdout)
        #expect(records.count == expected)
        #expect(JSONRecords.notices(records).map(\.notice) == (expected == 0 ? [] : ["ignored"]))
    }

    /// The child is stopped while more events than the kernel queue holds
    /// happen. In order: what came before the overflow, the overflow, (with
    /// -r) the rescan, then what is done after it.
    @Test(arguments: [false, true])
    func overflowIsARecordInOrder(recursive: Bool) throws {
        let limit = Files.sysctl("max_queued_events") ?? 16_384
        let temp = try TemporaryDirectory("cli")
        try Files.mkdir(temp.appending("d"))
        for name in ["x", "y"] { try Files.touch(temp.appending("d/\(name)")) }
        // Not OPEN or the other events of reading: only what the touches make.
        let process = try Tools.start(
            "inotify", ["wait", "-m", "--json", "-e", "attrib,close_write,create"] + (recursive ? ["-r"] : []) + ["d"],
            directory: temp.path.string)
        #expect(process.waitFor(stderr: "Watches established."))
        #expect(process.stop())
        // ATTRIB, CLOSE_WRITE per touch; alternating names so none merge.
        // From a descriptor table of its own: a child another test spawns
        // meanwhile would hold a touched file open, and its CLOSE_WRITE would
        // come after the overflow (seen in a full run).
        let d = temp.appending("d")
        try withOwnDescriptorTable {
            for round in 0..<(limit / 2 + 100) { try Files.touch(d.appending(round % 2 == 0 ? "x" : "y")) }
        }
        process.signal(SIGCONT)
        #expect(process.waitFor(stdout: #""notice":"overflow""#, timeout: 60))
        if recursive { #expect(process.waitFor(stdout: #""notice":"rescanned""#)) }
        try Files.touch(temp.appending("d/after"))
        #expect(process.waitFor(stdout: #""name":"after","path":"d/after","events":["CLOSE_WRITE","CLOSE"]"#))
        process.signal(SIGTERM)
        let result = process.finish()
        #expect(result.err.contains("overflowed"))
        let records = JSONRecords.parse(result.stdout)
        let notices = JSONRecords.notices(records)
        #expect(notices.map(\.notice) == (recursive ? ["overflow", "rescanned"] : ["overflow"]))
        guard let overflow = records.firstIndex(where: { string($0, "notice") == "overflow" }),
              let after = records.firstIndex(where: { string($0, "name") == "after" })
        else { return }
        // The kernel queued a full queue's worth before the overflow event.
        #expect(overflow >= limit)
        #expect(overflow < after)
        #expect(events(records[overflow]) == ["Q_OVERFLOW"])
        #expect(string(records[overflow], "path") == (recursive ? "d/" : ""))
        if recursive, let rescanned = records.firstIndex(where: { string($0, "notice") == "rescanned" }) {
            #expect(overflow < rescanned && rescanned < after)
            #expect(events(records[rescanned]) == [])
            #expect(string(records[rescanned], "path") == "d/")
            #expect(records[rescanned]["isDirectory"] as? Bool == true)
        }
        // What was lost is lost: nothing from the touches after the overflow.
        #expect(records[(overflow + 1)...].allSatisfy { $0["notice"] != nil || string($0, "name") == "after" })
    }

    /// A tmpfs unmounted inside the tree: an `unmounted` record for each of
    /// its watched directories, and the tree goes on (the covered directory
    /// is watched); nothing says the root ended.
    @Test(.enabled(if: TmpfsMount.permitted, "mounting a tmpfs needs CAP_SYS_ADMIN, which this run lacks"))
    func unmountInsideTheTree() throws {
        let temp = try TemporaryDirectory("cli")
        try Files.mkdir(temp.appending("d"))
        try Files.mkdir(temp.appending("d/m"))
        try TmpfsMount.mount(at: temp.appending("d/m"))
        var mounted = true
        defer { if mounted { try? TmpfsMount.unmount(temp.appending("d/m")) } }
        try Files.mkdir(temp.appending("d/m/sub"))
        let process = try Tools.start("inotify", ["wait", "-m", "-r", "--json", "d"], directory: temp.path.string)
        #expect(process.waitFor(stderr: "Watches established."))
        try TmpfsMount.unmount(temp.appending("d/m"))
        mounted = false
        #expect(process.waitFor(stdout: #""notice":"unmounted""#))
        try Files.touch(temp.appending("d/m/f"))
        #expect(process.waitFor(stdout: #""watched":"d/m/","name":"f","path":"d/m/f","events":["CREATE"]"#))
        process.signal(SIGTERM)
        let records = JSONRecords.parse(process.finish().stdout)
        let notices = JSONRecords.notices(records)
        #expect(notices.allSatisfy { $0.notice == "unmounted" })
        #expect(Set(notices.map(\.path)) == ["d/m/", "d/m/sub/"])
        for record in records where record["notice"] != nil {
            #expect(events(record) == ["UNMOUNT", "ISDIR"])
            #expect(string(record, "name") == "")
        }
        let lastNotice = records.lastIndex { $0["notice"] != nil } ?? records.endIndex
        let created = records.firstIndex { string($0, "path") == "d/m/f" } ?? -1
        #expect(lastNotice < created)
    }

    /// The watched path's own file system unmounted: `unmounted`, then the
    /// watch's end, raw and with -r; then nothing is left to watch.
    @Test(.enabled(if: TmpfsMount.permitted, "mounting a tmpfs needs CAP_SYS_ADMIN, which this run lacks"),
          arguments: [false, true])
    func unmountedRootEndsTheWatch(recursive: Bool) throws {
        let temp = try TemporaryDirectory("cli")
        try Files.mkdir(temp.appending("m"))
        try TmpfsMount.mount(at: temp.appending("m"))
        var mounted = true
        defer { if mounted { try? TmpfsMount.unmount(temp.appending("m")) } }
        let process = try Tools.start("inotify", ["wait", "-m", "--json"] + (recursive ? ["-r"] : []) + ["m"],
                                      directory: temp.path.string)
        #expect(process.waitFor(stderr: "Watches established."))
        try TmpfsMount.unmount(temp.appending("m"))
        mounted = false
        let result = process.finish()
        #expect(result.status == 0)
        let records = JSONRecords.parse(result.stdout)
        let notices = JSONRecords.notices(records)
        #expect(notices.map(\.notice) == ["unmounted", "ignored"])
        #expect(notices.map(\.path) == ["m/", "m/"])
        #expect(records.suffix(2).map(events) == [["UNMOUNT", "ISDIR"], ["IGNORED"]])
    }

    /// At a watch limit of its own (3: the root and two of its three
    /// directories), the tree says which directory it could not watch, and why.
    @Test(.enabled(if: WatchLimit.permitted, "no user namespace can be made here to hold a watch limit of its own"))
    func unwatchedDirectoryIsANotice() throws {
        let temp = try TemporaryDirectory("cli")
        for path in ["d", "d/a", "d/b", "d/c"] { try Files.mkdir(temp.appending(path)) }
        let process = try WatchLimit.start(limit: 3, ["wait", "-m", "-r", "--json", "d"], directory: temp.path.string)
        #expect(process.waitFor(stderr: "Watches established."))
        #expect(process.waitFor(stdout: #""notice":"unwatched""#))
        process.signal(SIGTERM)
        let result = process.finish()
        #expect(result.err.contains("Couldn't watch d/"))
        let records = JSONRecords.parse(result.stdout)
        let unwatched = records.filter { string($0, "notice") == "unwatched" }
        #expect(unwatched.count == 1)
        guard let record = unwatched.first else { return }
        #expect(["d/a/", "d/b/", "d/c/"].contains(string(record, "path") ?? ""))
        #expect(string(record, "watched") == string(record, "path"))
        #expect(string(record, "reason")?.contains("No space left on device") == true)
        #expect(events(record) == [])
        #expect(record["isDirectory"] as? Bool == true)
        #expect(JSONRecords.notices(records).count == 1)
    }
}
