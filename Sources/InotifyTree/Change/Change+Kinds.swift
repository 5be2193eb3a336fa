extension Change {
    /// Kinds of change, as a set: what ``TreeWatcher/Options/reported`` asks
    /// a watcher to report. What the tree itself says (the root's end and
    /// move, unmounts, overflows and rescans, directories left unwatched,
    /// git's rules) is reported whatever is asked.
    public struct Kinds: OptionSet, Sendable, Hashable {
        /// One bit per kind; the values are the library's own, no kernel's.
        public let rawValue: UInt32

        /// The kinds whose bits `rawValue` holds.
        public init(rawValue: UInt32) {
            self.rawValue = rawValue
        }

        /// `created`.
        public static let created = Kinds(rawValue: 1 << 0)
        /// `deleted`.
        public static let deleted = Kinds(rawValue: 1 << 1)
        /// Renames: `moved`, `movedIn` and `movedOut`.
        public static let moved = Kinds(rawValue: 1 << 2)
        /// `modified`.
        public static let modified = Kinds(rawValue: 1 << 3)
        /// `attributesChanged`.
        public static let attributesChanged = Kinds(rawValue: 1 << 4)
        /// `closedAfterWrite`.
        public static let closedAfterWrite = Kinds(rawValue: 1 << 5)
        /// `opened`.
        public static let opened = Kinds(rawValue: 1 << 6)
        /// `accessed`.
        public static let accessed = Kinds(rawValue: 1 << 7)
        /// `closedWithoutWrite`.
        public static let closedWithoutWrite = Kinds(rawValue: 1 << 8)
        /// `selfDeleted`, with ``TreeWatcher/Options/reportSelfEvents``.
        public static let selfDeleted = Kinds(rawValue: 1 << 9)
        /// `selfMoved`, with ``TreeWatcher/Options/reportSelfEvents``.
        public static let selfMoved = Kinds(rawValue: 1 << 10)

        /// What changes files and the tree: the default. No opens, reads or
        /// closes without writing, which would only fill the queue.
        public static let standard: Kinds = [.created, .deleted, .moved, .modified, .attributesChanged, .closedAfterWrite]
        /// Everything that can be asked for.
        public static let all: Kinds = [
            .standard, .opened, .accessed, .closedWithoutWrite, .selfDeleted, .selfMoved,
        ]
    }
}

extension Change.Kind {
    /// What must be asked for to have this kind reported; nil for what is
    /// reported whatever is asked.
    public var askedAs: Change.Kinds? {
        switch self {
        case .created: .created
        case .deleted: .deleted
        case .moved, .movedIn, .movedOut: .moved
        case .modified: .modified
        case .attributesChanged: .attributesChanged
        case .closedAfterWrite: .closedAfterWrite
        case .opened: .opened
        case .accessed: .accessed
        case .closedWithoutWrite: .closedWithoutWrite
        case .selfDeleted: .selfDeleted
        case .selfMoved: .selfMoved
        case .rootDeleted, .rootMoved, .unmounted, .overflow, .rescanned, .unwatched, .ignoreProblem, .becameIgnored: nil
        }
    }
}
