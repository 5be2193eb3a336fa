import InotifyTestSupport
import Foundation
import Inotify
import SystemPackage
import Testing
import InotifyTestLanes

@Suite("Bad input gives a clear error and the instance stays usable", .inBlockingLane)
struct BadInputTests {
    /// After each refusal the instance must still watch: prove it.
    func expectStillUsable(_ inotify: Inotify, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let dir = try TemporaryDirectory()
        try inotify.addWatch(dir.path, mask: .create)
        try dir.createFile("proof")
        let events = try inotify.readUntil(sourceLocation: sourceLocation) { $0.name == "proof" }
        #expect(events.contains { $0.name == "proof" }, sourceLocation: sourceLocation)
    }

    @Test("a missing path names the path")
    func missingPath() throws {
        let inotify = try Inotify()
        expectInotifyError(.noSuchFileOrDirectory, mentioning: ["/no/such/dir", "inotify_add_watch", "ENOENT"]) {
            try inotify.addWatch("/no/such/dir", mask: .create)
        }
        try expectStillUsable(inotify)
    }

    @Test("an empty path says it is empty")
    func emptyPath() throws {
        let inotify = try Inotify()
        expectInotifyError(.noSuchFileOrDirectory, mentioning: ["empty"]) {
            try inotify.addWatch(FilePath(""), mask: .create)
        }
        try expectStillUsable(inotify)
    }

    @Test("a path with a NUL byte is refused, not cut short")
    func pathWithNUL() throws {
        let dir = try TemporaryDirectory()
        let inotify = try Inotify()
        expectInotifyError(.invalidArgument, mentioning: ["NUL", "\\0evil"]) {
            try inotify.addWatch(dir.path.string + "\0evil", mask: .create)
        }
        #expect(inotify.watches.isEmpty)
        try expectStillUsable(inotify)
    }

    @Test("a path longer than PATH_MAX names the limit")
    func pathTooLong() throws {
        let inotify = try Inotify()
        let long = "/" + String(repeating: "d", count: 5000)
        expectInotifyError(.fileNameTooLong, mentioning: ["ENAMETOOLONG", "PATH_MAX"]) {
            try inotify.addWatch(long, mask: .create)
        }
        try expectStillUsable(inotify)
    }

    @Test("a file watched with .onlyDir is not a directory")
    func onlyDirOnAFile() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.createFile("plain")
        let inotify = try Inotify()
        expectInotifyError(.notDirectory, mentioning: [file.string, "onlyDir"]) {
            try inotify.addWatch(file, mask: [.create, .onlyDir])
        }
        try expectStillUsable(inotify)
    }

    @Test("mask 0 asks for no event")
    func zeroMask() throws {
        let dir = try TemporaryDirectory()
        let inotify = try Inotify()
        expectInotifyError(.invalidArgument, mentioning: ["mask 0", "no event"]) {
            try inotify.addWatch(dir.path, mask: [])
        }
        try expectStillUsable(inotify)
    }

    @Test("a mask of flags only is refused (the kernel would add a watch that reports nothing)")
    func flagsOnlyMask() throws {
        let dir = try TemporaryDirectory()
        let inotify = try Inotify()
        expectInotifyError(.invalidArgument, mentioning: ["ONLYDIR|ONESHOT", "no event"]) {
            try inotify.addWatch(dir.path, mask: [.onlyDir, .oneShot])
        }
        #expect(inotify.watches.isEmpty)
        try expectStillUsable(inotify)
    }

    @Test("bits inotify does not define are refused by value")
    func unknownBits() throws {
        let dir = try TemporaryDirectory()
        let inotify = try Inotify()
        expectInotifyError(.invalidArgument, mentioning: ["0x1000"]) {
            try inotify.addWatch(dir.path, mask: Inotify.EventMask(rawValue: Inotify.IN_CREATE | 0x1000))
        }
        try expectStillUsable(inotify)
    }

    @Test("MASK_ADD with MASK_CREATE is refused")
    func maskAddWithMaskCreate() throws {
        let dir = try TemporaryDirectory()
        let inotify = try Inotify()
        expectInotifyError(.invalidArgument, mentioning: ["MASK_CREATE|MASK_ADD", "not both"]) {
            try inotify.addWatch(dir.path, mask: [.create, .maskAdd, .maskCreate])
        }
        try expectStillUsable(inotify)
    }

    @Test("MASK_CREATE on a path already watched is EEXIST")
    func maskCreateOnWatchedPath() throws {
        let dir = try TemporaryDirectory()
        let inotify = try Inotify()
        try inotify.addWatch(dir.path, mask: .create)
        expectInotifyError(.fileExists, mentioning: [dir.path.string, "maskCreate"]) {
            try inotify.addWatch(dir.path, mask: [.delete, .maskCreate])
        }
        try expectStillUsable(inotify)
    }

    @Test("removing a watch twice fails the second time, naming the wd")
    func removeTwice() throws {
        let dir = try TemporaryDirectory()
        let inotify = try Inotify()
        let wd = try inotify.addWatch(dir.path, mask: .create)
        try inotify.removeWatch(wd)
        expectInotifyError(.invalidArgument, mentioning: ["wd \(wd.rawValue)", "removed already"]) {
            try inotify.removeWatch(wd)
        }
        try expectStillUsable(inotify)
    }

    @Test("a watch descriptor of another instance is refused and its watch left alone")
    func foreignWatchDescriptor() throws {
        let dir = try TemporaryDirectory()
        let mine = try Inotify()
        let theirs = try Inotify(flags: .nonBlocking)
        let theirWD = try theirs.addWatch(dir.path, mask: .create)
        _ = try mine.addWatch(dir.path, mask: .create)
        expectInotifyError(.invalidArgument, mentioning: ["another Inotify instance"]) {
            try mine.removeWatch(theirWD)
        }
        try dir.createFile("still-watched")
        #expect(try theirs.readUntil { $0.name == "still-watched" }.count == 1)
    }

    @Test("a closed instance refuses every call and says it is closed")
    func closedInstance() throws {
        let dir = try TemporaryDirectory()
        let inotify = try Inotify()
        let wd = try inotify.addWatch(dir.path, mask: .create)
        try inotify.close()
        expectInotifyError(.badFileDescriptor, mentioning: ["closed"]) { try inotify.addWatch(dir.path, mask: .create) }
        expectInotifyError(.badFileDescriptor, mentioning: ["closed"]) { try inotify.removeWatch(wd) }
        expectInotifyError(.badFileDescriptor, mentioning: ["closed"]) { _ = try inotify.readEvents() }
        expectInotifyError(.badFileDescriptor, mentioning: ["closed already"]) { try inotify.close() }
        #expect(inotify.isClosed)
    }

    @Test("maxBytes too small for any event is refused before reading")
    func maxBytesBelowHeader() throws {
        let inotify = try Inotify(flags: .nonBlocking)
        expectInotifyError(.invalidArgument, mentioning: ["maxBytes 8", "272"]) { _ = try inotify.readEvents(maxBytes: 8) }
        try expectStillUsable(inotify)
    }

    @Test("maxBytes smaller than the queued event is the kernel's EINVAL, and the event is not lost")
    func maxBytesBelowNextEvent() throws {
        let dir = try TemporaryDirectory()
        let inotify = try Inotify(flags: .nonBlocking)
        try inotify.addWatch(dir.path, mask: .create)
        try dir.createFile("a-name-longer-than-sixteen-bytes")
        expectInotifyError(.invalidArgument, mentioning: ["maxBytes 20", "too small"]) {
            _ = try inotify.readEvents(maxBytes: 20)
        }
        #expect(try inotify.readEvents().map(\.name) == ["a-name-longer-than-sixteen-bytes"])
    }

    @Test("a negative maxBytes is refused by value")
    func negativeMaxBytes() throws {
        let inotify = try Inotify(flags: .nonBlocking)
        expectInotifyError(.invalidArgument, mentioning: ["maxBytes -1", "negative"]) { _ = try inotify.readEvents(maxBytes: -1) }
        try expectStillUsable(inotify)
    }

    @Test("a descriptor that is not inotify is named as such by the descriptor-level functions")
    func notAnInotifyDescriptor() throws {
        let dir = try TemporaryDirectory()
        let pipe = try FileDescriptor.pipe()
        defer {
            try? pipe.readEnd.close()
            try? pipe.writeEnd.close()
        }
        let fd = pipe.readEnd
        // A pipe with nothing in it would block a plain read forever.
        expectInotifyError(.invalidArgument, mentioning: ["fd \(fd.rawValue)", "not an inotify instance"]) {
            _ = try Inotify.readEvents(fd)
        }
        expectInotifyError(.invalidArgument, mentioning: ["not an inotify instance"]) {
            _ = try Inotify.addWatch(fd, dir.path, mask: .create)
        }
        expectInotifyError(.invalidArgument, mentioning: ["wd 1"]) { try Inotify.removeWatch(fd, 1) }
    }

    @Test("a closed descriptor handed to the descriptor-level functions is EBADF")
    func closedDescriptor() throws {
        // A number far above any open one: closing a real descriptor here would
        // let a test running beside this one get the same number back.
        let fd = FileDescriptor(rawValue: 999_999)
        expectInotifyError(.badFileDescriptor, mentioning: ["not open"]) { _ = try Inotify.readEvents(fd) }
    }
}
