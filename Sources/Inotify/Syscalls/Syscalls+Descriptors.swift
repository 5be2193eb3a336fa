import Glibc
import SystemPackage

// Descriptors: open, read, write, wait, close.

extension Syscalls {
    /// openat(2) of `path` in the directory open as `directory` (AT_FDCWD,
    /// the default, for a path as given). `path` must be NUL-terminated.
    package static func open(
        _ path: UnsafePointer<CChar>, in directory: CInt = AT_FDCWD, flags: CInt, mode: mode_t = 0
    ) -> Result<CInt, Errno> {
        opening(call(.open, .name(path)) { openat(directory, path, flags, mode) }, .name(path))
    }

    /// read(2). Where faults are compiled in, a plan may also shorten the
    /// buffer the kernel is given (``FaultPlan/Fault/short(_:)``).
    package static func read(
        _ fd: CInt, _ buffer: UnsafeMutableRawBufferPointer
    ) -> Result<Int, Errno> {
        retryOnInterrupt {
            var count = buffer.count
            #if INOTIFY_FAULTS
            switch FaultPlan.limit(for: .read, .descriptor(fd)) {
            case .failure(let errno): return .failure(errno)
            case .success(let limit?): count = min(count, max(limit, 0))
            case .success(nil): break
            }
            #endif
            let result = Glibc.read(fd, buffer.baseAddress, count)
            return result == -1 ? .failure(Errno(rawValue: Glibc.errno)) : .success(result)
        }
    }

    /// write(2): may write less than all of `buffer`.
    package static func write(_ fd: CInt, _ buffer: UnsafeRawBufferPointer) -> Result<Int, Errno> {
        call(.write, .descriptor(fd)) { Glibc.write(fd, buffer.baseAddress, buffer.count) }
    }

    /// poll(2). After EINTR it waits again for the time that is left, so a
    /// signal neither shortens nor stretches the wait. `timeoutMilliseconds` < 0 waits forever.
    package static func poll(
        _ fds: UnsafeMutableBufferPointer<pollfd>, timeoutMilliseconds: Int
    ) -> Result<Int, Errno> {
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(max(timeoutMilliseconds, 0)))
        var timeout = CInt(clamping: timeoutMilliseconds)
        var again = false
        return retryOnInterrupt {
            if again && timeoutMilliseconds >= 0 { timeout = CInt(clamping: milliseconds(until: deadline)) }
            again = true
            return once(.poll, .none) { Glibc.poll(fds.baseAddress, nfds_t(fds.count), timeout) }.map { Int($0) }
        }
    }

    /// close(2). Not retried on EINTR: on Linux the descriptor is released
    /// even then, and a retry could close a number another thread just got;
    /// so EINTR is no failure (the descriptor is closed). Any other errno
    /// (EIO) is reported, and the descriptor is released all the same.
    package static func close(_ fd: CInt) -> Result<Void, Errno> {
        #if INOTIFY_FAULTS
        // A planned failure releases the descriptor too, as the kernel's does.
        let fault = FaultPlan.fault(for: .close, .descriptor(fd))
        // Recorded before the call: another thread may get the number as soon as it is released.
        FaultPlan.recordClose(fd)
        #else
        let fault: Errno? = nil
        #endif
        let result: Errno? = Glibc.close(fd) == 0 ? nil : Errno(rawValue: Glibc.errno)
        switch fault ?? result {
        case nil, .interrupted?: return .success(())
        case let errno?: return .failure(errno)
        }
    }

    /// Reads a small text file such as /proc/sys/fs/inotify/max_user_watches.
    static func readSmallFile(_ path: String) -> Result<String, Errno> {
        let opened = path.withCString { open($0, flags: O_RDONLY | O_CLOEXEC) }
        guard case .success(let fd) = opened else { return opened.map { _ in "" } }
        defer { _ = close(fd) }
        var bytes = [UInt8](repeating: 0, count: 64)
        let result = bytes.withUnsafeMutableBytes { read(fd, $0) }
        return result.map { count in String(decoding: bytes[..<count], as: UTF8.self) }
    }

    /// Milliseconds until `deadline`, rounded up so a wait never ends early; 0 if past.
    package static func milliseconds(until deadline: ContinuousClock.Instant) -> Int {
        let left = ContinuousClock.now.duration(to: deadline)
        if left <= .zero { return 0 }
        let (seconds, attoseconds) = left.components
        return Int(seconds) * 1000 + Int((attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
    }

    /// clock_gettime(CLOCK_MONOTONIC) in milliseconds: what timeouts count in.
    package static func monotonicMilliseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}
