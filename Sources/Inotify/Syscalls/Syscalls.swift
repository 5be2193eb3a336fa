// The only file of the library that calls C. Every call returns a Result with
// the Errno, retries EINTR here (so it never reaches callers by accident), and
// consults the fault plan first, so that a test can make any call fail with
// any errno without touching the kernel.

import CInotify
import Glibc
import SystemPackage

enum Syscalls {
    /// inotify_init(2).
    static func inotifyInit() -> Result<CInt, Errno> {
        retrying(.inotifyInit) { inotify_init() }
    }

    /// inotify_init1(2).
    static func inotifyInit1(_ flags: CInt) -> Result<CInt, Errno> {
        retrying(.inotifyInit1) { inotify_init1(flags) }
    }

    /// inotify_add_watch(2). `path` must be NUL-terminated.
    static func inotifyAddWatch(
        _ fd: CInt, _ path: UnsafePointer<CChar>, _ mask: UInt32
    ) -> Result<CInt, Errno> {
        retrying(.inotifyAddWatch) { inotify_add_watch(fd, path, mask) }
    }

    /// inotify_rm_watch(2).
    static func inotifyRmWatch(_ fd: CInt, _ wd: CInt) -> Result<Void, Errno> {
        retrying(.inotifyRmWatch) { inotify_rm_watch(fd, wd) }.map { _ in () }
    }

    /// read(2).
    static func read(
        _ fd: CInt, _ buffer: UnsafeMutableRawBufferPointer
    ) -> Result<Int, Errno> {
        retrying(.read) { Glibc.read(fd, buffer.baseAddress, buffer.count) }
    }

    /// write(2).
    static func write(_ fd: CInt, _ buffer: UnsafeRawBufferPointer) -> Result<Int, Errno> {
        retrying(.write) { Glibc.write(fd, buffer.baseAddress, buffer.count) }
    }

    /// ioctl(fd, FIONREAD): how many bytes are queued.
    static func bytesQueued(_ fd: CInt) -> Result<Int, Errno> {
        var count: CInt = 0
        return retrying(.fionread) { cinotify_fionread(fd, &count) }.map { _ in Int(count) }
    }

    /// poll(2). EINTR is retried with the time that is left, so a signal
    /// neither shortens nor stretches the wait. `timeoutMilliseconds` < 0 waits forever.
    static func poll(
        _ fds: UnsafeMutableBufferPointer<pollfd>, timeoutMilliseconds: Int
    ) -> Result<Int, Errno> {
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(max(timeoutMilliseconds, 0)))
        var timeout = CInt(clamping: timeoutMilliseconds)
        while true {
            if let fault = FaultPlan.next(for: .poll) {
                if fault == .interrupted { continue }
                return .failure(fault)
            }
            let result = Glibc.poll(fds.baseAddress, nfds_t(fds.count), timeout)
            if result >= 0 { return .success(Int(result)) }
            let error = Errno(rawValue: errno)
            guard error == .interrupted else { return .failure(error) }
            if timeoutMilliseconds >= 0 {
                timeout = CInt(clamping: Inotify.milliseconds(until: deadline))
            }
        }
    }

    /// eventfd(2), close-on-exec and non-blocking: the wake-up line of an instance.
    static func eventfd() -> Result<CInt, Errno> {
        retrying(.eventfd) {
            cinotify_eventfd(0, cinotify_efd_cloexec() | cinotify_efd_nonblock())
        }
    }

    /// close(2). Not retried on EINTR: on Linux the descriptor is released
    /// even then, and a retry could close a number another thread just got.
    static func close(_ fd: CInt) -> Result<Void, Errno> {
        if let fault = FaultPlan.next(for: .close) { return .failure(fault) }
        FaultPlan.recordClose(fd)
        return Glibc.close(fd) == 0 ? .success(()) : .failure(Errno(rawValue: errno))
    }

    /// fcntl(fd, F_GETFL).
    static func statusFlags(_ fd: CInt) -> Result<CInt, Errno> {
        retrying(.fcntl) { fcntl(fd, F_GETFL) }
    }

    /// Reads a small text file such as /proc/sys/fs/inotify/max_user_watches.
    static func readSmallFile(_ path: String) -> Result<String, Errno> {
        let opened = retrying(.open) { open(path, O_RDONLY | O_CLOEXEC) }
        guard case .success(let fd) = opened else { return opened.map { _ in "" } }
        defer { _ = close(fd) }
        var bytes = [UInt8](repeating: 0, count: 64)
        let result = bytes.withUnsafeMutableBytes { read(fd, $0) }
        return result.map { count in String(decoding: bytes[..<count], as: UTF8.self) }
    }

    private static func retrying<T: BinaryInteger>(
        _ call: Syscall, _ body: () -> T
    ) -> Result<T, Errno> {
        while true {
            if let fault = FaultPlan.next(for: call) {
                if fault == .interrupted { continue }
                return .failure(fault)
            }
            let result = body()
            if result != -1 { return .success(result) }
            let error = Errno(rawValue: errno)
            if error != .interrupted { return .failure(error) }
        }
    }
}

/// The C calls of the library, named for fault injection.
enum Syscall: Hashable, Sendable {
    case inotifyInit, inotifyInit1, inotifyAddWatch, inotifyRmWatch
    case read, write, fionread, poll, eventfd, close, fcntl, open
}
