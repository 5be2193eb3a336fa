import SystemPackage

extension Inotify {
    /// One inotify event, as py-inotify's `Event(wd, mask, cookie, len, name)`.
    ///
    /// The name is kept as the exact bytes the kernel sent (``nameBytes``);
    /// ``name`` is a String view of them and ``nameComponent`` a `FilePath`
    /// view, both byte-exact where the bytes are UTF-8, and the component
    /// byte-exact always.
    ///
    /// An event read through an ``Inotify`` instance knows it: `event.wd == wd`
    /// holds for the watch `addWatch` returned, and ``Inotify/path(of:)-(Inotify.Event)``
    /// gives its full path. Two events are equal when their kernel records
    /// are (the `wd` number, mask, cookie, len and name bytes), whichever
    /// instance read them, as py-inotify's `Event` tuples are.
    public struct Event: Sendable, Hashable, CustomStringConvertible {
        /// The watch the event belongs to (number -1 for `IN_Q_OVERFLOW`),
        /// with the instance that read the event, if one did.
        public var wd: WatchDescriptor
        /// What happened, and flags such as `isDir`.
        public var mask: EventMask
        /// Pairs an `IN_MOVED_FROM` with its `IN_MOVED_TO`; 0 otherwise.
        public var cookie: UInt32
        /// The kernel's `len`: the name's size including its NUL padding; 0 for
        /// events on the watched object itself.
        public var len: UInt32
        /// The name's bytes, short ones without a heap allocation.
        @usableFromInline package var storedName: EventName

        /// py-inotify's `Event(wd, mask, cookie, len, name)`, with the name's
        /// bytes. Its `wd` belongs to no instance.
        public init(wd: Int32, mask: EventMask, cookie: UInt32 = 0, len: UInt32 = 0, nameBytes: [UInt8] = []) {
            self.init(wd: WatchDescriptor(unowned: wd), mask: mask, cookie: cookie, len: len, name: EventName(nameBytes))
        }

        init(wd: WatchDescriptor, mask: EventMask, cookie: UInt32, len: UInt32, name: EventName) {
            self.wd = wd
            self.mask = mask
            self.cookie = cookie
            self.len = len
            self.storedName = name
        }

        /// The name inside the watched directory, exactly as the kernel sent it,
        /// without the padding; empty for events on the watched object itself.
        /// Each access makes an array: ``withNameBytes(_:)`` reads without one.
        public var nameBytes: [UInt8] {
            get { storedName.bytes }
            set { storedName = EventName(newValue) }
        }

        /// Calls `body` with the name's bytes, without copying them. Inlinable,
        /// so that a caller's loop over events is specialised: no generic
        /// dispatch per event.
        @inlinable
        public func withNameBytes<R, E: Swift.Error>(
            _ body: (UnsafeRawBufferPointer) throws(E) -> R
        ) throws(E) -> R {
            try storedName.withBytes(body)
        }

        /// Whether the event names an entry of the watched directory.
        @inlinable
        public var hasName: Bool { storedName.count > 0 }

        /// The name as a String. Bytes that are not UTF-8 show as U+FFFD here;
        /// use ``nameBytes`` or ``nameComponent`` where every byte matters.
        public var name: String { storedName.withBytes { String(decoding: $0, as: UTF8.self) } }

        /// The name as a path component, byte for byte; nil when the event has
        /// no name, or a name that is not one component (one holding a `/`,
        /// which the kernel never sends, but an event made by hand can have).
        public var nameComponent: FilePath.Component? {
            FilePath.Component(name: storedName)
        }

        /// Exactly py-inotify's line: `Event(wd=1, mask=256, cookie=0, len=16, name='test.txt')`.
        /// The name is quoted as Python's `repr` quotes it; bytes that are not
        /// UTF-8 show as `\xNN`.
        public var description: String {
            "Event(wd=\(wd.rawValue), mask=\(mask.rawValue), cookie=\(cookie), len=\(len), name=\(storedName.withBytes { PythonRepr.string($0) }))"
        }

        /// Whether the kernel records are the same: the `wd` number (not the
        /// instance), mask, cookie, len and name bytes.
        public static func == (lhs: Event, rhs: Event) -> Bool {
            lhs.wd.rawValue == rhs.wd.rawValue && lhs.mask == rhs.mask && lhs.cookie == rhs.cookie
                && lhs.len == rhs.len && lhs.storedName == rhs.storedName
        }

        /// Hashes what ``==(_:_:)`` compares.
        public func hash(into hasher: inout Hasher) {
            hasher.combine(wd.rawValue)
            hasher.combine(mask)
            hasher.combine(cookie)
            hasher.combine(len)
            hasher.combine(storedName)
        }
    }

    /// The size of `struct inotify_event` without its name: 16 bytes.
    public static let eventHeaderSize = 16
    /// The size of the largest event: the header and a name of NAME_MAX (255)
    /// bytes plus its NUL, 272 bytes. A read buffer this large never fails
    /// with EINVAL.
    public static let maxEventSize = eventHeaderSize + 255 + 1
}
