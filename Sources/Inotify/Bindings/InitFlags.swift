extension Inotify {
    /// The flags of inotify_init1(2).
    public struct InitFlags: OptionSet, Sendable, Hashable {
        /// The bits, as inotify_init1(2) takes them.
        public let rawValue: Int32
        /// The flags whose bits are `rawValue`'s.
        public init(rawValue: Int32) { self.rawValue = rawValue }

        /// Reads return at once with no events instead of waiting.
        /// The corresponding C constant is `IN_NONBLOCK`.
        public static let nonBlocking = InitFlags(rawValue: Inotify.IN_NONBLOCK)
        /// The descriptor is closed in programs started with exec.
        /// The corresponding C constant is `IN_CLOEXEC`.
        public static let closeOnExec = InitFlags(rawValue: Inotify.IN_CLOEXEC)
    }
}
