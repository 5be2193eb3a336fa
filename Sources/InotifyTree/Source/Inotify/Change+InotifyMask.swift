import Inotify

extension Change.Kinds {
    /// The inotify events these kinds are made of: what a watch asks the
    /// kernel for to report them.
    public var inotifyMask: Inotify.EventMask {
        var mask: Inotify.EventMask = []
        for (kinds, events) in Self.inotifyEvents where contains(kinds) { mask.formUnion(events) }
        return mask
    }

    /// The kinds inotify's events `mask` are reported as (MOVED_FROM or
    /// MOVED_TO: renames, both halves).
    public init(inotifyMask mask: Inotify.EventMask) {
        self = []
        for (kinds, events) in Self.inotifyEvents where !mask.isDisjoint(with: events) { formUnion(kinds) }
    }

    private static let inotifyEvents: [(Change.Kinds, Inotify.EventMask)] = [
        (.created, .create), (.deleted, .delete), (.moved, [.movedFrom, .movedTo]), (.modified, .modify),
        (.attributesChanged, .attrib), (.closedAfterWrite, .closeWrite), (.opened, .open), (.accessed, .access),
        (.closedWithoutWrite, .closeNoWrite), (.selfDeleted, .deleteSelf), (.selfMoved, .moveSelf),
    ]
}
