import Inotify
import InotifyTree

/// The tree's changes that are notices in `--json` rather than event lines:
/// what a consumer of the stream needs to know to resync, each about the
/// directory it concerns, with the kernel's event name where one underlies it.
extension TreeLines {
    /// Calls `body` for each notice record `change` gives: one for an
    /// overflow, a rescan or an unwatched directory, one per kernel event
    /// for an unmount; none for any other change.
    func forEachNotice(_ change: Change, _ body: (EventLine, Notice) -> Void) {
        switch change.kind {
        case .overflow:
            withDirectoryRecord(rootPrefix, mask: .queueOverflow) { body($0, Notice(.overflow)) }
        case .rescanned:
            withDirectoryRecord(rootPrefix, mask: []) { body($0, Notice(.rescanned, isDirectory: true)) }
        case .unwatched(let reason):
            withDirectoryRecord(watched(change.path), mask: []) {
                body($0, Notice(.unwatched, reason: reason, isDirectory: true))
            }
        case .unmounted:
            forEachLine(change) { body($0, Notice(.unmounted)) }
        default:
            return
        }
    }

    /// The record of the root's end: the tree ends its changes at the
    /// root's IN_IGNORED, which is the raw watch's `ignored`.
    func withRootEnd(_ body: (EventLine, Notice) -> Void) {
        withDirectoryRecord(rootPrefix, mask: .ignored) { body($0, Notice(.ignored)) }
    }

    private func withDirectoryRecord(_ watched: [UInt8], mask: Inotify.EventMask, _ body: (EventLine) -> Void) {
        watched.withUnsafeBytes {
            body(EventLine(watched: $0, name: UnsafeRawBufferPointer(start: nil, count: 0), mask: mask, cookie: 0))
        }
    }
}
