extension Fanotify {
    /// The 64-bit mask of `fanotify_mark` and of every event: which events,
    /// plus `FAN_ONDIR` and `FAN_EVENT_ON_CHILD`.
    ///
    /// Prints as names (`CREATE|ONDIR`); bits without a name print as hex, so
    /// no bit ever vanishes from a log line. ``init(parsing:)`` reads names back.
    public struct EventMask: OptionSet, Sendable, Hashable {
        /// The bits, as the kernel reads and writes them.
        public let rawValue: UInt64
        /// The mask whose bits are `rawValue`'s, unknown ones included.
        public init(rawValue: UInt64) { self.rawValue = rawValue }

        /// `FAN_ACCESS`: a file or directory was read.
        public static let access = EventMask(rawValue: Fanotify.FAN_ACCESS)
        /// `FAN_MODIFY`: a file was modified.
        public static let modify = EventMask(rawValue: Fanotify.FAN_MODIFY)
        /// `FAN_ATTRIB`: metadata changed.
        public static let attrib = EventMask(rawValue: Fanotify.FAN_ATTRIB)
        /// `FAN_CLOSE_WRITE`: a file opened for writing was closed.
        public static let closeWrite = EventMask(rawValue: Fanotify.FAN_CLOSE_WRITE)
        /// `FAN_CLOSE_NOWRITE`: a file not opened for writing was closed.
        public static let closeNoWrite = EventMask(rawValue: Fanotify.FAN_CLOSE_NOWRITE)
        /// `FAN_OPEN`: a file or directory was opened.
        public static let open = EventMask(rawValue: Fanotify.FAN_OPEN)
        /// `FAN_MOVED_FROM`: a name was moved out of a directory.
        public static let movedFrom = EventMask(rawValue: Fanotify.FAN_MOVED_FROM)
        /// `FAN_MOVED_TO`: a name was moved into a directory.
        public static let movedTo = EventMask(rawValue: Fanotify.FAN_MOVED_TO)
        /// `FAN_CREATE`: a name was created in a directory.
        public static let create = EventMask(rawValue: Fanotify.FAN_CREATE)
        /// `FAN_DELETE`: a name was deleted from a directory.
        public static let delete = EventMask(rawValue: Fanotify.FAN_DELETE)
        /// `FAN_DELETE_SELF`: the marked object itself was deleted.
        public static let deleteSelf = EventMask(rawValue: Fanotify.FAN_DELETE_SELF)
        /// `FAN_MOVE_SELF`: the marked object itself was moved.
        public static let moveSelf = EventMask(rawValue: Fanotify.FAN_MOVE_SELF)
        /// `FAN_OPEN_EXEC`: a file was opened to be executed.
        public static let openExec = EventMask(rawValue: Fanotify.FAN_OPEN_EXEC)
        /// `FAN_Q_OVERFLOW`: the queue overflowed; events were lost.
        public static let queueOverflow = EventMask(rawValue: Fanotify.FAN_Q_OVERFLOW)
        /// `FAN_FS_ERROR`: a filesystem error.
        public static let fsError = EventMask(rawValue: Fanotify.FAN_FS_ERROR)
        /// `FAN_OPEN_PERM`: permission to open is asked.
        public static let openPerm = EventMask(rawValue: Fanotify.FAN_OPEN_PERM)
        /// `FAN_ACCESS_PERM`: permission to read is asked.
        public static let accessPerm = EventMask(rawValue: Fanotify.FAN_ACCESS_PERM)
        /// `FAN_OPEN_EXEC_PERM`: permission to open for execution is asked.
        public static let openExecPerm = EventMask(rawValue: Fanotify.FAN_OPEN_EXEC_PERM)
        /// `FAN_PRE_ACCESS`: a range is about to be accessed.
        public static let preAccess = EventMask(rawValue: Fanotify.FAN_PRE_ACCESS)
        /// `FAN_MNT_ATTACH`: a mount was attached.
        public static let mountAttach = EventMask(rawValue: Fanotify.FAN_MNT_ATTACH)
        /// `FAN_MNT_DETACH`: a mount was detached.
        public static let mountDetach = EventMask(rawValue: Fanotify.FAN_MNT_DETACH)
        /// `FAN_EVENT_ON_CHILD`: in a mark, report a directory's children's events too.
        public static let eventOnChild = EventMask(rawValue: Fanotify.FAN_EVENT_ON_CHILD)
        /// `FAN_RENAME`: a name was renamed (old and new in one event).
        public static let rename = EventMask(rawValue: Fanotify.FAN_RENAME)
        /// `FAN_ONDIR`: in a mark, report directories' events too; in an event, the subject is a directory.
        public static let onDir = EventMask(rawValue: Fanotify.FAN_ONDIR)

        /// `FAN_CLOSE`: `closeWrite` and `closeNoWrite`.
        public static let close = EventMask(rawValue: Fanotify.FAN_CLOSE)
        /// `FAN_MOVE`: `movedFrom` and `movedTo`.
        public static let move = EventMask(rawValue: Fanotify.FAN_MOVE)

        /// The events about directory entries (create, delete, moves,
        /// rename): a mount mark cannot report them, and they need a group
        /// that reports file identifiers.
        public static let directoryEntryEvents: EventMask = [.create, .delete, .move, .rename]
    }
}
