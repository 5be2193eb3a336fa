// The only file of the library that calls C. Every call returns a Result with
// the Errno, retries EINTR here (so it never reaches callers by accident), and
// consults the fault plan first, so that a test can make any call fail with
// any errno without touching the kernel.

import CInotify
import Glibc
import SystemPackage

package enum Syscalls {
    /// inotify_init(2).
    static func inotifyInit() -> Result<CInt, Errno> {
        opening(retrying(.inotifyInit) { inotify_init() })
    }

    /// inotify_init1(2).
    static func inotifyInit1(_ flags: CInt) -> Result<CInt, Errno> {
        opening(retrying(.inotifyInit1) { inotify_init1(flags) })
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
        opening(retrying(.eventfd) {
            cinotify_eventfd(0, cinotify_efd_cloexec() | cinotify_efd_nonblock())
        })
    }

    /// close(2). Not retried on EINTR: on Linux the descriptor is released
    /// even then, and a retry could close a number another thread just got.
    static func close(_ fd: CInt) -> Result<Void, Errno> {
        if let fault = FaultPlan.next(for: .close) { return .failure(fault) }
        FaultPlan.recordClose(fd)
        return Glibc.close(fd) == 0 ? .success(()) : .failure(Errno(rawValue: errno))
    }

    /// Reads a small text file such as /proc/sys/fs/inotify/max_user_watches.
    static func readSmallFile(_ path: String) -> Result<String, Errno> {
        let opened = opening(retrying(.open) { open(path, O_RDONLY | O_CLOEXEC) })
        guard case .success(let fd) = opened else { return opened.map { _ in "" } }
        defer { _ = close(fd) }
        var bytes = [UInt8](repeating: 0, count: 64)
        let result = bytes.withUnsafeMutableBytes { read(fd, $0) }
        return result.map { count in String(decoding: bytes[..<count], as: UTF8.self) }
    }

    /// pthread_create(3), detached: starts `body` on a thread of its own, named
    /// `name` (at most 15 bytes) for ps, top and /proc. The thread inherits
    /// the caller's fault plan. One that is not `injectable` takes no planned
    /// failure: a helper thread whose caller can do without it must not use up
    /// the failure a test meant for the thread that matters.
    package static func spawnThread(
        named name: String, injectable: Bool = true, _ body: @escaping @Sendable () -> Void
    ) -> Result<Void, Errno> {
        if injectable, let fault = FaultPlan.next(for: .spawnThread) { return .failure(fault) }
        let plan = FaultPlan.current
        let context = Unmanaged.passRetained(ThreadBody {
            _ = cinotify_set_thread_name(name)
            FaultPlan.$current.withValue(plan) { body() }
        }).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(&thread, nil, { context in
            Unmanaged<ThreadBody>.fromOpaque(context!).takeRetainedValue().body()
            return nil
        }, context)
        guard status == 0 else {
            Unmanaged<ThreadBody>.fromOpaque(context).release()
            return .failure(Errno(rawValue: status))
        }
        pthread_detach(thread)
        return .success(())
    }

    private static func opening(_ result: Result<CInt, Errno>) -> Result<CInt, Errno> {
        if case .success(let fd) = result { FaultPlan.recordOpen(fd) }
        return result
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

private final class ThreadBody: Sendable {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}

/// The C calls of the library, named for fault injection.
enum Syscall: Hashable, Sendable {
    case inotifyInit, inotifyInit1, inotifyAddWatch, inotifyRmWatch
    case read, write, fionread, poll, eventfd, close, open, spawnThread
}
