// Every constant of <sys/inotify.h>, under its C name, as py-inotify exposes
// them at the top of its module. The values are written out (the kernel ABI
// fixes them); a test holds each one against the C header.

extension Inotify {
    // MARK: Events that can be watched

    /// File was accessed (read). The corresponding C constant is `IN_ACCESS`.
    public static let IN_ACCESS: UInt32 = 0x0000_0001
    /// File was modified (written, truncated). The corresponding C constant is `IN_MODIFY`.
    public static let IN_MODIFY: UInt32 = 0x0000_0002
    /// Metadata changed (permissions, timestamps, extended attributes, link count,
    /// owner). The corresponding C constant is `IN_ATTRIB`.
    public static let IN_ATTRIB: UInt32 = 0x0000_0004
    /// A file opened for writing was closed. The corresponding C constant is `IN_CLOSE_WRITE`.
    public static let IN_CLOSE_WRITE: UInt32 = 0x0000_0008
    /// A file or directory not opened for writing was closed.
    /// The corresponding C constant is `IN_CLOSE_NOWRITE`.
    public static let IN_CLOSE_NOWRITE: UInt32 = 0x0000_0010
    /// A file or directory was opened. The corresponding C constant is `IN_OPEN`.
    public static let IN_OPEN: UInt32 = 0x0000_0020
    /// A name was moved out of a watched directory. The corresponding C constant is `IN_MOVED_FROM`.
    public static let IN_MOVED_FROM: UInt32 = 0x0000_0040
    /// A name was moved into a watched directory. The corresponding C constant is `IN_MOVED_TO`.
    public static let IN_MOVED_TO: UInt32 = 0x0000_0080
    /// A file or directory was created in a watched directory.
    /// The corresponding C constant is `IN_CREATE`.
    public static let IN_CREATE: UInt32 = 0x0000_0100
    /// A file or directory was deleted from a watched directory.
    /// The corresponding C constant is `IN_DELETE`.
    public static let IN_DELETE: UInt32 = 0x0000_0200
    /// The watched file or directory itself was deleted. The corresponding C constant is `IN_DELETE_SELF`.
    public static let IN_DELETE_SELF: UInt32 = 0x0000_0400
    /// The watched file or directory itself was moved. The corresponding C constant is `IN_MOVE_SELF`.
    public static let IN_MOVE_SELF: UInt32 = 0x0000_0800

    // MARK: Helpers

    /// `IN_CLOSE_WRITE | IN_CLOSE_NOWRITE`. The corresponding C constant is `IN_CLOSE`.
    public static let IN_CLOSE: UInt32 = IN_CLOSE_WRITE | IN_CLOSE_NOWRITE
    /// `IN_MOVED_FROM | IN_MOVED_TO`. The corresponding C constant is `IN_MOVE`.
    public static let IN_MOVE: UInt32 = IN_MOVED_FROM | IN_MOVED_TO
    /// All twelve events above (4095). The corresponding C constant is `IN_ALL_EVENTS`.
    public static let IN_ALL_EVENTS: UInt32 = 0x0000_0FFF

    // MARK: Sent by the kernel whatever the mask

    /// The file system holding the watched object was unmounted; `IN_IGNORED` follows.
    /// The corresponding C constant is `IN_UNMOUNT`.
    public static let IN_UNMOUNT: UInt32 = 0x0000_2000
    /// The event queue overflowed and events were lost; the event's wd is -1.
    /// The corresponding C constant is `IN_Q_OVERFLOW`.
    public static let IN_Q_OVERFLOW: UInt32 = 0x0000_4000
    /// The watch was removed (by `inotify_rm_watch`, deletion, unmount or `IN_ONESHOT`).
    /// The corresponding C constant is `IN_IGNORED`.
    public static let IN_IGNORED: UInt32 = 0x0000_8000

    // MARK: Flags for inotify_add_watch

    /// Watch the path only if it is a directory. The corresponding C constant is `IN_ONLYDIR`.
    public static let IN_ONLYDIR: UInt32 = 0x0100_0000
    /// Do not follow a symbolic link at the end of the path. The corresponding C constant is `IN_DONT_FOLLOW`.
    public static let IN_DONT_FOLLOW: UInt32 = 0x0200_0000
    /// Stop reporting events for children once they are unlinked from the watched directory.
    /// The corresponding C constant is `IN_EXCL_UNLINK`.
    public static let IN_EXCL_UNLINK: UInt32 = 0x0400_0000
    /// Fail with EEXIST if the path is already watched (Linux 4.18).
    /// The corresponding C constant is `IN_MASK_CREATE`.
    public static let IN_MASK_CREATE: UInt32 = 0x1000_0000
    /// Add to the existing watch's mask instead of replacing it. The corresponding C constant is `IN_MASK_ADD`.
    public static let IN_MASK_ADD: UInt32 = 0x2000_0000
    /// In an event: the subject is a directory. The corresponding C constant is `IN_ISDIR`.
    public static let IN_ISDIR: UInt32 = 0x4000_0000
    /// Report one event, then remove the watch. The corresponding C constant is `IN_ONESHOT`.
    public static let IN_ONESHOT: UInt32 = 0x8000_0000

    // MARK: Flags for inotify_init1

    /// Open the instance's descriptor non-blocking. The corresponding C constant is `IN_NONBLOCK`.
    public static let IN_NONBLOCK: Int32 = 0o0004000
    /// Close the instance's descriptor on exec. The corresponding C constant is `IN_CLOEXEC`.
    public static let IN_CLOEXEC: Int32 = 0o2000000
}
