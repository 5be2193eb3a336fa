import Foundation
import InotifyTestSupport
import SystemPackage
import Testing
import InotifyTestLanes

/// Where `inotify wait` does better than inotifywait, each checked against
/// the real kernel: what inotifywait would miss or garble, reported right.
@Suite(.inBlockingLane)
struct WaitImprovementTests {
    /// Lines on stdout, as they arrived.
    func lines(_ process: Subprocess) -> [String] {
        String(decoding: process.stdout, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test(arguments: [nil, Files.tmpfsBase].compactMap { $0 } + ["default"])
    func recursiveReportsFilesCreatedInsideNewDirectories(_ base: String) throws {
        let temp = try TemporaryDirectory("cli-race", in: base == "default" ? nil : base)
        try Files.mkdir(temp.appending("d"))
        let process = try Tools.start("inotify", ["wait", "-m", "-r", "-e", "create", "--format", "%w%f", "d"],
                                      directory: temp.path.string)
        #expect(process.waitFor(stderr: "Watches established."))
        // As fast as one process can: a1/b/c/d then the file f, a hundred times.
        var expected: Set<String> = []
        for index in 1...100 {
            var path = temp.appending("d")
            var relative = "d"
            for part in ["a\(index)", "b", "c", "d"] {
                path.append(part)
                relative += "/" + part
                try Files.mkdir(path)
                expected.insert(relative)
            }
            try Files.touch(path.appending("f"))
            expected.insert(relative + "/f")
        }
        let complete = process.waitUntil(timeout: 30) { expected.isSubset(of: Set(lines(process))) }
        process.signal(SIGTERM)
        let seen = Set(lines(process))
        _ = process.finish()
        #expect(complete, "missed \(expected.subtracting(seen).sorted().prefix(10))")
    }

    @Test func renamedDirectoryReportsItsNewPath() throws {
        let temp = try TemporaryDirectory("cli")
        try Files.mkdir(temp.appending("d"))
        try Files.mkdir(temp.appending("d/old"))
        let process = try Tools.start("inotify", ["wait", "-m", "-r", "-e", "create,move", "d"], directory: temp.path.string)
        #expect(process.waitFor(stderr: "Watches established."))
        try Files.rename(temp.appending("d/old"), temp.appending("d/new"))
        #expect(process.waitFor(stdout: "d/ MOVED_TO,ISDIR new\n"))
        try Files.touch(temp.appending("d/new/f"))
        #expect(process.waitFor(stdout: "d/new/ CREATE f\n"))
        process.signal(SIGTERM)
        let result = process.finish()
        #expect(result.out == "d/ MOVED_FROM,ISDIR old\nd/ MOVED_TO,ISDIR new\nd/new/ CREATE f\n")
    }

    /// The child is stopped while more events than the kernel queue holds
    /// happen; on waking it finds IN_Q_OVERFLOW and must say so.
    @Test(arguments: [false, true])
    func overflowIsReported(recursive: Bool) throws {
        let limit = Files.sysctl("fs/inotify/max_queued_events") ?? 16_384
        let temp = try TemporaryDirectory("cli")
        try Files.mkdir(temp.appending("d"))
        for name in ["x", "y"] { try Files.touch(temp.appending("d/\(name)")) }
        let process = try Tools.start("inotify", ["wait", "-m"] + (recursive ? ["-r"] : []) + ["--format", "%e %f", "d"],
                                      directory: temp.path.string)
        #expect(process.waitFor(stderr: "Watches established."))
        #expect(process.stop())
        // OPEN, ATTRIB, CLOSE_WRITE per touch; alternating names so none
        // merge. From a descriptor table of its own, as JSONNoticeTests'.
        let d = temp.appending("d")
        try withOwnDescriptorTable {
            for round in 0..<(limit / 3 + limit / 10) { try Files.touch(d.appending(round % 2 == 0 ? "x" : "y")) }
        }
        process.signal(SIGCONT)
        // The overflow comes after the queue's 16,384 events, each a line:
        // under load (AddressSanitizer, the whole suite) that takes a while.
        #expect(process.waitFor(stderr: "overflowed", timeout: 60))
        if recursive {
            #expect(process.waitFor(stderr: "Rescanned d"))
            // The tree is still watched after the rescan.
            try Files.mkdir(temp.appending("d/after"))
            try Files.touch(temp.appending("d/after/z"))
            #expect(process.waitFor(stdout: "CREATE z\n"))
        }
        process.signal(SIGTERM)
        _ = process.finish()
    }

    @Test func severalExcludesAllCount() throws {
        let temp = try TemporaryDirectory("cli")
        try Files.mkdir(temp.appending("d"))
        let process = try Tools.start(
            "inotifywait", ["-m", "-e", "create", "--exclude", "\\.tmp$", "--exclude", "\\.swp$", "--format", "%f", "d"],
            directory: temp.path.string)
        #expect(process.waitFor(stderr: "Watches established."))
        for name in ["a.tmp", "b.swp", "keep"] { try Files.touch(temp.appending("d/\(name)")) }
        #expect(process.waitFor(stdout: "keep\n"))
        process.signal(SIGTERM)
        #expect(process.finish().out == "keep\n")
    }

    @Test func jsonLinesKeepEveryName() throws {
        let temp = try TemporaryDirectory("cli")
        try Files.mkdir(temp.appending("d"))
        let process = try Tools.start("inotify", ["wait", "-m", "-e", "create", "--json", "d"], directory: temp.path.string)
        #expect(process.waitFor(stderr: "Watches established."))
        let names: [[UInt8]] = [Array("new\nline".utf8), Array("q\"u,o'te".utf8), [0x66, 0xFF, 0xFE, 0x67], Array("é".utf8)]
        for name in names { try Files.create(in: temp.appending("d"), rawName: name) }
        #expect(process.waitUntil { lines(process).count >= names.count })
        process.signal(SIGTERM)
        let output = process.finish()
        let objects = output.out.split(separator: "\n").map { line -> [String: Any] in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] ?? [:]
        }
        #expect(objects.count == names.count)
        for (object, name) in zip(objects, names) {
            let bytes: [UInt8]
            if let base64 = object["nameBase64"] as? String {
                bytes = Array(Data(base64Encoded: base64) ?? Data())
            } else {
                bytes = Array(((object["name"] as? String) ?? "").utf8)
            }
            #expect(bytes == name)
            #expect(object["watched"] as? String == "d/")
            #expect(object["events"] as? [String] == ["CREATE"])
            #expect(object["isDirectory"] as? Bool == false)
        }
        #expect(objects[2]["name"] as? String == "f\u{FFFD}\u{FFFD}g")
    }

    @Test func nullTerminatedPaths() throws {
        let temp = try TemporaryDirectory("cli")
        try Files.mkdir(temp.appending("d"))
        let process = try Tools.start("inotifywait", ["-m", "-e", "create", "--null", "d"], directory: temp.path.string)
        #expect(process.waitFor(stderr: "Watches established."))
        try Files.create(in: temp.appending("d"), rawName: Array("a\nb".utf8))
        #expect(process.waitUntil { process.stdout.last == 0 })
        process.signal(SIGTERM)
        #expect(process.finish().stdout == Array("d/a\nb".utf8) + [0])
    }

    @Test func outfileIsAppendedTo() throws {
        let temp = try TemporaryDirectory("cli")
        try Files.mkdir(temp.appending("d"))
        let log = temp.appending("log")
        try Files.touch(log)
        try Files.write(log, "before\n")
        let process = try Tools.start("inotifywait", ["-e", "create", "-o", "log", "d"], directory: temp.path.string)
        #expect(process.waitFor(stderr: "Watches established."))
        try Files.touch(temp.appending("d/f"))
        let result = process.finish()
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty)
        #expect(try String(contentsOfFile: log.string, encoding: .utf8) == "before\nd/ CREATE f\n")
    }

    @Test func monitorEndsWhenNothingIsLeftToWatch() throws {
        let temp = try TemporaryDirectory("cli")
        try Files.mkdir(temp.appending("d"))
        for recursive in [false, true] {
            try? Files.mkdir(temp.appending("d"))
            let process = try Tools.start("inotifywait", ["-m"] + (recursive ? ["-r"] : []) + ["d"], directory: temp.path.string)
            #expect(process.waitFor(stderr: "Watches established."))
            try Files.rmdir(temp.appending("d"))
            let result = process.finish()
            #expect(result.status == 0)
            #expect(result.out.contains("d/ DELETE_SELF \n"))
            #expect(result.err.hasSuffix("No watches left: every watched path was deleted or unmounted.\n"))
        }
    }

    @Test func rawEventsInPyInotifyFormat() throws {
        let temp = try TemporaryDirectory("cli")
        try Files.mkdir(temp.appending("d"))
        let process = try Tools.start("inotify", ["events", "-e", "create", "-n", "1", "d"], directory: temp.path.string)
        // No readiness line by design: retry the creation until it is seen.
        var index = 0
        let seen = process.waitUntil(timeout: 20) {
            index += 1
            try? Files.touch(temp.appending("d/file\(index)"))
            return !process.stdout.isEmpty
        }
        let result = process.finish()
        #expect(seen)
        #expect(result.status == 0)
        #expect(result.out.hasPrefix("Event(wd=1, mask=256, cookie=0, len=16, name='file"))
    }
}
