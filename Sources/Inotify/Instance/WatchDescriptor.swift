extension Inotify {
    /// A watch of one ``Inotify`` instance. It remembers the instance that made
    /// it, so handing it to another instance is refused instead of removing
    /// that instance's watch of the same number.
    public struct WatchDescriptor: Hashable, Sendable, CustomStringConvertible {
        /// The kernel's number, as in ``Event/wd``.
        public let rawValue: Int32
        let instance: UInt64

        init(rawValue: Int32, instance: UInt64) {
            self.rawValue = rawValue
            self.instance = instance
        }

        public var description: String { "wd \(rawValue)" }

        /// Whether `event` belongs to this watch (same number; events carry no instance).
        public func matches(_ event: Event) -> Bool { event.wd == rawValue }
    }
}
