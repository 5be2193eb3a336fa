// Every constant of <linux/fanotify.h>, under its C name, as the inotify side
// has them. The values are written out (the kernel ABI fixes them); a test
// holds each one against the C header, where CInotify.h defines the ones the
// C library's header is too old for.

extension Fanotify {
    // MARK: Events

    /// A file or directory was accessed (read). The corresponding C constant is `FAN_ACCESS`.
    public static let FAN_ACCESS: UInt64 = 0x0000_0001
    /// A file was modified. The corresponding C constant is `FAN_MODIFY`.
    public static let FAN_MODIFY: UInt64 = 0x0000_0002
    /// Metadata changed (Linux 5.1, file identifier reporting).
    /// The corresponding C constant is `FAN_ATTRIB`.
    public static let FAN_ATTRIB: UInt64 = 0x0000_0004
    /// A file opened for writing was closed. The corresponding C constant is `FAN_CLOSE_WRITE`.
    public static let FAN_CLOSE_WRITE: UInt64 = 0x0000_0008
    /// A file or directory not opened for writing was closed.
    /// The corresponding C constant is `FAN_CLOSE_NOWRITE`.
    public static let FAN_CLOSE_NOWRITE: UInt64 = 0x0000_0010
    /// A file or directory was opened. The corresponding C constant is `FAN_OPEN`.
    public static let FAN_OPEN: UInt64 = 0x0000_0020
    /// A name was moved out of a marked directory (Linux 5.1, file identifier reporting).
    /// The corresponding C constant is `FAN_MOVED_FROM`.
    public static let FAN_MOVED_FROM: UInt64 = 0x0000_0040
    /// A name was moved into a marked directory (Linux 5.1, file identifier reporting).
    /// The corresponding C constant is `FAN_MOVED_TO`.
    public static let FAN_MOVED_TO: UInt64 = 0x0000_0080
    /// A name was created in a marked directory (Linux 5.1, file identifier reporting).
    /// The corresponding C constant is `FAN_CREATE`.
    public static let FAN_CREATE: UInt64 = 0x0000_0100
    /// A name was deleted from a marked directory (Linux 5.1, file identifier reporting).
    /// The corresponding C constant is `FAN_DELETE`.
    public static let FAN_DELETE: UInt64 = 0x0000_0200
    /// The marked object itself was deleted (Linux 5.1, file identifier reporting).
    /// The corresponding C constant is `FAN_DELETE_SELF`.
    public static let FAN_DELETE_SELF: UInt64 = 0x0000_0400
    /// The marked object itself was moved (Linux 5.1, file identifier reporting).
    /// The corresponding C constant is `FAN_MOVE_SELF`.
    public static let FAN_MOVE_SELF: UInt64 = 0x0000_0800
    /// A file was opened to be executed (Linux 5.0). The corresponding C constant is `FAN_OPEN_EXEC`.
    public static let FAN_OPEN_EXEC: UInt64 = 0x0000_1000
    /// The queue overflowed and events were lost. The corresponding C constant is `FAN_Q_OVERFLOW`.
    public static let FAN_Q_OVERFLOW: UInt64 = 0x0000_4000
    /// A filesystem error was detected (Linux 5.16, filesystem marks).
    /// The corresponding C constant is `FAN_FS_ERROR`.
    public static let FAN_FS_ERROR: UInt64 = 0x0000_8000
    /// Permission to open a file or directory is asked (a content class).
    /// The corresponding C constant is `FAN_OPEN_PERM`.
    public static let FAN_OPEN_PERM: UInt64 = 0x0001_0000
    /// Permission to read a file or directory is asked (a content class).
    /// The corresponding C constant is `FAN_ACCESS_PERM`.
    public static let FAN_ACCESS_PERM: UInt64 = 0x0002_0000
    /// Permission to open a file for execution is asked (Linux 5.0, a content class).
    /// The corresponding C constant is `FAN_OPEN_EXEC_PERM`.
    public static let FAN_OPEN_EXEC_PERM: UInt64 = 0x0004_0000
    /// A range of a file is about to be accessed (Linux 6.14, the pre-content class).
    /// The corresponding C constant is `FAN_PRE_ACCESS`.
    public static let FAN_PRE_ACCESS: UInt64 = 0x0010_0000
    /// A mount was attached to a marked mount namespace (Linux 6.15).
    /// The corresponding C constant is `FAN_MNT_ATTACH`.
    public static let FAN_MNT_ATTACH: UInt64 = 0x0100_0000
    /// A mount was detached from a marked mount namespace (Linux 6.15).
    /// The corresponding C constant is `FAN_MNT_DETACH`.
    public static let FAN_MNT_DETACH: UInt64 = 0x0200_0000
    /// In a mark's mask: report events of a marked directory's children too.
    /// The corresponding C constant is `FAN_EVENT_ON_CHILD`.
    public static let FAN_EVENT_ON_CHILD: UInt64 = 0x0800_0000
    /// A name was renamed, with its old and new directory and name in one event
    /// (Linux 5.17, `FAN_REPORT_NAME`). The corresponding C constant is `FAN_RENAME`.
    public static let FAN_RENAME: UInt64 = 0x1000_0000
    /// In a mark's mask: report events on directories too; in an event: the
    /// subject is a directory. The corresponding C constant is `FAN_ONDIR`.
    public static let FAN_ONDIR: UInt64 = 0x4000_0000
    /// `FAN_CLOSE_WRITE | FAN_CLOSE_NOWRITE`. The corresponding C constant is `FAN_CLOSE`.
    public static let FAN_CLOSE: UInt64 = FAN_CLOSE_WRITE | FAN_CLOSE_NOWRITE
    /// `FAN_MOVED_FROM | FAN_MOVED_TO`. The corresponding C constant is `FAN_MOVE`.
    public static let FAN_MOVE: UInt64 = FAN_MOVED_FROM | FAN_MOVED_TO

    // MARK: Flags of fanotify_init

    /// Close the group's descriptor on exec. The corresponding C constant is `FAN_CLOEXEC`.
    public static let FAN_CLOEXEC: UInt32 = 0x0000_0001
    /// Open the group's descriptor non-blocking. The corresponding C constant is `FAN_NONBLOCK`.
    public static let FAN_NONBLOCK: UInt32 = 0x0000_0002
    /// Notification only: no permission events (0). The corresponding C constant is `FAN_CLASS_NOTIF`.
    public static let FAN_CLASS_NOTIF: UInt32 = 0x0000_0000
    /// Permission events, for a program that decides on final content.
    /// The corresponding C constant is `FAN_CLASS_CONTENT`.
    public static let FAN_CLASS_CONTENT: UInt32 = 0x0000_0004
    /// Permission events before content is final (hierarchical storage).
    /// The corresponding C constant is `FAN_CLASS_PRE_CONTENT`.
    public static let FAN_CLASS_PRE_CONTENT: UInt32 = 0x0000_0008
    /// No limit on the queue's length (needs CAP_SYS_ADMIN).
    /// The corresponding C constant is `FAN_UNLIMITED_QUEUE`.
    public static let FAN_UNLIMITED_QUEUE: UInt32 = 0x0000_0010
    /// No limit on the group's marks (needs CAP_SYS_ADMIN).
    /// The corresponding C constant is `FAN_UNLIMITED_MARKS`.
    public static let FAN_UNLIMITED_MARKS: UInt32 = 0x0000_0020
    /// Permission decisions may ask for an audit record (Linux 4.15, CAP_AUDIT_WRITE).
    /// The corresponding C constant is `FAN_ENABLE_AUDIT`.
    public static let FAN_ENABLE_AUDIT: UInt32 = 0x0000_0040
    /// Report a pidfd of the acting process in an info record (Linux 5.15).
    /// The corresponding C constant is `FAN_REPORT_PIDFD`.
    public static let FAN_REPORT_PIDFD: UInt32 = 0x0000_0080
    /// An event's `pid` is the thread's id (Linux 4.20). The corresponding C constant is `FAN_REPORT_TID`.
    public static let FAN_REPORT_TID: UInt32 = 0x0000_0100
    /// Report the object by file identifier (filesystem id and file handle)
    /// instead of a descriptor (Linux 5.1). The corresponding C constant is `FAN_REPORT_FID`.
    public static let FAN_REPORT_FID: UInt32 = 0x0000_0200
    /// Report the directory's file identifier (Linux 5.9).
    /// The corresponding C constant is `FAN_REPORT_DIR_FID`.
    public static let FAN_REPORT_DIR_FID: UInt32 = 0x0000_0400
    /// Report the name in the directory too; needs `FAN_REPORT_DIR_FID` (Linux 5.9).
    /// The corresponding C constant is `FAN_REPORT_NAME`.
    public static let FAN_REPORT_NAME: UInt32 = 0x0000_0800
    /// Report the target of directory-entry events by file identifier (Linux 5.17).
    /// The corresponding C constant is `FAN_REPORT_TARGET_FID`.
    public static let FAN_REPORT_TARGET_FID: UInt32 = 0x0000_1000
    /// An event's `fd` may be a negative errno instead of `FAN_NOFD` (Linux 6.13).
    /// The corresponding C constant is `FAN_REPORT_FD_ERROR`.
    public static let FAN_REPORT_FD_ERROR: UInt32 = 0x0000_2000
    /// Report mount events with a mount id record (Linux 6.15).
    /// The corresponding C constant is `FAN_REPORT_MNT`.
    public static let FAN_REPORT_MNT: UInt32 = 0x0000_4000
    /// `FAN_REPORT_DIR_FID | FAN_REPORT_NAME`. The corresponding C constant is `FAN_REPORT_DFID_NAME`.
    public static let FAN_REPORT_DFID_NAME: UInt32 = FAN_REPORT_DIR_FID | FAN_REPORT_NAME
    /// `FAN_REPORT_DFID_NAME | FAN_REPORT_FID | FAN_REPORT_TARGET_FID`.
    /// The corresponding C constant is `FAN_REPORT_DFID_NAME_TARGET`.
    public static let FAN_REPORT_DFID_NAME_TARGET: UInt32 = FAN_REPORT_DFID_NAME | FAN_REPORT_FID | FAN_REPORT_TARGET_FID

    // MARK: Flags of fanotify_mark

    /// Add the mask to a mark. The corresponding C constant is `FAN_MARK_ADD`.
    public static let FAN_MARK_ADD: UInt32 = 0x0000_0001
    /// Remove the mask from a mark. The corresponding C constant is `FAN_MARK_REMOVE`.
    public static let FAN_MARK_REMOVE: UInt32 = 0x0000_0002
    /// Do not follow a final symbolic link. The corresponding C constant is `FAN_MARK_DONT_FOLLOW`.
    public static let FAN_MARK_DONT_FOLLOW: UInt32 = 0x0000_0004
    /// Fail unless the path is a directory. The corresponding C constant is `FAN_MARK_ONLYDIR`.
    public static let FAN_MARK_ONLYDIR: UInt32 = 0x0000_0008
    /// Mark the mount the path is on. The corresponding C constant is `FAN_MARK_MOUNT`.
    public static let FAN_MARK_MOUNT: UInt32 = 0x0000_0010
    /// The mask is the mark's ignore mask (the older form).
    /// The corresponding C constant is `FAN_MARK_IGNORED_MASK`.
    public static let FAN_MARK_IGNORED_MASK: UInt32 = 0x0000_0020
    /// The ignore mask survives a modification of the file.
    /// The corresponding C constant is `FAN_MARK_IGNORED_SURV_MODIFY`.
    public static let FAN_MARK_IGNORED_SURV_MODIFY: UInt32 = 0x0000_0040
    /// Remove every mark of the kind named. The corresponding C constant is `FAN_MARK_FLUSH`.
    public static let FAN_MARK_FLUSH: UInt32 = 0x0000_0080
    /// Mark the filesystem the path is on (Linux 4.20).
    /// The corresponding C constant is `FAN_MARK_FILESYSTEM`.
    public static let FAN_MARK_FILESYSTEM: UInt32 = 0x0000_0100
    /// The inode mark may be evicted with the inode (Linux 5.19).
    /// The corresponding C constant is `FAN_MARK_EVICTABLE`.
    public static let FAN_MARK_EVICTABLE: UInt32 = 0x0000_0200
    /// The mask is the mark's ignore mask, with `FAN_ONDIR` and
    /// `FAN_EVENT_ON_CHILD` obeyed (Linux 6.0). The corresponding C constant is `FAN_MARK_IGNORE`.
    public static let FAN_MARK_IGNORE: UInt32 = 0x0000_0400
    /// Mark the inode the path names (0). The corresponding C constant is `FAN_MARK_INODE`.
    public static let FAN_MARK_INODE: UInt32 = 0x0000_0000
    /// Mark the mount namespace the path names (Linux 6.15).
    /// The corresponding C constant is `FAN_MARK_MNTNS`.
    public static let FAN_MARK_MNTNS: UInt32 = 0x0000_0110
    /// `FAN_MARK_IGNORE | FAN_MARK_IGNORED_SURV_MODIFY`.
    /// The corresponding C constant is `FAN_MARK_IGNORE_SURV`.
    public static let FAN_MARK_IGNORE_SURV: UInt32 = FAN_MARK_IGNORE | FAN_MARK_IGNORED_SURV_MODIFY

    // MARK: Events and their info records

    /// The version of `struct fanotify_event_metadata` this library reads.
    /// The corresponding C constant is `FANOTIFY_METADATA_VERSION`.
    public static let FANOTIFY_METADATA_VERSION: UInt8 = 3
    /// The size of `struct fanotify_event_metadata`: 24 bytes.
    /// The corresponding C constant is `FAN_EVENT_METADATA_LEN`.
    public static let FAN_EVENT_METADATA_LEN: Int = 24
    /// An info record of the object's file identifier. The corresponding C constant is `FAN_EVENT_INFO_TYPE_FID`.
    public static let FAN_EVENT_INFO_TYPE_FID: UInt8 = 1
    /// An info record of the directory's file identifier and the name in it.
    /// The corresponding C constant is `FAN_EVENT_INFO_TYPE_DFID_NAME`.
    public static let FAN_EVENT_INFO_TYPE_DFID_NAME: UInt8 = 2
    /// An info record of the directory's file identifier.
    /// The corresponding C constant is `FAN_EVENT_INFO_TYPE_DFID`.
    public static let FAN_EVENT_INFO_TYPE_DFID: UInt8 = 3
    /// An info record of a pidfd of the acting process.
    /// The corresponding C constant is `FAN_EVENT_INFO_TYPE_PIDFD`.
    public static let FAN_EVENT_INFO_TYPE_PIDFD: UInt8 = 4
    /// An info record of a filesystem error. The corresponding C constant is `FAN_EVENT_INFO_TYPE_ERROR`.
    public static let FAN_EVENT_INFO_TYPE_ERROR: UInt8 = 5
    /// An info record of the range a pre-content event is about.
    /// The corresponding C constant is `FAN_EVENT_INFO_TYPE_RANGE`.
    public static let FAN_EVENT_INFO_TYPE_RANGE: UInt8 = 6
    /// An info record of a mount id. The corresponding C constant is `FAN_EVENT_INFO_TYPE_MNT`.
    public static let FAN_EVENT_INFO_TYPE_MNT: UInt8 = 7
    /// The old directory and name of a `FAN_RENAME`.
    /// The corresponding C constant is `FAN_EVENT_INFO_TYPE_OLD_DFID_NAME`.
    public static let FAN_EVENT_INFO_TYPE_OLD_DFID_NAME: UInt8 = 10
    /// The new directory and name of a `FAN_RENAME`.
    /// The corresponding C constant is `FAN_EVENT_INFO_TYPE_NEW_DFID_NAME`.
    public static let FAN_EVENT_INFO_TYPE_NEW_DFID_NAME: UInt8 = 12
    /// The event has no descriptor (file identifier reporting, overflow).
    /// The corresponding C constant is `FAN_NOFD`.
    public static let FAN_NOFD: Int32 = -1
    /// The pidfd record has no pidfd (the process is gone).
    /// The corresponding C constant is `FAN_NOPIDFD`.
    public static let FAN_NOPIDFD: Int32 = FAN_NOFD
    /// The pidfd could not be made. The corresponding C constant is `FAN_EPIDFD`.
    public static let FAN_EPIDFD: Int32 = -2

    // MARK: Answers to permission events

    /// Allow the access. The corresponding C constant is `FAN_ALLOW`.
    public static let FAN_ALLOW: UInt32 = 0x01
    /// Deny the access. The corresponding C constant is `FAN_DENY`.
    public static let FAN_DENY: UInt32 = 0x02
    /// Ask for an audit record of the decision. The corresponding C constant is `FAN_AUDIT`.
    public static let FAN_AUDIT: UInt32 = 0x10
    /// The answer carries extra information records. The corresponding C constant is `FAN_INFO`.
    public static let FAN_INFO: UInt32 = 0x20
}
