extension Inotify {
    /// A watch of one ``Inotify`` instance: the kernel's number and the
    /// instance that made it, as inotify-rs's `WatchDescriptor` is.
    ///
    /// ``Inotify/addWatch(_:mask:checks:)-(FilePath,_,_)`` returns one, and
    /// every event read through an instance carries one as ``Event/wd``, so
    /// "is this event from that watch?" is `event.wd == wd`: true when the
    /// number and the instance are the same. A watch of another instance with
    /// the same number is not equal, and neither is the `wd` of an event
    /// decoded from plain bytes or read by the descriptor-level functions,
    /// which belongs to no instance.
    ///
    /// Compared with a number (`event.wd == -1`, `wd == someInt32`), only the
    /// number counts, as in py-inotify.
    public struct WatchDescriptor: Hashable, Sendable, CustomStringConvertible {
        // The instance first: the struct packs into 12 bytes, which keeps an
        // event as small as it can be with it.
        /// The identity of the instance that made the watch; 0 for none.
        let instance: UInt64
        /// The kernel's number: what py-inotify's `wd` is.
        public let rawValue: Int32

        init(rawValue: Int32, instance: UInt64) {
            self.rawValue = rawValue
            self.instance = instance
        }

        /// A number that belongs to no instance: an event's `wd` where the
        /// event was not read through an ``Inotify`` instance.
        init(unowned rawValue: Int32) {
            self.init(rawValue: rawValue, instance: 0)
        }

        /// Whether an instance made it: false for the `wd` of an event decoded
        /// from plain bytes or read by the descriptor-level functions.
        public var hasInstance: Bool { instance != 0 }

        /// `wd 1`.
        public var description: String { "wd \(rawValue)" }

        /// Whether `event` belongs to this watch: `event.wd == self`.
        public func matches(_ event: Event) -> Bool { event.wd == self }

        /// Whether `lhs` has the number `rhs`, whichever instance it belongs to.
        public static func == (lhs: WatchDescriptor, rhs: Int32) -> Bool { lhs.rawValue == rhs }

        /// Whether `rhs` has the number `lhs`, whichever instance it belongs to.
        public static func == (lhs: Int32, rhs: WatchDescriptor) -> Bool { lhs == rhs.rawValue }

        /// Whether `lhs` has a number other than `rhs`.
        public static func != (lhs: WatchDescriptor, rhs: Int32) -> Bool { lhs.rawValue != rhs }

        /// Whether `rhs` has a number other than `lhs`.
        public static func != (lhs: Int32, rhs: WatchDescriptor) -> Bool { lhs != rhs.rawValue }

        /// Matches by number in a `switch` (`case -1:`), whichever instance.
        public static func ~= (pattern: Int32, value: WatchDescriptor) -> Bool { pattern == value.rawValue }
    }
}
