import Foundation
@testable import InotifyTree
import InotifyTestSupport
import InotifyTreeTestSupport
import Synchronization
import SystemPackage
import Testing

/// Settled batches against the real kernel: what common bursts come to,
/// and when a batch closes.
@Suite("Settled batches", .timeLimit(.minutes(10)))
struct SettledTests {
    @Test("vim's save sequence is one batch: one modified main.rs")
    func vimSave() async throws {
        let dir = try TemporaryDirectory("settled-vim")
        try dir.createFile("main.rs", contents: "fn main() {}\n")
        let watcher = try TreeWatcher(root: dir.path)
        defer { watcher.close() }
        var batches = watcher.settled(quiet: .milliseconds(500), maxWait: .seconds(10)).makeAsyncIterator()
        // What vim does on :w (with 'backup' on and 'writebackup'): a probe
        // file that it deletes, the file renamed to its backup, the file
        // written anew, its mode set, the backup deleted.
        try dir.createFile("4913")
        try Files.unlink(dir.appending("4913"))
        try Files.rename(dir.appending("main.rs"), dir.appending("main.rs~"))
        try dir.createFile("main.rs", contents: "fn main() { println!(); }\n")
        try Files.chmod(dir.appending("main.rs"), 0o644)
        try Files.unlink(dir.appending("main.rs~"))
        let batch = try #require(try await batches.next())
        #expect(batch.changes.map(\.description) == ["modified main.rs"], "\(batch.changes)")
        #expect(!batch.needsResync)
    }

    @Test("a directory of 1,000 files renamed is one move")
    func directoryRename() async throws {
        let dir = try TemporaryDirectory("settled-rename")
        let src = try dir.makeDirectory("src")
        // Written from a descriptor table of their own: a copy held by another
        // test's child would bring a file's CLOSE_WRITE late, into the batch.
        try withOwnDescriptorTable {
            for index in 0..<1000 { try ByteFiles.write(src.appending("\(index)"), "") }
        }
        let watcher = try TreeWatcher(root: dir.path)
        defer { watcher.close() }
        var batches = watcher.settled().makeAsyncIterator()
        try Files.rename(dir.appending("src"), dir.appending("lib"))
        let batch = try #require(try await batches.next())
        #expect(batch.changes.map(\.description) == ["moved src/ -> lib/"], "\(batch.changes.prefix(5))")
    }

    @Test("a writer that never pauses still gets batches, at the latest each maximum wait")
    func continuousWriter() async throws {
        let dir = try TemporaryDirectory("settled-writer")
        let file = try dir.createFile("log")
        let watcher = try TreeWatcher(root: dir.path)
        defer { watcher.close() }
        let batches = Atomic<Int>(0)
        let writing = Atomic<Bool>(true)
        // A write every 5 ms, far more often than the quiet window: only the
        // maximum wait can close a batch. It writes until three batches have
        // come, then closes the watcher; a batcher that waits for quiet would
        // keep it writing until the bound (then the test fails). The bound is
        // time, not a count of writes: under AddressSanitizer in a full
        // parallel run, 20,000 writes (100 s) went by while other tests held
        // the pool's two threads and this consumer could not run.
        let writer = Thread {
            let bound = ContinuousClock.now.advanced(by: .seconds(300))
            while batches.load(ordering: .relaxed) < 3 && ContinuousClock.now < bound {
                try? Files.write(file, "x")
                usleep(5_000)
            }
            writing.store(false, ordering: .relaxed)
            watcher.close()  // the batches end
        }
        writer.start()
        var whileWriting = 0
        for try await batch in watcher.settled(quiet: .milliseconds(50), maxWait: .milliseconds(200)) {
            #expect(batch.changes.map(\.description) == ["modified log"])
            guard writing.load(ordering: .relaxed) else { break }
            whileWriting += 1
            batches.add(1, ordering: .relaxed)
        }
        #expect(whileWriting >= 3, "\(whileWriting) batches came while the writer wrote")
    }

    @Test("while .git/index.lock exists the batch stays open: what comes before and after its removal is one batch")
    func heldWhileLocked() async throws {
        let dir = try TemporaryDirectory("settled-lock")
        try dir.makeDirectory(".git")
        let lock = try dir.createFile(".git/index.lock")
        let watcher = try TreeWatcher(root: dir.path)
        defer { watcher.close() }
        // A lock held longer than any wait here: under a full parallel run the
        // batcher's task was kept from running for more than the default 30 s.
        var batches = watcher.settled(quiet: .milliseconds(20), lockLimit: .seconds(600)).makeAsyncIterator()
        let batcher = batches.batcher
        try dir.createFile("a")
        let b = dir.appending("b")
        let writer = Task {
            _ = await eventually(timeout: .seconds(30)) { batcher.heldForLockForTesting >= 2 }
            // b made, and taken into the open batch, while the lock is held.
            let folded = batcher.foldedForTesting
            let fd = try FileDescriptor.open(b, .writeOnly, options: [.create], permissions: .ownerReadWrite)
            try fd.close()
            _ = await eventually(timeout: .seconds(30)) { batcher.foldedForTesting > folded }
            try Files.unlink(lock)
        }
        let batch = try #require(try await batches.next())
        try await writer.value
        #expect(batcher.heldForLockForTesting >= 2)
        let paths = Set(batch.changes.map(\.path.string))
        #expect(paths.isSuperset(of: ["a", "b"]), "\(batch.changes)")
    }

    @Test("a watcher lagging behind its source holds the batch when git wrote its index since it was last caught up, until it catches up")
    func heldForALaggingWatcher() async throws {
        let dir = try TemporaryDirectory("settled-lag")
        try dir.makeDirectory(".git")
        let script = ScriptedSource.Script()
        script.isLagging = true
        let watcher = try TreeWatcher(source: ScriptedSource(root: dir.path, script: script))
        defer { watcher.close() }
        var batches = watcher.settled(quiet: .milliseconds(20), maxWait: .milliseconds(50), lockLimit: .seconds(600))
            .makeAsyncIterator()
        let batcher = batches.batcher
        // git let go of its lock (renamed index.lock onto the index) after
        // the watcher was last caught up: the lock is gone by the time the
        // watcher reads what git did.
        try dir.createFile(".git/index")
        let root = dir.path
        let change = { (name: String) in Change(.created, path: FilePath(name), root: root, isDirectory: false) }
        let player = Task {
            script.play(.batch([change("a")]))
            _ = await eventually(timeout: .seconds(60)) { batcher.lockSeenForTesting }
            // Past maxWait, still lagging: more of what git did comes.
            script.play(.batch([change("b")]))
            _ = await eventually(timeout: .seconds(60)) { batcher.foldedForTesting == 2 }
            script.isLagging = false
        }
        let batch = try #require(try await batches.next())
        await player.value
        #expect(batch.changes.map(\.description) == ["created a", "created b"])
    }

    @Test("with a quiet window of 0, a batch held for a lock is looked at again no sooner than shortestLookAgain: it does not spin")
    func heldWithoutSpinning() async throws {
        let dir = try TemporaryDirectory("settled-spin")
        try dir.makeDirectory(".git")
        let lock = try dir.createFile(".git/index.lock")
        let watcher = try TreeWatcher(root: dir.path)
        defer { watcher.close() }
        var batches = watcher.settled(quiet: .zero, lockLimit: .seconds(600)).makeAsyncIterator()
        let batcher = batches.batcher
        try dir.createFile("a")
        let watching = Task {
            _ = await eventually(timeout: .seconds(60)) { batcher.heldForLockForTesting >= 11 }
            let span = batcher.heldForLockSpanForTesting
            try Files.unlink(lock)
            return span
        }
        let batch = try #require(try await batches.next())
        // Each look at least shortestLookAgain after the one before, by the
        // looks' own instants: a lower bound, which no slowness can break.
        let (looks, span) = try #require(try await watching.value)
        #expect(looks >= 11)
        #expect(span >= SettledChanges.Batcher.shortestLookAgain * (looks - 1), "\(looks) looks in \(span)")
        #expect(batch.changes.map(\.description).contains("created a"), "\(batch.changes)")
    }
}
