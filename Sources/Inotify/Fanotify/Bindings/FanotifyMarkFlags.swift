extension Fanotify {
    /// What a mark is on: fanotify_mark(2)'s mark type, a value in its flags.
    public enum MarkTarget: UInt32, Sendable, Hashable, CaseIterable {
        /// The file or directory the path names. The corresponding C constant is `FAN_MARK_INODE`.
        case inode = 0x0000_0000
        /// The mount the path is on: needs CAP_SYS_ADMIN, and reports no
        /// directory-entry events. The corresponding C constant is `FAN_MARK_MOUNT`.
        case mount = 0x0000_0010
        /// The filesystem the path is on: needs CAP_SYS_ADMIN.
        /// The corresponding C constant is `FAN_MARK_FILESYSTEM`.
        case filesystem = 0x0000_0100
        /// The mount namespace the path names (an nsfs file), for mount
        /// events (Linux 6.15). The corresponding C constant is `FAN_MARK_MNTNS`.
        case mountNamespace = 0x0000_0110

        /// The C constant's name.
        public var name: String {
            switch self {
            case .inode: "FAN_MARK_INODE"
            case .mount: "FAN_MARK_MOUNT"
            case .filesystem: "FAN_MARK_FILESYSTEM"
            case .mountNamespace: "FAN_MARK_MNTNS"
            }
        }
    }

    /// The flags of fanotify_mark(2) beside the action (add, remove, flush)
    /// and the ``MarkTarget``.
    public struct MarkFlags: OptionSet, Sendable, Hashable {
        /// The bits, as fanotify_mark(2) takes them.
        public let rawValue: UInt32
        /// The flags whose bits are `rawValue`'s.
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// Do not follow a final symbolic link. The corresponding C constant is `FAN_MARK_DONT_FOLLOW`.
        public static let dontFollow = MarkFlags(rawValue: Fanotify.FAN_MARK_DONT_FOLLOW)
        /// Fail with ENOTDIR unless the path is a directory.
        /// The corresponding C constant is `FAN_MARK_ONLYDIR`.
        public static let onlyDir = MarkFlags(rawValue: Fanotify.FAN_MARK_ONLYDIR)
        /// The mask is the ignore mask (the older form, which ignores `FAN_ONDIR`
        /// and `FAN_EVENT_ON_CHILD`). The corresponding C constant is `FAN_MARK_IGNORED_MASK`.
        public static let ignoredMask = MarkFlags(rawValue: Fanotify.FAN_MARK_IGNORED_MASK)
        /// The ignore mask survives a modification of the file.
        /// The corresponding C constant is `FAN_MARK_IGNORED_SURV_MODIFY`.
        public static let ignoredSurvivesModify = MarkFlags(rawValue: Fanotify.FAN_MARK_IGNORED_SURV_MODIFY)
        /// The inode mark may be evicted with the inode (Linux 5.19).
        /// The corresponding C constant is `FAN_MARK_EVICTABLE`.
        public static let evictable = MarkFlags(rawValue: Fanotify.FAN_MARK_EVICTABLE)
        /// The mask is the ignore mask, obeying `FAN_ONDIR` and `FAN_EVENT_ON_CHILD`
        /// (Linux 6.0); on a mount, a filesystem or a directory it needs ``ignoredSurvivesModify``.
        /// The corresponding C constant is `FAN_MARK_IGNORE`.
        public static let ignore = MarkFlags(rawValue: Fanotify.FAN_MARK_IGNORE)
    }
}
