import Inotify

extension Change {
    /// What a change's source saw, in its own terms: backend-specific, kept
    /// for those who want the kernel's own record. Nothing in a change's
    /// meaning depends on it.
    public enum Raw: Sendable, Hashable {
        /// inotify's events (an ``InotifySource``'s): one, or the two halves
        /// of a rename.
        case inotify(InotifyEvents)
        /// fanotify's event (a ``FanotifySource``'s): the one the change
        /// comes from, a rename's two places in it. Not encoded by
        /// `Codable`, which keeps only inotify's events.
        case fanotify(Fanotify.Event)
    }

    /// The fanotify event a change comes from; nil for a change from
    /// another source, or from no event.
    public var fanotifyEvent: Fanotify.Event? {
        if case .fanotify(let event) = raw { return event }
        return nil
    }

    /// inotify's events a change comes from; empty for a change from
    /// another source, or from no event.
    public var inotifyEvents: InotifyEvents {
        if case .inotify(let events) = raw { return events }
        return InotifyEvents([])
    }

    /// The inotify events a change comes from: none (found by scan), one, or
    /// the two halves of a rename. Held inline, so a change costs no array.
    public struct InotifyEvents: RandomAccessCollection, Sendable, Hashable {
        private let first: Inotify.Event?
        private let second: Inotify.Event?

        /// At most two events: a change comes from one, or from a rename's halves.
        public init(_ events: [Inotify.Event]) {
            precondition(events.count <= 2, "a change comes from at most two kernel events")
            first = events.first
            second = events.count > 1 ? events[1] : nil
        }

        /// 0.
        public var startIndex: Int { 0 }
        /// How many events there are: 0, 1 or 2.
        public var endIndex: Int { second != nil ? 2 : (first != nil ? 1 : 0) }

        /// The event at `position`, in the order the kernel queued them.
        public subscript(position: Int) -> Inotify.Event {
            precondition(position >= 0 && position < endIndex, "index \(position) out of range")
            return position == 0 ? first! : second!
        }
    }
}
