extension Fanotify {
    /// One fanotify event, owning its bytes: the metadata's mask, `fd` and
    /// `pid`, and its info records, names kept exactly as the kernel sent them.
    ///
    /// An event read through a ``Fanotify`` group owns the descriptors the
    /// kernel opened for it: ``file`` (the object, unless the group reports
    /// file identifiers) and ``processDescriptor`` (with `FAN_REPORT_PIDFD`).
    /// Each is closed when the last copy of the event goes away, unless taken
    /// first with ``EventDescriptor/take()``: a descriptor cannot be leaked by
    /// forgetting it. An event decoded from bytes owns none: ``fd`` is a number.
    ///
    /// Two events are equal when their kernel records are, whatever descriptors they own.
    public struct Event: Sendable, Hashable, CustomStringConvertible {
        /// What happened, and `FAN_ONDIR`.
        public var mask: EventMask
        /// The kernel's `fd`: a number (``Fanotify/FAN_NOFD`` when there is none).
        /// Use ``file`` for a descriptor that is open.
        public var fd: Int32
        /// The process (or thread) that caused the event.
        public var pid: Int32
        /// The info records, in the kernel's order.
        public var records: [InfoRecord]
        /// The event's descriptor of the object, owned by the event; nil for
        /// one decoded from bytes or without a descriptor (`fd` < 0).
        public let file: EventDescriptor?
        /// The pidfd of a `FAN_EVENT_INFO_TYPE_PIDFD` record, owned by the
        /// event; nil for one decoded from bytes or without a pidfd.
        public let processDescriptor: EventDescriptor?

        /// An event with these fields, owning no descriptor.
        public init(mask: EventMask, fd: Int32 = Fanotify.FAN_NOFD, pid: Int32 = 0, records: [InfoRecord] = []) {
            self.init(mask: mask, fd: fd, pid: pid, records: records, file: nil, processDescriptor: nil)
        }

        init(
            mask: EventMask, fd: Int32, pid: Int32, records: [InfoRecord], file: EventDescriptor?,
            processDescriptor: EventDescriptor?
        ) {
            self.mask = mask
            self.fd = fd
            self.pid = pid
            self.records = records
            self.file = file
            self.processDescriptor = processDescriptor
        }

        /// The file identifier records, in order.
        public var fileIDs: [FileID] {
            records.compactMap { if case .fileID(let id) = $0 { id } else { nil } }
        }

        /// The first file identifier record of `type` (`FAN_EVENT_INFO_TYPE_DFID_NAME` ...).
        public func fileID(_ type: UInt8) -> FileID? {
            fileIDs.first { $0.type == type }
        }

        /// The directory and name the event is about: the `DFID_NAME`
        /// record, else for a `FAN_RENAME` the `OLD_DFID_NAME` one.
        public var directoryEntry: FileID? {
            fileID(Fanotify.FAN_EVENT_INFO_TYPE_DFID_NAME) ?? fileID(Fanotify.FAN_EVENT_INFO_TYPE_OLD_DFID_NAME)
        }

        /// `Event(mask=CREATE|ONDIR, fd=-1, pid=42, records=[DFID_NAME fsid ... name 'a'])`.
        public var description: String {
            "Event(mask=\(mask), fd=\(fd), pid=\(pid), records=[\(records.map(\.description).joined(separator: ", "))])"
        }

        /// Whether the kernel records are the same: mask, fd, pid and info records.
        public static func == (lhs: Event, rhs: Event) -> Bool {
            lhs.mask == rhs.mask && lhs.fd == rhs.fd && lhs.pid == rhs.pid && lhs.records == rhs.records
        }

        /// Hashes what ``==(_:_:)`` compares.
        public func hash(into hasher: inout Hasher) {
            hasher.combine(mask)
            hasher.combine(fd)
            hasher.combine(pid)
            hasher.combine(records)
        }
    }
}
