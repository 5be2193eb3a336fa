import Foundation
import Inotify
import InotifyTestSupport
import InotifyTree
import SystemPackage
import Testing
import InotifyTestLanes

@Suite("Changes as JSON, byte for byte", .inBlockingLane, .timeLimit(.minutes(10)))
struct ChangeCodableTests {
    /// A path whose last name is `name`'s bytes, exactly.
    func path(_ directory: String, _ name: [UInt8]) -> FilePath {
        let bytes = Array(directory.utf8) + [UInt8(ascii: "/")] + name + [0]
        return bytes.map { CChar(bitPattern: $0) }.withUnsafeBufferPointer { FilePath(platformString: $0.baseAddress!) }
    }

    @Test("a change encodes flat: its kind's name and payload beside its paths and flags, the source's raw record under its name")
    func changeJSON() throws {
        let event = Inotify.Event(wd: 1, mask: .create, len: 16, nameBytes: Array("new.txt".utf8))
        let change = Change(
            .created, path: "a/new.txt", root: "/srv/data", isDirectory: false,
            raw: .inotify(Change.InotifyEvents([event])))
        let (decoded, json) = try jsonRoundTrip(change)
        #expect(json == #"{"foundByScan":false,"inotify":[{"cookie":0,"len":16,"mask":256,"name":"new.txt","wd":1}],"#
            + #""isDirectory":false,"isSelfEvent":false,"kind":"created","path":"a\/new.txt","root":"\/srv\/data"}"#)
        #expect(decoded == change)
        let neutral = Change(.moved(from: "x"), path: "y", root: "/r", isDirectory: true, isSelfEvent: false, tracker: 7)
        let (decodedNeutral, neutralJSON) = try jsonRoundTrip(neutral)
        #expect(neutralJSON == #"{"foundByScan":false,"from":"x","isDirectory":true,"isSelfEvent":false,"kind":"moved","#
            + #""path":"y","root":"\/r","tracker":7}"#)
        #expect(decodedNeutral == neutral)
        #expect(decodedNeutral.raw == nil)
    }

    @Test("every kind round-trips, with paths, names and an ignore file that are not UTF-8")
    func everyKindRoundTrips() throws {
        let odd: [UInt8] = [0x66, 0xFF, 0x80]
        let root = path("/tmp/r", [0xFE])
        let problem = IgnoreProblem(file: path(".", odd), line: 3, message: "never matches")
        let from = Inotify.Event(wd: 2, mask: .movedFrom, cookie: 9, len: 16, nameBytes: odd)
        let to = Inotify.Event(wd: 3, mask: [.movedTo, .isDir], cookie: 9, len: 16, nameBytes: Array("b".utf8))
        let kinds: [Change.Kind] = [
            .created, .modified, .attributesChanged, .closedAfterWrite, .deleted, .moved(from: path("a", odd)),
            .opened, .accessed, .closedWithoutWrite, .movedIn, .movedOut, .selfDeleted, .selfMoved,
            .rootDeleted, .rootMoved, .unmounted, .overflow, .rescanned,
            .unwatched(reason: "no permission"), .ignoreProblem(problem), .becameIgnored,
        ]
        for kind in kinds {
            let change = Change(
                kind, path: path("d", odd), root: root, isDirectory: true, foundByScan: true, isSelfEvent: true,
                tracker: 9, raw: .inotify(Change.InotifyEvents([from, to])))
            let (decoded, _) = try jsonRoundTrip(change)
            #expect(decoded == change, "\(kind)")
            #expect(decoded.kind == kind)
            #expect(decoded.absolutePath == change.absolutePath)
            #expect(decoded.inotifyEvents.map(\.nameBytes) == [odd, Array("b".utf8)])
        }
        let (decodedKind, json) = try jsonRoundTrip(Change.Kind.moved(from: path("a", odd)))
        #expect(json == #"{"from":[97,47,102,255,128],"kind":"moved"}"#)
        #expect(decodedKind == .moved(from: path("a", odd)))
    }

    @Test("a change reported for a file whose name is not UTF-8 round-trips")
    func reportedChangeRoundTrips() async throws {
        let dir = try TemporaryDirectory("codable")
        let watcher = try TreeWatcher(root: dir.path)
        defer { watcher.close() }
        let name: [UInt8] = [0x78, 0xC0, 0xAF]
        try Files.create(in: dir.path, rawName: name)
        var iterator = watcher.changes.makeAsyncIterator()
        let change = try #require(try await iterator.next())
        #expect(change.kind == .created)
        let (decoded, _) = try jsonRoundTrip(change)
        #expect(decoded == change)
        #expect(decoded.absolutePath == path(dir.path.string, name))
        #expect(Files.exists(decoded.absolutePath))
    }

    @Test("decoding refuses an unknown kind, a path with a NUL byte, and more than two events")
    func decodingRefuses() {
        let decoder = JSONDecoder()
        let base = #""path":"p","root":"/r","isDirectory":false"#
        for json in [
            #"{"kind":"exploded","# + base + "}",
            #"{"kind":"created","path":[97,0,98],"root":"/r","isDirectory":false}"#,
            #"{"kind":"created","# + base + #","inotify":[{"wd":1,"mask":2},{"wd":1,"mask":2},{"wd":1,"mask":2}]}"#,
        ] {
            #expect(throws: DecodingError.self, "\(json)") { try decoder.decode(Change.self, from: Data(json.utf8)) }
        }
    }
}
