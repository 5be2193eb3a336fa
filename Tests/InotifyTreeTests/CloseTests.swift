import Foundation
@testable import Inotify
@testable import InotifyTree
import InotifyTestSupport
import Synchronization
import SystemPackage
import Testing

@Suite("Closing a tree watcher", .timeLimit(.minutes(2)))
struct CloseTests {
    @Test("close() ends a waiting iteration even while the watcher's thread has changes in hand")
    func closeWhileEventsFlow() async throws {
        // The window: the watcher's thread has read events and is turning
        // them into changes when close() comes, while the consumer waits.
        // Events flow without pause, so many of the rounds hit it.
        for _ in 0..<50 {
            let dir = try TemporaryDirectory("close")
            let file = try dir.createFile("busy")
            var options = TreeWatcher.Options()
            options.events.formUnion([.open, .closeNoWrite])
            let watcher = try TreeWatcher(root: dir.path, options: options)
            let stop = Atomic<Bool>(false)
            let writer = Thread { while !stop.load(ordering: .relaxed) { openClosePairs(file.string, 10) } }
            writer.start()
            let seen = Atomic<Int>(0)
            let ended = Atomic<Bool>(false)
            let consumer = Task {
                for try await _ in watcher.changes { seen.add(1, ordering: .relaxed) }
                ended.store(true, ordering: .relaxed)
            }
            #expect(await eventually { seen.load(ordering: .relaxed) >= 100 })
            watcher.close()
            let finished = await eventually(timeout: .seconds(10)) { ended.load(ordering: .relaxed) }
            stop.store(true, ordering: .relaxed)
            #expect(finished, "the iteration did not end after close()")
            consumer.cancel()
            if !finished { return }
        }
    }
}
