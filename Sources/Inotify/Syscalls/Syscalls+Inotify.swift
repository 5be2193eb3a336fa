import CInotify
import Glibc
import SystemPackage

// inotify(7)'s calls, and the eventfd that wakes a waiting read.

extension Syscalls {
    /// inotify_init(2).
    static func inotifyInit() -> Result<CInt, Errno> {
        opening(call(.inotifyInit) { inotify_init() })
    }

    /// inotify_init1(2).
    static func inotifyInit1(_ flags: CInt) -> Result<CInt, Errno> {
        opening(call(.inotifyInit1) { inotify_init1(flags) })
    }

    /// inotify_add_watch(2). `path` must be NUL-terminated.
    static func inotifyAddWatch(
        _ fd: CInt, _ path: UnsafePointer<CChar>, _ mask: UInt32
    ) -> Result<CInt, Errno> {
        call(.inotifyAddWatch, .name(path)) { inotify_add_watch(fd, path, mask) }
    }

    /// inotify_rm_watch(2).
    static func inotifyRmWatch(_ fd: CInt, _ wd: CInt) -> Result<Void, Errno> {
        call(.inotifyRmWatch, .descriptor(fd)) { inotify_rm_watch(fd, wd) }.map { _ in () }
    }

    /// ioctl(fd, FIONREAD): how many bytes are queued.
    static func bytesQueued(_ fd: CInt) -> Result<Int, Errno> {
        var count: CInt = 0
        return call(.fionread, .descriptor(fd)) { cinotify_fionread(fd, &count) }.map { _ in Int(count) }
    }

    /// eventfd(2), close-on-exec and non-blocking: the wake-up line of an instance.
    static func eventfd() -> Result<CInt, Errno> {
        opening(call(.eventfd) {
            cinotify_eventfd(0, cinotify_efd_cloexec() | cinotify_efd_nonblock())
        })
    }
}
