@testable import Inotify
@testable import InotifyTree
import InotifyTestSupport
import SystemPackage
import Testing

@Suite("Closing a tree watcher", .timeLimit(.minutes(10)))
struct CloseTests {
    @Test("close() ends a waiting iteration even while the watcher's thread has changes in hand")
    func closeWhileEventsFlow() async throws {
        // The window: the watcher's thread has read events and is turning
        // them into changes when close() comes, while the consumer waits.
        // Events flow without pause, so many of the rounds hit it. Under
        // ThreadSanitizer a round took 0.1 to 33 s here (the consumer, slowed
        // most, falls thousands of changes behind the writer): fewer rounds,
        // each as likely to hit the window.
        for _ in 0..<(underThreadSanitizer ? 10 : 50) {
            let dir = try TemporaryDirectory("close")
            let file = try dir.createFile("busy")
            var options = TreeWatcher.Options()
            options.reported.formUnion([.opened, .closedWithoutWrite])
            let watcher = try TreeWatcher(root: dir.path, options: options)
            let ended = try await iterationEndsOnClose(busyFile: file.string) { seen in
                for try await _ in watcher.changes { seen() }
            } close: {
                watcher.close()
            }
            #expect(ended, "the iteration did not end after close()")
            if !ended { return }
        }
    }
}
