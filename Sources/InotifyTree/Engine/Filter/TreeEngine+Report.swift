import Inotify
import SystemPackage

extension TreeEngine {
    /// Reports a change made of `events` (none for one found by scan),
    /// unless the options keep it out (``ChangeFilter``): the facts in
    /// neutral terms, the events kept as its raw record.
    func report(
        _ kind: Change.Kind, _ path: FilePath, isDirectory: Bool, _ events: [Inotify.Event], scan: Bool = false,
        isSelfEvent: Bool = false, _ out: inout [Change]
    ) {
        guard filter.reports(kind, at: path) else { return }
        out.append(Change(kind, path: path, root: root, isDirectory: isDirectory, foundByScan: scan,
                          isSelfEvent: isSelfEvent, tracker: Self.tracker(kind, events),
                          raw: events.isEmpty ? nil : .inotify(Change.InotifyEvents(events))))
    }

    /// Directory `path` is in the tree but cannot be listed (EACCES, EMFILE):
    /// nothing below it will be reported, and the consumer is told so.
    func reportUnlistable(_ errno: Errno, _ path: FilePath, _ out: inout [Change]) {
        report(.unwatched(reason: "cannot list it: \(errno)"), path, isDirectory: true, [], &out)
    }

    /// A rename's cookie, the same on both its halves; none on anything else.
    private static func tracker(_ kind: Change.Kind, _ events: [Inotify.Event]) -> UInt32? {
        switch kind {
        case .moved, .movedIn, .movedOut: events.first.map(\.cookie)
        default: nil
        }
    }
}
