@_spi(Concurrency) import Inotify
@testable import InotifyCommandLine
import InotifyTree
import InotifyTreeTestSupport
import SystemPackage
import Testing
import InotifyTestLanes

/// `-r`'s output made from a scripted source, with no kernel: every format
/// prints from what a change says in neutral terms (kind, path, whether a
/// directory, whether the directory's own word, the rename's tracker), so a
/// source other than inotify needs no change to the output code; and the
/// kernel's truths (overflow, rescan, unmount, a directory left unwatched,
/// the root's end) still reach `--json` as notices.
@Suite("Tree output from the neutral payload", .inBlockingLane, .timeLimit(.minutes(10)))
struct TreeOutputTests {
    static let root: FilePath = "d"

    static func change(
        _ kind: Change.Kind, _ path: FilePath, isDirectory: Bool = false, foundByScan: Bool = false,
        isSelfEvent: Bool = false, tracker: UInt32? = nil
    ) -> Change {
        Change(kind, path: path, root: root, isDirectory: isDirectory, foundByScan: foundByScan,
               isSelfEvent: isSelfEvent, tracker: tracker)
    }

    /// Every kind, as a source would say it, and the inotifywait line each gives.
    static let script: [(change: Change, lines: [String])] = [
        (change(.created, "f"), ["d/ CREATE f"]),
        (change(.created, "sub", isDirectory: true, foundByScan: true), ["d/ CREATE,ISDIR sub"]),
        (change(.created, "sub/g", foundByScan: true), ["d/sub/ CREATE g"]),
        (change(.modified, "sub/g"), ["d/sub/ MODIFY g"]),
        (change(.closedAfterWrite, "sub/g"), ["d/sub/ CLOSE_WRITE,CLOSE g"]),
        (change(.attributesChanged, "sub", isDirectory: true, isSelfEvent: true), ["d/sub/ ATTRIB,ISDIR "]),
        (change(.attributesChanged, "sub", isDirectory: true), ["d/ ATTRIB,ISDIR sub"]),
        (change(.opened, "f"), ["d/ OPEN f"]),
        (change(.accessed, "f"), ["d/ ACCESS f"]),
        (change(.closedWithoutWrite, "f"), ["d/ CLOSE_NOWRITE,CLOSE f"]),
        (change(.moved(from: "f"), "sub/h", tracker: 7), ["d/ MOVED_FROM f", "d/sub/ MOVED_TO h"]),
        (change(.moved(from: "sub"), "sub2", isDirectory: true, foundByScan: true),
         ["d/ MOVED_FROM,ISDIR sub", "d/ MOVED_TO,ISDIR sub2"]),
        (change(.movedOut, "sub2/h", tracker: 5), ["d/sub2/ MOVED_FROM h"]),
        (change(.movedIn, "in", isDirectory: true, tracker: 6), ["d/ MOVED_TO,ISDIR in"]),
        (change(.overflow, "", isDirectory: true), []),
        (change(.rescanned, "", isDirectory: true), []),
        (change(.unmounted, "m", isDirectory: true, isSelfEvent: true), ["d/m/ UNMOUNT,ISDIR "]),
        (change(.unwatched(reason: "No space left on device"), "m/x", isDirectory: true), []),
        (change(.selfDeleted, "in", isDirectory: true, isSelfEvent: true), ["d/in/ DELETE_SELF "]),
        (change(.selfMoved, "sub2", isDirectory: true, isSelfEvent: true), ["d/sub2/ MOVE_SELF "]),
        (change(.deleted, "in", isDirectory: true), ["d/ DELETE,ISDIR in"]),
        (change(.becameIgnored, "x"), []),
        (change(.ignoreProblem(IgnoreProblem(file: "d/.gitignore", line: 1, message: "never matches")), ".gitignore"), []),
        (change(.rootDeleted, "", isDirectory: true, isSelfEvent: true), ["d/ DELETE_SELF "]),
    ]

    /// What `printer` prints for `changes`, fed to a watcher by a scripted
    /// source in two batches, through ``TreeWatchSet``'s run and consumers
    /// made as the wait command makes its own: a notice (with `--json`)
    /// in place of a change's lines, and the root's end once the source ends.
    static func printed(_ changes: [Change], _ printer: Printer) async throws -> [UInt8] {
        let script = ScriptedSource.Script()
        let watcher = try TreeWatcher(source: ScriptedSource(root: root, script: script))
        let half = changes.count / 2
        script.play(.batch(Array(changes[..<half])))
        script.play(.batch(Array(changes[half...])))
        script.play(.end)
        let set = TreeWatchSet(watchers: [(Array("d".utf8), watcher)])
        let sink = Sink()
        let stop = await set.run(timeout: 0, diagnostics: Diagnostics(syslog: false, identity: "inotifywait")) {
            PrintingConsumer(printer: printer, sink: sink)
        }
        #expect(stop == .ended)
        return sink.bytes.withLock { $0 }
    }

    static func lines(_ bytes: [UInt8]) -> [String] {
        String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    @Test("inotifywait's lines: every kind of change, each with its directory, its name and inotify's names for it")
    func inotifywaitLines() async throws {
        let out = try await Self.printed(Self.script.map(\.change), .format(.standard, nil))
        #expect(Self.lines(out) == Self.script.flatMap(\.lines))
    }

    @Test("the lines come from the neutral facts alone: a raw record that says otherwise changes nothing")
    func rawRecordIsNotRead() async throws {
        let misleading = Change.Raw.inotify(Change.InotifyEvents(
            [Inotify.Event(wd: 99, mask: [.access, .isDir], cookie: 1234, len: 16, nameBytes: Array("other".utf8))]))
        let withRaw = Self.script.map(\.change).map {
            Change($0.kind, path: $0.path, root: $0.root, isDirectory: $0.isDirectory, foundByScan: $0.foundByScan,
                   isSelfEvent: $0.isSelfEvent, tracker: $0.tracker, raw: misleading)
        }
        let printer = Printer.format(EventFormat(parsing: Array("%w|%f|%e|%c".utf8), newline: true), nil)
        let plain = Self.lines(try await Self.printed(Self.script.map(\.change), printer))
        let recorded = Self.lines(try await Self.printed(withRaw, printer))
        // Alike but for the cookie a rename found by a listing is given, a new one each time.
        func masked(_ lines: [String]) -> [String] {
            lines.map { line in
                let foundByListing = line.contains("|sub|MOVED_FROM,ISDIR|") || line.contains("|sub2|MOVED_TO,ISDIR|")
                guard foundByListing, let cookie = line.lastIndex(of: "|") else { return line }
                return String(line[..<cookie])
            }
        }
        #expect(masked(plain) == masked(recorded))
        #expect(plain.count == Self.script.flatMap(\.lines).count)
        #expect(!recorded.contains { $0.contains("other") || $0.contains("4d2") })
    }

    @Test("--format's %c is the rename's tracker, the same on both halves; a rename with none gets one of its own")
    func cookies() async throws {
        let printer = Printer.format(EventFormat(parsing: Array("%f %e %c".utf8), newline: true), nil)
        let lines = Self.lines(try await Self.printed(Self.script.map(\.change), printer))
        #expect(lines.contains("f MOVED_FROM 7") && lines.contains("h MOVED_TO 7"))
        #expect(lines.contains("h MOVED_FROM 5") && lines.contains("in MOVED_TO,ISDIR 6"))
        #expect(lines.contains("f CREATE 0"))
        let found = lines.filter { $0.hasPrefix("sub MOVED_FROM,ISDIR ") || $0.hasPrefix("sub2 MOVED_TO,ISDIR ") }
        let cookies = Set(found.map { $0.split(separator: " ").last.map(String.init) ?? "" })
        #expect(found.count == 2 && cookies.count == 1)
        #expect(!cookies.contains("0") && !cookies.contains("7"))
    }

    @Test("-c: inotifywait's CSV, quoted where a field holds a comma")
    func csv() async throws {
        let lines = Self.lines(try await Self.printed(Self.script.map(\.change), .csv))
        #expect(lines.count == Self.script.flatMap(\.lines).count)
        #expect(lines.first == "d/,CREATE,f")
        #expect(lines.contains("d/sub/,\"ATTRIB,ISDIR\","))
        #expect(lines.contains("d/,\"CLOSE_NOWRITE,CLOSE\",f"))
        #expect(lines.last == "d/,DELETE_SELF,")
    }

    @Test("--json: a record per line, and the stream's own truths as notices in order, ending with the root's")
    func json() async throws {
        let out = try await Self.printed(Self.script.map(\.change), .json)
        let records = JSONRecords.parse(out)
        let notices = JSONRecords.notices(records)
        #expect(notices.map(\.notice) == ["overflow", "rescanned", "unmounted", "unwatched", "ignored"])
        #expect(notices.map(\.path) == ["d/", "d/", "d/m/", "d/m/x/", "d/"])
        let byNotice = Dictionary(records.compactMap { record in (record["notice"] as? String).map { ($0, record) } },
                                  uniquingKeysWith: { first, _ in first })
        #expect(byNotice["overflow"]?["events"] as? [String] == ["Q_OVERFLOW"])
        #expect(byNotice["unmounted"]?["events"] as? [String] == ["UNMOUNT", "ISDIR"])
        #expect(byNotice["unwatched"]?["reason"] as? String == "No space left on device")
        #expect(byNotice["rescanned"]?["isDirectory"] as? Bool == true)
        #expect(byNotice["ignored"]?["events"] as? [String] == ["IGNORED"])
        // Everything else is an event record, in the order of the lines.
        let events = records.filter { $0["notice"] == nil }
        let expected = Self.script.flatMap(\.lines).filter { !$0.contains("UNMOUNT") }
        #expect(events.count == expected.count)
        #expect(events.first?["path"] as? String == "d/f")
        let moved = events.filter { ($0["cookie"] as? Int) == 7 }
        #expect(moved.map { $0["events"] as? [String] ?? [] } == [["MOVED_FROM"], ["MOVED_TO"]])
        #expect(moved.map { $0["path"] as? String ?? "" } == ["d/f", "d/sub/h"])
    }
}

/// Finished output, gathered from the roots' tasks.
final class Sink: Sendable {
    let bytes = Lock<[UInt8]>([])
}

/// One root's changes printed as `inotify wait -m -r` prints them, notices
/// included: the pieces the wait command's consumer is made of.
struct PrintingConsumer: TreeConsumer {
    var printer: Printer
    let sink: Sink
    var out: [UInt8] = []
    var lines: TreeLines? = nil

    init(printer: Printer, sink: Sink) {
        self.printer = printer
        self.sink = sink
    }

    mutating func consume(_ change: Change, root: [UInt8]) -> Bool {
        if lines == nil { lines = TreeLines(root: root) }
        var noticed = false
        if printer.writesNotices {
            lines!.forEachNotice(change) { line, notice in
                printer.appendNotice(line, notice, to: &out)
                noticed = true
            }
        }
        if !noticed { lines!.forEachLine(change) { printer.append($0, to: &out) } }
        return true
    }

    mutating func streamEnded(root: [UInt8], closed: Bool) {
        guard printer.writesNotices, !closed else { return }
        if lines == nil { lines = TreeLines(root: root) }
        lines!.withRootEnd { line, notice in printer.appendNotice(line, notice, to: &out) }
    }

    mutating func flush() {
        let finished = out
        out.removeAll(keepingCapacity: true)
        sink.bytes.withLock { $0 += finished }
    }
}
