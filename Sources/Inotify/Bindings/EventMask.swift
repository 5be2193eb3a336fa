extension Inotify {
    /// The mask of `inotify_add_watch` and of every event: which events, plus flags.
    ///
    /// Prints as names (`CREATE|ISDIR`); bits without a name print as hex, so no
    /// bit ever vanishes from a log line. ``init(parsing:)`` reads names back.
    /// Encodes as its number, as py-inotify prints it (`mask=256`).
    public struct EventMask: OptionSet, Sendable, Hashable, Codable {
        /// The bits, as the kernel reads and writes them.
        public let rawValue: UInt32
        /// The mask whose bits are `rawValue`'s, unknown ones included.
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// `IN_ACCESS`: file was accessed (read).
        public static let access = EventMask(rawValue: Inotify.IN_ACCESS)
        /// `IN_MODIFY`: file was modified.
        public static let modify = EventMask(rawValue: Inotify.IN_MODIFY)
        /// `IN_ATTRIB`: metadata changed.
        public static let attrib = EventMask(rawValue: Inotify.IN_ATTRIB)
        /// `IN_CLOSE_WRITE`: a file opened for writing was closed.
        public static let closeWrite = EventMask(rawValue: Inotify.IN_CLOSE_WRITE)
        /// `IN_CLOSE_NOWRITE`: a file not opened for writing was closed.
        public static let closeNoWrite = EventMask(rawValue: Inotify.IN_CLOSE_NOWRITE)
        /// `IN_OPEN`: a file or directory was opened.
        public static let open = EventMask(rawValue: Inotify.IN_OPEN)
        /// `IN_MOVED_FROM`: a name was moved out of a watched directory.
        public static let movedFrom = EventMask(rawValue: Inotify.IN_MOVED_FROM)
        /// `IN_MOVED_TO`: a name was moved into a watched directory.
        public static let movedTo = EventMask(rawValue: Inotify.IN_MOVED_TO)
        /// `IN_CREATE`: a name was created in a watched directory.
        public static let create = EventMask(rawValue: Inotify.IN_CREATE)
        /// `IN_DELETE`: a name was deleted from a watched directory.
        public static let delete = EventMask(rawValue: Inotify.IN_DELETE)
        /// `IN_DELETE_SELF`: the watched object itself was deleted.
        public static let deleteSelf = EventMask(rawValue: Inotify.IN_DELETE_SELF)
        /// `IN_MOVE_SELF`: the watched object itself was moved.
        public static let moveSelf = EventMask(rawValue: Inotify.IN_MOVE_SELF)

        /// `IN_CLOSE`: `closeWrite` and `closeNoWrite`.
        public static let close = EventMask(rawValue: Inotify.IN_CLOSE)
        /// `IN_MOVE`: `movedFrom` and `movedTo`.
        public static let move = EventMask(rawValue: Inotify.IN_MOVE)
        /// `IN_ALL_EVENTS`: the twelve events above.
        public static let allEvents = EventMask(rawValue: Inotify.IN_ALL_EVENTS)

        /// `IN_UNMOUNT`: the file system of the watched object was unmounted.
        public static let unmount = EventMask(rawValue: Inotify.IN_UNMOUNT)
        /// `IN_Q_OVERFLOW`: the kernel's queue overflowed; events were lost.
        public static let queueOverflow = EventMask(rawValue: Inotify.IN_Q_OVERFLOW)
        /// `IN_IGNORED`: the watch is gone.
        public static let ignored = EventMask(rawValue: Inotify.IN_IGNORED)

        /// `IN_ONLYDIR`: watch only if the path is a directory.
        public static let onlyDir = EventMask(rawValue: Inotify.IN_ONLYDIR)
        /// `IN_DONT_FOLLOW`: do not follow a final symbolic link.
        public static let dontFollow = EventMask(rawValue: Inotify.IN_DONT_FOLLOW)
        /// `IN_EXCL_UNLINK`: no events for children after they are unlinked.
        public static let exclUnlink = EventMask(rawValue: Inotify.IN_EXCL_UNLINK)
        /// `IN_MASK_CREATE`: fail with EEXIST if the path is already watched.
        public static let maskCreate = EventMask(rawValue: Inotify.IN_MASK_CREATE)
        /// `IN_MASK_ADD`: add to the existing watch's mask.
        public static let maskAdd = EventMask(rawValue: Inotify.IN_MASK_ADD)
        /// `IN_ISDIR`: in an event, the subject is a directory.
        public static let isDir = EventMask(rawValue: Inotify.IN_ISDIR)
        /// `IN_ONESHOT`: one event, then the watch is removed.
        public static let oneShot = EventMask(rawValue: Inotify.IN_ONESHOT)

        /// Every bit the kernel's `inotify_add_watch` knows: events, kernel-sent
        /// bits and flags (the kernel's `ALL_INOTIFY_BITS`).
        public static let allKnownBits: EventMask = [
            .allEvents, .unmount, .queueOverflow, .ignored, .onlyDir, .dontFollow,
            .exclUnlink, .maskCreate, .maskAdd, .isDir, .oneShot,
        ]
    }
}

extension Inotify.EventMask {
    /// The bits of `allEvents` that are set: the part of a mask that asks for events.
    public var events: Inotify.EventMask { intersection(.allEvents) }
}
