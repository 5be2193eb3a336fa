import Glibc
import Inotify
import InotifyTestSupport
import SystemPackage
import Testing
import InotifyTestLanes

@Suite(
    "fanotify against the kernel", .inBlockingLane,
    .enabled(if: FanotifyAvailability.available, "fanotify is not permitted (not root) or not built into this kernel"))
struct FanotifyKernelTests {
    /// ext4 (the root filesystem here) and tmpfs.
    static let bases = ["/tmp", "/dev/shm"]

    static func group() throws -> Fanotify {
        try Fanotify(flags: [.notificationClass, .reportDfidName, .unlimitedQueue, .closeOnExec])
    }

    @Test("a filesystem mark reports create, move (both names, and FAN_RENAME's old and new) and delete, with the directory's path", arguments: bases)
    func createMoveDelete(base: String) throws {
        let directory = try TemporaryDirectory("fanotify", in: base)
        let group = try Self.group()
        try group.addMark(directory.path, on: .filesystem, mask: [.create, .delete, .move, .rename, .onDir])
        let mount = try openDirectory(directory.path)
        defer { try? mount.close() }

        let first = uniqueName("a"), second = uniqueName("b")
        try directory.createFile(first)
        try Files.rename(directory.appending(first), directory.appending(second))
        try Files.unlink(directory.appending(second))
        let names = [first, second].map { Array($0.utf8) }
        let events = try group.readUntil(
            relevant: { event in event.fileIDs.contains { id in id.name.map(names.contains) ?? false } },
            done: { events in events.contains { $0.mask.contains(.delete) } })

        let create = try #require(events.first { $0.mask.contains(.create) })
        #expect(create.directoryEntry?.name == names[0])
        #expect(create.fd == Fanotify.FAN_NOFD && create.file == nil)
        #expect(try Fanotify.path(of: create.directoryEntry!, mount: mount) == directory.appending(first))
        #expect(try Fanotify.path(of: create.directoryEntry!.handle, mount: mount) == directory.path)

        let from = try #require(events.first { $0.mask.contains(.movedFrom) })
        #expect(from.directoryEntry?.name == names[0])
        let to = try #require(events.first { $0.mask.contains(.movedTo) })
        #expect(to.directoryEntry?.name == names[1])

        let rename = try #require(events.first { $0.mask.contains(.rename) })
        let old = try #require(rename.fileID(Fanotify.FAN_EVENT_INFO_TYPE_OLD_DFID_NAME))
        let new = try #require(rename.fileID(Fanotify.FAN_EVENT_INFO_TYPE_NEW_DFID_NAME))
        #expect(old.name == names[0] && new.name == names[1])
        #expect(try Fanotify.path(of: new, mount: mount) == directory.appending(second))

        let delete = try #require(events.first { $0.mask.contains(.delete) })
        #expect(delete.directoryEntry?.name == names[1])
        #expect(!delete.mask.contains(.onDir))
    }

    @Test("a directory's create and delete carry FAN_ONDIR", arguments: bases)
    func directoryEvents(base: String) throws {
        let directory = try TemporaryDirectory("fanotify", in: base)
        let group = try Self.group()
        try group.addMark(directory.path, on: .filesystem, mask: [.create, .delete, .onDir])
        let name = uniqueName("d")
        try Files.mkdir(directory.appending(name))
        try Files.rmdir(directory.appending(name))
        let events = try group.readUntil(
            relevant: { $0.directoryEntry?.name == Array(name.utf8) },
            done: { events in events.contains { $0.mask.contains(.delete) } })
        // The kernel may merge the two into one event (same directory, same name).
        #expect(!events.isEmpty && events.allSatisfy { $0.mask.contains(.onDir) }, "\(events)")
        let seen = events.reduce(Fanotify.EventMask()) { $0.union($1.mask) }
        #expect(seen.isSuperset(of: [.create, .delete]), "\(events)")
    }

    @Test("a deleted directory's handle is ESTALE, told as such", arguments: bases)
    func deletedDirectoryHandleIsStale(base: String) throws {
        let directory = try TemporaryDirectory("fanotify", in: base)
        let inner = uniqueName("gone")
        try Files.mkdir(directory.appending(inner))
        let group = try Self.group()
        try group.addMark(directory.path, on: .filesystem, mask: [.create])
        let mount = try openDirectory(directory.path)
        defer { try? mount.close() }
        let file = uniqueName("f")
        try directory.createFile("\(inner)/\(file)")
        let events = try group.readUntil(
            relevant: { $0.directoryEntry?.name == Array(file.utf8) }, done: { !$0.isEmpty })
        let entry = try #require(events.first?.directoryEntry)
        #expect(try Fanotify.path(of: entry.handle, mount: mount) == directory.appending(inner))

        try Files.unlink(directory.appending("\(inner)/\(file)"))
        try Files.rmdir(directory.appending(inner))
        let error = #expect(throws: Fanotify.Error.self) { try Fanotify.path(of: entry, mount: mount) }
        #expect(error?.errno == .staleNFSFileHandle)
        #expect(error?.description.contains("ESTALE") == true)
        #expect(error?.advice.contains("gone") == true)
    }

    @Test("an inode mark on a file reports FAN_MODIFY and FAN_CLOSE_WRITE, each event owning its descriptor")
    func inodeMarkOnFile() throws {
        let directory = try TemporaryDirectory("fanotify")
        let path = try directory.createFile("watched")
        let group = try Fanotify(flags: [.closeOnExec], eventFlags: [.readOnly, .closeOnExec])
        try group.addMark(path, mask: [.modify, .closeWrite])
        try Files.write(path, "changed")
        let events = try group.readUntil(relevant: { _ in true }, done: { $0.contains { $0.mask.contains(.closeWrite) } })
        #expect(events.contains { $0.mask.contains(.modify) })
        let close = try #require(events.first { $0.mask.contains(.closeWrite) })
        let file = try #require(close.file)
        #expect(close.fd >= 0 && file.rawValue == close.fd && file.isOpen)
        let target = try #require(file.withDescriptor { fd in
            "/proc/self/fd/\(fd.rawValue)".withCString { link in
                var buffer = [CChar](repeating: 0, count: 4097)
                let count = readlink(link, &buffer, 4096)
                return count > 0 ? String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
            }
        })
        #expect(FilePath(target) == path)
        // Taken, it is the caller's; closed, it is gone; either way once.
        let taken = try #require(file.take())
        #expect(file.take() == nil && !file.isOpen)
        try taken.close()
        for event in events where event.file !== file {
            try event.file?.close()
            #expect(event.file?.isOpen != true)
        }
    }

    @Test("an inode mark's ignore mask (FAN_MARK_IGNORE, which a directory's needs with FAN_MARK_IGNORED_SURV_MODIFY) hides the creations in it from a filesystem mark, until it is removed")
    func ignoreMask() throws {
        let directory = try TemporaryDirectory("fanotify", in: "/dev/shm")
        let quiet = try directory.makeDirectory(uniqueName("quiet"))
        let group = try Self.group()
        try group.addMark(directory.path, on: .filesystem, mask: [.create])
        let unsaid = #expect(throws: Fanotify.Error.self) {
            try group.addMark(quiet, mask: [.create], flags: [.ignore])
        }
        #expect(unsaid?.errno == .isDirectory && unsaid?.advice.contains(".ignoredSurvivesModify") == true)
        try group.addMark(quiet, mask: [.create], flags: [.ignore, .ignoredSurvivesModify])
        let hidden = uniqueName("hidden"), shown = uniqueName("shown"), again = uniqueName("again")
        let names = [hidden, shown, again].map { Array($0.utf8) }
        let relevant: (Fanotify.Event) -> Bool = { event in event.directoryEntry?.name.map(names.contains) ?? false }
        try Files.touch(quiet.appending(hidden))
        try Files.touch(directory.appending(shown))
        // Events come in order: once `shown` is read, `hidden` would have been read before it.
        let first = try group.readUntil(relevant: relevant, done: { $0.contains { $0.directoryEntry?.name == names[1] } })
        #expect(!first.contains { $0.directoryEntry?.name == names[0] }, "\(first)")

        try group.removeMark(quiet, mask: [.create], flags: [.ignore, .ignoredSurvivesModify])
        try Files.touch(quiet.appending(again))
        let second = try group.readUntil(relevant: relevant, done: { !$0.isEmpty })
        #expect(second.first?.directoryEntry?.name == names[2])
    }

    @Test("a mount mark asking for FAN_CREATE is refused, with the advice to use a filesystem mark")
    func mountMarkRefusesDirectoryEntryEvents() throws {
        let directory = try TemporaryDirectory("fanotify")
        let group = try Self.group()
        let error = #expect(throws: Fanotify.Error.self) {
            try group.addMark(directory.path, on: .mount, mask: [.create])
        }
        #expect(error?.errno == .invalidArgument)
        #expect(error?.operation == .mark)
        #expect(error?.advice.contains("filesystem mark") == true)
        #expect(error?.description.contains("FAN_MARK_MOUNT") == true)
    }

    @Test("flags the kernel refuses are told with what they need")
    func refusedFlags() {
        let error = #expect(throws: Fanotify.Error.self) { try Fanotify(flags: [.reportName]) }
        #expect(error?.errno == .invalidArgument)
        #expect(error?.advice.contains(".reportDfidName") == true)
        let both = #expect(throws: Fanotify.Error.self) { try Fanotify(flags: [.reportPidfd, .reportTid]) }
        #expect(both?.errno == .invalidArgument)
        #expect(both?.advice.contains("cannot be combined") == true)
    }

    @Test("a non-blocking group reads nothing when nothing is queued; a small buffer is refused")
    func nonBlockingAndBufferSize() throws {
        let group = try Fanotify(flags: [.reportDfidName, .nonBlocking, .closeOnExec])
        #expect(try group.readEvents().isEmpty)
        #expect(try group.readEvents(timeout: .milliseconds(10)).isEmpty)
        let error = #expect(throws: Fanotify.Error.self) { try group.readEvents(bufferSize: 100) }
        #expect(error?.errno == .invalidArgument)
    }

    @Test("close() from another thread ends a waiting read; a closed group refuses calls, and a second close")
    func closeEndsWaitingRead() async throws {
        let group = try Self.group()
        let read = await startWaiting { () -> Result<[Fanotify.Event], Fanotify.Error> in
            do { return .success(try group.readEvents()) } catch let error as Fanotify.Error {
                return .failure(error)
            }
        }
        try group.close()
        switch try await read.value {
        case .success(let events):
            Issue.record("the read returned \(events) instead of reporting the close")
        case .failure(let error):
            #expect(error.errno == .badFileDescriptor)
            #expect(error.operation == .read)
        }
        #expect(group.isClosed)
        let refused = #expect(throws: Fanotify.Error.self) { try group.flushMarks() }
        #expect(refused?.advice.contains("make a new Fanotify") == true)
        #expect(throws: Fanotify.Error.self) { try group.close() }
    }
}
