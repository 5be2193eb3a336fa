import SystemPackage

extension Inotify {
    /// A second consumer, refused: an instance's ``Inotify/events`` (or
    /// ``Inotify/eventBatches``) and a tree watcher's changes have one
    /// consumer at a time, so that no two tasks race for the same items and
    /// each sees them in order. Iterate in one task and hand the items on.
    public struct BusyError: Swift.Error, Sendable, Hashable, CustomStringConvertible {
        /// What another task is iterating: "this Inotify instance's events",
        /// "this TreeWatcher's changes".
        public let subject: String

        /// A refusal of a second consumer of `subject`.
        public init(subject: String) {
            self.subject = subject
        }

        /// `EBUSY`, the errno this refusal stands for, so that code that
        /// handles ``Inotify/Error`` by errno can treat it alike.
        public var errno: Errno { .resourceBusy }

        /// `another task is iterating this TreeWatcher's changes: one consumer at a time ...`
        public var description: String {
            "another task is iterating \(subject): one consumer at a time, so that no two"
                + " consumers race for the same items (EBUSY)"
        }
    }
}
