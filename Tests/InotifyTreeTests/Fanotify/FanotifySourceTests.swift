import Foundation
@testable import Inotify
@testable import InotifyTree
import InotifyTestSupport
import SystemPackage
import Testing
import InotifyTestLanes

/// Whether a fanotify source can be had here, and why not.
enum FanotifyTreeAvailability {
    static let reason: String? = {
        do {
            let group = try Fanotify(flags: FanotifyEngine.groupFlags)
            try group.close()
            return nil
        } catch let error as Fanotify.Error where error.errno == .notPermitted {
            return "fanotify is not permitted here (EPERM): run the tests as root"
        } catch {
            return "a fanotify group reporting names and targets cannot be made: \(error)"
        }
    }()

    static var available: Bool {
        if let reason { print("fanotify tree tests skipped: \(reason)") }
        return reason == nil
    }
}

/// A tmpfs of the test's own: a filesystem mark on it sees only what the
/// test does there. One on /tmp sees every other test's writes too, and in a
/// full parallel run those overflow its queue.
final class OwnFilesystem {
    private let mountPoint: TemporaryDirectory

    init(_ label: String) throws {
        mountPoint = try TemporaryDirectory(label)
        try TmpfsMount.mount(at: mountPoint.path, size: "512m")
    }

    /// A new directory on it.
    func directory(_ label: String) throws -> TemporaryDirectory {
        try TemporaryDirectory(label, in: mountPoint.path.string)
    }

    deinit {
        // Lazily where still busy (a child another test spawned holding a
        // descriptor of it): never left mounted.
        if (try? TmpfsMount.unmount(mountPoint.path)) == nil { umount2(mountPoint.path.string, Int32(MNT_DETACH)) }
    }
}

extension TreeWatcher.Options {
    static func with(_ source: TreeWatcher.SourceKind) -> TreeWatcher.Options {
        var options = TreeWatcher.Options()
        options.source = source
        return options
    }
}

/// A fanotify source driven by the test's own thread: deterministic.
struct SourceDriver {
    var source: FanotifySource

    init(root: FilePath, options: TreeWatcher.Options = .with(.fanotify)) throws {
        source = try FanotifySource(root: root, options: options)
    }

    /// Changes until `predicate` holds for all seen so far (rescans done as
    /// the watcher does them), or the test fails after `timeout`.
    mutating func changes(
        timeout: Duration = .seconds(10), sourceLocation: SourceLocation = #_sourceLocation,
        until predicate: ([Change]) -> Bool
    ) throws -> [Change] {
        var all: [Change] = []
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            guard let batch = try source.next(waitingAtMost: .milliseconds(50)) else { break }
            all += batch.changes
            if batch.needsRescan { all += try source.rescan() }
            if predicate(all) { return all }
        }
        Issue.record("condition not met within \(timeout); changes: \(all)", sourceLocation: sourceLocation)
        return all
    }
}

@Suite(
    "The fanotify source: one mark for the whole tree", .inBlockingLane,
    .enabled(if: FanotifyTreeAvailability.available, "fanotify is not permitted (not root) or lacks what the source needs"),
    .enabled(if: TmpfsMount.permitted, "each test mounts a tmpfs of its own, which needs CAP_SYS_ADMIN"),
    .timeLimit(.minutes(10)))
struct FanotifySourceTests {
    @Test("a tree of 300 directories is watched with one filesystem mark, and the watcher says so")
    func oneMark() throws {
        let fs = try OwnFilesystem("fanfs")
        let dir = try fs.directory("fan-one-mark")
        for index in 0..<100 { try dir.makeDirectory("d\(index)/e/f") }
        let watcher = try TreeWatcher(root: dir.path, options: .with(.fanotify))
        defer { watcher.close() }
        #expect(watcher.watchedDirectories == 1)
        #expect(watcher.sourceChoice.kind == .fanotify)
        let source = try FanotifySource(root: dir.path)
        #expect(source.directoryCount == 301)
        #expect(source.watchCount == 1)
        // Ready before any listing: the first next() lists the tree.
        var options = TreeWatcher.Options.with(.fanotify)
        options.readyBeforeListing = true
        var early = try FanotifySource(root: dir.path, options: options)
        #expect(early.directoryCount == 1)
        _ = try early.next(waitingAtMost: .zero)
        #expect(early.directoryCount == 301)
        #expect(early.watchCount == 1)
    }

    @Test("creates, writes, attribute changes and deletes, with the kernel's event as the raw record")
    func entryChanges() throws {
        let fs = try OwnFilesystem("fanfs")
        let dir = try fs.directory("fan-entries")
        _ = try dir.makeDirectory("sub")
        var driver = try SourceDriver(root: dir.path)
        // From a descriptor table of its own: a child another test spawns
        // meanwhile would hold the file open, and its CLOSE_WRITE would come
        // after its deletion.
        let file = dir.appending("sub/f")
        try withOwnDescriptorTable {
            try Files.touch(file)
            try Files.write(file, "x")
            try Files.chmod(file, 0o600)
            try Files.unlink(file)
        }
        let changes = try driver.changes { $0.contains { $0.kind == .deleted } }
        let kinds = changes.filter { $0.path == "sub/f" }.map(\.kind)
        #expect(kinds.first == .created)
        #expect(kinds.contains(.modified))
        #expect(kinds.contains(.attributesChanged))
        #expect(kinds.contains(.closedAfterWrite))
        #expect(kinds.last == .deleted)
        #expect(changes.allSatisfy { $0.fanotifyEvent != nil && $0.inotifyEvents.isEmpty })
    }

    @Test("1,000 nested directories and their files made in a tight loop are all reported, with one mark and no listing")
    func nestedCreationRace() async throws {
        let fs = try OwnFilesystem("fanfs")
        let dir = try fs.directory("fan-race")
        let watcher = try TreeWatcher(root: dir.path, options: .with(.fanotify))
        let collector = Collector(watcher)
        defer {
            collector.stop()
            watcher.close()
        }
        let root = dir.path
        try await onThread { CreationRaceTests.race(in: root, count: 1000) }
        let expected = CreationRaceTests.expectedPaths(1000)
        let complete = await collector.wait {
            expected.isSubset(of: Set($0.filter { $0.kind.isCreated }.map(\.path)))
        }
        let created = collector.changes.filter { $0.kind.isCreated }
        #expect(complete, "missed \(expected.subtracting(created.map(\.path)).count) of \(expected.count)")
        #expect(created.allSatisfy { !$0.foundByScan }, "a creation was found by listing, not reported")
        #expect(watcher.watchedDirectories == 1)
    }

    @Test("renames within the tree, into it (its contents found by listing) and out of it; a renamed directory's changes come under its new path")
    func renames() throws {
        let fs = try OwnFilesystem("fanfs")
        let dir = try fs.directory("fan-renames")
        let outside = try fs.directory("fan-renames-outside")
        try dir.makeDirectory("a/b")
        try outside.makeDirectory("in/deep")
        try Files.touch(outside.appending("in/deep/file"))
        var driver = try SourceDriver(root: dir.path)
        try Files.rename(dir.appending("a"), dir.appending("c"))
        try Files.touch(dir.appending("c/b/new"))
        try Files.rename(outside.appending("in"), dir.appending("in"))
        try Files.touch(dir.appending("in/deep/later"))
        try Files.rename(dir.appending("c"), outside.appending("c"))
        try Files.touch(outside.appending("c/b/unseen"))
        try Files.touch(dir.appending("end"))
        let changes = try driver.changes { $0.contains { $0.path == "end" } }
        let said = changes.map(\.description)
        #expect(said.contains("moved a/ -> c/"))
        #expect(said.contains("created c/b/new"))
        #expect(said.contains("movedIn in/"))
        #expect(said.contains("created in/deep/ (scan)"))
        #expect(said.contains("created in/deep/file (scan)"))
        // Made before the source read the move in: its listing found it.
        #expect(said.contains("created in/deep/later (scan)"))
        #expect(said.contains("movedOut c/"))
        #expect(!said.contains { $0.contains("unseen") })
        #expect(driver.source.directoryCount == 3, "root, in, in/deep: \(said)")
    }

    @Test("what happens elsewhere on the same filesystem is not reported")
    func elsewhereIgnored() throws {
        let fs = try OwnFilesystem("fanfs")
        let dir = try fs.directory("fan-mine")
        let other = try fs.directory("fan-other")
        var driver = try SourceDriver(root: dir.path)
        for index in 0..<50 { try Files.touch(other.appending("x\(index)")) }
        try Files.touch(dir.appending("mine"))
        let changes = try driver.changes { $0.contains { $0.path == "mine" } }
        #expect(changes.allSatisfy { $0.path == "mine" }, "\(changes)")
    }

    @Test("its own listing of a directory moved in is not reported, even with opens and reads asked for")
    func ownListingNotReported() throws {
        let fs = try OwnFilesystem("fanfs")
        let dir = try fs.directory("fan-own")
        let outside = try fs.directory("fan-own-outside")
        try outside.makeDirectory("in/a/b")
        let root = dir.path, moved = outside.appending("in")
        // The source in a descriptor table of its own: a process another
        // test spawns meanwhile copies every descriptor of a shared table,
        // and a directory's close is told when its last copy goes, by the
        // process that held it (that child, at its exec), not by the
        // source's thread.
        let changes = try withOwnDescriptorTable { () throws -> [Change] in
            var options = TreeWatcher.Options.with(.fanotify)
            options.reported = .all
            var driver = try SourceDriver(root: root, options: options)
            try Files.rename(moved, root.appending("in"))
            try Files.touch(root.appending("end"))
            return try driver.changes { $0.contains { $0.path == "end" && $0.kind == .closedAfterWrite } }
        }
        let other = changes.filter { [.opened, .accessed, .closedWithoutWrite].contains($0.kind) && $0.path != "end" }
        #expect(other.isEmpty, "\(other)")
        #expect(changes.contains { $0.description == "created in/a/b/ (scan)" })
    }

    @Test("an overflow of the group's queue is told in band, and the rescan after it knows the tree again")
    func overflowThenRescan() throws {
        let fs = try OwnFilesystem("fanfs")
        let dir = try fs.directory("fan-overflow")
        var driver = try SourceDriver(root: dir.path)
        // More events than the queue holds (16,384 by default), none read meanwhile.
        let queued = Files.sysctl("fs/fanotify/max_queued_events") ?? 16384
        let root = dir.path
        try withOwnDescriptorTable {
            try Files.mkdir(root.appending("d"))
            for index in 0..<(queued + 1000) { try Files.touch(root.appending("d/f\(index)")) }
        }
        try Files.rename(dir.appending("d"), dir.appending("e"))
        // Bounded by the events, not by time: ThreadSanitizer takes over
        // ten seconds for the 16,384 before the overflow.
        let changes = try driver.changes(timeout: .seconds(120)) { $0.contains { $0.kind == .rescanned } }
        #expect(changes.contains { $0.kind == .overflow })
        #expect(driver.source.directoryCount == 2)
        try Files.touch(dir.appending("e/after"))
        let after = try driver.changes(timeout: .seconds(120)) { $0.contains { $0.path == "e/after" } }
        #expect(after.contains { $0.description == "created e/after" })
    }

    @Test("ready before its listing: what is done between the start and the first listing is reported (a directory made, filled, renamed; a file made and removed in one that was there)")
    func beforeTheFirstListing() throws {
        let fs = try OwnFilesystem("fanfs")
        let dir = try fs.directory("fan-first")
        try dir.makeDirectory("old/inner")
        var options = TreeWatcher.Options.with(.fanotify)
        options.readyBeforeListing = true
        var driver = try SourceDriver(root: dir.path, options: options)
        let root = dir.path
        try withOwnDescriptorTable {
            try Files.mkdir(root.appending("new"))
            try Files.touch(root.appending("new/f"))
            try Files.rename(root.appending("new"), root.appending("renamed"))
            try Files.touch(root.appending("old/inner/g"))
            try Files.unlink(root.appending("old/inner/g"))
            try Files.touch(root.appending("end"))
        }
        // The removal comes merged into the creation's event, and is told
        // once what was queued before that read has been (the filesystem's
        // other writers may have queued more meanwhile): waited for.
        let said = try driver.changes {
            $0.contains { $0.path == "end" } && $0.contains { $0.description == "deleted old/inner/g" }
        }.map(\.description)
        for expected in ["created new/", "created new/f", "moved new/ -> renamed/", "created old/inner/g", "deleted old/inner/g"] {
            #expect(said.contains(expected), "\(said)")
        }
    }

    @Test("listing a tree of 17,500 directories with opens and reads asked for does not overflow the queue with its own events")
    func listingDoesNotOverflow() throws {
        let fs = try OwnFilesystem("fanfs")
        let dir = try fs.directory("fan-own-flood")
        // An event per directory listed (its open, read and close, merged
        // by the kernel): past the queue's 16,384.
        for index in 0..<175 {
            for inner in 0..<100 { try dir.makeDirectory("d\(index)/e\(inner)") }
        }
        var options = TreeWatcher.Options.with(.fanotify)
        options.reported = .all
        var driver = try SourceDriver(root: dir.path, options: options)
        try Files.touch(dir.appending("end"))
        let changes = try driver.changes(timeout: .seconds(60)) { $0.contains { $0.path == "end" && $0.kind == .closedAfterWrite } }
        #expect(!changes.contains { $0.kind == .overflow || $0.kind == .rescanned }, "\(changes.filter { $0.kind == .overflow }.count) overflows")
        // Its own would be an event per directory, 17,676 of them; another
        // process walking /tmp meanwhile (the full parallel suite under
        // AddressSanitizer had some) may open a few, which are real changes.
        let opened = changes.filter { $0.path.string.hasPrefix("d") }
        #expect(opened.count < 1000, "the listing's own events were reported: \(opened.count), e.g. \(opened.prefix(5))")
        #expect(driver.source.directoryCount == 17_676)
    }

    @Test("the root's deletion is its last change")
    func rootDeleted() throws {
        let fs = try OwnFilesystem("fanfs")
        let dir = try fs.directory("fan-root")
        let root = try dir.makeDirectory("root")
        try dir.makeDirectory("root/sub")
        var driver = try SourceDriver(root: root)
        try Files.removeTree(root)
        let changes = try driver.changes { $0.contains { $0.kind == .rootDeleted } }
        #expect(changes.map(\.description).contains("deleted sub/"))
        #expect(try driver.source.next() == nil)
    }

    @Test("excluded directories are not known: nothing in them is reported, until one is renamed to a name not excluded")
    func excludedDirectories() throws {
        let fs = try OwnFilesystem("fanfs")
        let dir = try fs.directory("fan-excluded")
        try dir.makeDirectory("node_modules/pkg")
        var options = TreeWatcher.Options.with(.fanotify)
        options.excludeDirectories = ["node_modules"]
        var driver = try SourceDriver(root: dir.path, options: options)
        try Files.touch(dir.appending("node_modules/pkg/hidden"))
        try Files.rename(dir.appending("node_modules"), dir.appending("vendor"))
        try Files.touch(dir.appending("vendor/pkg/seen"))
        let changes = try driver.changes { $0.contains { $0.path == "vendor/pkg/seen" } }
        #expect(!changes.contains { $0.path.string.hasPrefix("node_modules/") }, "\(changes)")
        #expect(changes.contains { $0.description == "moved node_modules/ -> vendor/" })
        // What it holds is new to the consumer: found by listing it.
        #expect(changes.contains { $0.description == "created vendor/pkg/hidden (scan)" })
    }

    @Test("automatic takes fanotify where it can be had, and inotify for git's rules, saying why; fanotify asked for with them is refused")
    func automaticChoice() throws {
        let fs = try OwnFilesystem("fanfs")
        let dir = try fs.directory("fan-choice")
        let automatic = try TreeWatcher(root: dir.path, options: .with(.automatic))
        defer { automatic.close() }
        #expect(automatic.sourceChoice.kind == .fanotify)
        var options = TreeWatcher.Options.with(.automatic)
        options.gitIgnore = true
        let git = try TreeWatcher(root: dir.path, options: options)
        defer { git.close() }
        #expect(git.sourceChoice.kind == .inotify)
        #expect(git.sourceChoice.reason.contains("gitIgnore"))
        options.source = .fanotify
        #expect(throws: FanotifySource.Unsupported(option: "gitIgnore")) { _ = try TreeWatcher(root: dir.path, options: options) }
    }

    @Test("a missing root is the error the inotify source gives, naming the path")
    func missingRoot() throws {
        let fs = try OwnFilesystem("fanfs")
        let dir = try fs.directory("fan-missing")
        let missing = dir.appending("nope")
        let error = #expect(throws: Inotify.Error.self) { _ = try FanotifySource(root: missing) }
        #expect(error?.errno == .noSuchFileOrDirectory)
        #expect(error?.path == missing)
    }
}
