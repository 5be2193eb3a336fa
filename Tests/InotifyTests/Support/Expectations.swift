import InotifyTestSupport
import Inotify
import SystemPackage
import Testing

/// Runs `body`, requires it to throw an `Inotify.Error` with `errno`, and
/// requires the error's text to name each of `mentions`.
@discardableResult
func expectInotifyError(
    _ errno: Errno, mentioning mentions: [String] = [],
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) -> Inotify.Error? {
    let error = #expect(throws: Inotify.Error.self, sourceLocation: sourceLocation) { try body() }
    guard let error else { return nil }
    #expect(error.errno == errno, "\(error)", sourceLocation: sourceLocation)
    for text in mentions {
        #expect(error.description.contains(text), "'\(text)' not in: \(error)", sourceLocation: sourceLocation)
    }
    return error
}

extension Inotify {
    /// Reads until `predicate` holds for some event, or fails after `timeout`.
    /// Returns every event read on the way, in order.
    func readUntil(
        timeout: Duration = .seconds(5), sourceLocation: SourceLocation = #_sourceLocation,
        _ predicate: (Inotify.Event) -> Bool
    ) throws -> [Inotify.Event] {
        var seen: [Inotify.Event] = []
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            let batch = try readEvents(timeout: ContinuousClock.now.duration(to: deadline))
            seen += batch
            if batch.contains(where: predicate) { return seen }
        }
        Issue.record("no matching event within \(timeout); saw \(seen)", sourceLocation: sourceLocation)
        return seen
    }
}
