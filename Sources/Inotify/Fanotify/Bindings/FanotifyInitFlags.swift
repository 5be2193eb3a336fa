extension Fanotify {
    /// The flags of fanotify_init(2): the class, the descriptor's own flags,
    /// the limits lifted and what events report.
    ///
    /// The class is a two-bit value, not a flag: `.notificationClass` is 0,
    /// the default; give at most one of ``contentClass`` and ``preContentClass``.
    public struct InitFlags: OptionSet, Sendable, Hashable {
        /// The bits, as fanotify_init(2) takes them.
        public let rawValue: UInt32
        /// The flags whose bits are `rawValue`'s.
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// Notification only (0: the absence of the other classes).
        /// The corresponding C constant is `FAN_CLASS_NOTIF`.
        public static var notificationClass: InitFlags { InitFlags(rawValue: Fanotify.FAN_CLASS_NOTIF) }
        /// Permission events on final content. The corresponding C constant is `FAN_CLASS_CONTENT`.
        public static let contentClass = InitFlags(rawValue: Fanotify.FAN_CLASS_CONTENT)
        /// Permission events before content is final.
        /// The corresponding C constant is `FAN_CLASS_PRE_CONTENT`.
        public static let preContentClass = InitFlags(rawValue: Fanotify.FAN_CLASS_PRE_CONTENT)
        /// The descriptor is closed in programs started with exec.
        /// The corresponding C constant is `FAN_CLOEXEC`.
        public static let closeOnExec = InitFlags(rawValue: Fanotify.FAN_CLOEXEC)
        /// Reads return at once with no events instead of waiting.
        /// The corresponding C constant is `FAN_NONBLOCK`.
        public static let nonBlocking = InitFlags(rawValue: Fanotify.FAN_NONBLOCK)
        /// No limit on the queue. The corresponding C constant is `FAN_UNLIMITED_QUEUE`.
        public static let unlimitedQueue = InitFlags(rawValue: Fanotify.FAN_UNLIMITED_QUEUE)
        /// No limit on the marks. The corresponding C constant is `FAN_UNLIMITED_MARKS`.
        public static let unlimitedMarks = InitFlags(rawValue: Fanotify.FAN_UNLIMITED_MARKS)
        /// Permission answers may ask for audit records. The corresponding C constant is `FAN_ENABLE_AUDIT`.
        public static let enableAudit = InitFlags(rawValue: Fanotify.FAN_ENABLE_AUDIT)
        /// A pidfd record with each event. The corresponding C constant is `FAN_REPORT_PIDFD`.
        public static let reportPidfd = InitFlags(rawValue: Fanotify.FAN_REPORT_PIDFD)
        /// `pid` is the thread's id. The corresponding C constant is `FAN_REPORT_TID`.
        public static let reportTid = InitFlags(rawValue: Fanotify.FAN_REPORT_TID)
        /// The object's file identifier. The corresponding C constant is `FAN_REPORT_FID`.
        public static let reportFid = InitFlags(rawValue: Fanotify.FAN_REPORT_FID)
        /// The directory's file identifier. The corresponding C constant is `FAN_REPORT_DIR_FID`.
        public static let reportDirFid = InitFlags(rawValue: Fanotify.FAN_REPORT_DIR_FID)
        /// The name in the directory (with ``reportDirFid``). The corresponding C constant is `FAN_REPORT_NAME`.
        public static let reportName = InitFlags(rawValue: Fanotify.FAN_REPORT_NAME)
        /// ``reportDirFid`` and ``reportName``. The corresponding C constant is `FAN_REPORT_DFID_NAME`.
        public static let reportDfidName = InitFlags(rawValue: Fanotify.FAN_REPORT_DFID_NAME)
        /// The target of directory-entry events. The corresponding C constant is `FAN_REPORT_TARGET_FID`.
        public static let reportTargetFid = InitFlags(rawValue: Fanotify.FAN_REPORT_TARGET_FID)
        /// `fd` may carry a negative errno. The corresponding C constant is `FAN_REPORT_FD_ERROR`.
        public static let reportFdError = InitFlags(rawValue: Fanotify.FAN_REPORT_FD_ERROR)
        /// Mount events. The corresponding C constant is `FAN_REPORT_MNT`.
        public static let reportMount = InitFlags(rawValue: Fanotify.FAN_REPORT_MNT)

        /// Whether events report file identifiers (any of `FAN_REPORT_FID`,
        /// `FAN_REPORT_DIR_FID`, `FAN_REPORT_NAME`, `FAN_REPORT_TARGET_FID`):
        /// then most events carry no descriptor.
        public var reportsFileIDs: Bool {
            !isDisjoint(with: [.reportFid, .reportDirFid, .reportName, .reportTargetFid])
        }
    }

    /// The flags of the descriptors events carry (fanotify_init(2)'s
    /// `event_f_flags`): open(2)'s access mode and flags.
    ///
    /// The access mode is a value: ``readOnly`` is 0; give at most one of
    /// ``writeOnly`` and ``readWrite``.
    public struct EventFileFlags: OptionSet, Sendable, Hashable {
        /// The bits, as open(2) takes them.
        public let rawValue: UInt32
        /// The flags whose bits are `rawValue`'s.
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// Open for reading (0). The corresponding C constant is `O_RDONLY`.
        public static var readOnly: EventFileFlags { [] }
        /// Open for writing. The corresponding C constant is `O_WRONLY`.
        public static let writeOnly = EventFileFlags(rawValue: 0o1)
        /// Open for reading and writing. The corresponding C constant is `O_RDWR`.
        public static let readWrite = EventFileFlags(rawValue: 0o2)
        /// Writes append. The corresponding C constant is `O_APPEND`.
        public static let append = EventFileFlags(rawValue: 0o2000)
        /// Non-blocking. The corresponding C constant is `O_NONBLOCK`.
        public static let nonBlocking = EventFileFlags(rawValue: 0o4000)
        /// Synchronised data writes. The corresponding C constant is `O_DSYNC`.
        public static let dataSync = EventFileFlags(rawValue: 0o10000)
        /// Files past 2 GiB on 32-bit systems. The corresponding C constant is `O_LARGEFILE`.
        public static let largeFile = EventFileFlags(rawValue: 0o100000)
        /// Reads leave the access time. The corresponding C constant is `O_NOATIME`.
        public static let noAccessTime = EventFileFlags(rawValue: 0o1000000)
        /// Closed in programs started with exec. The corresponding C constant is `O_CLOEXEC`.
        public static let closeOnExec = EventFileFlags(rawValue: 0o2000000)
        /// Synchronised writes. The corresponding C constant is `O_SYNC`.
        public static let sync = EventFileFlags(rawValue: 0o4010000)
    }
}
