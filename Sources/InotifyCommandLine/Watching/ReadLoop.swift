import Glibc
import Inotify

/// The loop a watch of paths reads with, whichever kernel interface: one
/// thread, one poll over the interface's descriptor and, when given, a
/// signalfd; each read of up to 64 KiB handed over whole, decoded in place
/// by the caller, nothing allocated per event.
enum ReadLoop {
    /// What to do after a read.
    enum Verdict {
        case more
        case stop(WatchStop)
    }

    /// Polls and reads `descriptor` (named `interface` in messages) until
    /// `consume` says stop, the timeout passes (`timeout` milliseconds, 0 for
    /// never; restarted by each read when `restartsOnEvent`) or a signal
    /// comes on `signals`.
    static func run(
        _ descriptor: CInt, interface: String, timeout: Int64, restartsOnEvent: Bool, signals: CInt?,
        consume: (UnsafeRawBufferPointer) -> Verdict
    ) -> WatchStop {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65_536, alignment: 8)
        defer { buffer.deallocate() }
        var deadline = timeout > 0 ? Clock.now + timeout : Int64.max
        var descriptors = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)]
        if let signals { descriptors.append(pollfd(fd: signals, events: Int16(POLLIN), revents: 0)) }
        while true {
            let wait = deadline == Int64.max ? -1 : Int(max(0, deadline - Clock.now))
            switch descriptors.withUnsafeMutableBufferPointer({ Syscalls.poll($0, timeoutMilliseconds: wait) }) {
            case .success(0): return .timedOut
            case .success: break
            case .failure(let errno):
                printError("Couldn't wait for \(interface) events: \(errnoText(errno.rawValue))")
                return .failed
            }
            if descriptors.count > 1, descriptors[1].revents != 0 {
                switch Syscalls.readSignal(descriptors[1].fd) {
                case .success(let signal): return .signal(signal)
                case .failure(let errno):
                    printError("Couldn't read a signal: \(errnoText(errno.rawValue))")
                    return .failed
                }
            }
            let count: Int
            switch Syscalls.read(descriptor, buffer) {
            case .success(let read): count = read
            case .failure(.resourceTemporarilyUnavailable): continue  // nothing after all: poll again
            case .failure(let errno):
                printError("Couldn't read \(interface) events: \(errnoText(errno.rawValue))")
                return .failed
            }
            if restartsOnEvent && timeout > 0 { deadline = Clock.now + timeout }
            if case .stop(let stop) = consume(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) { return stop }
        }
    }
}

/// Monotonic milliseconds.
enum Clock {
    static var now: Int64 { Syscalls.monotonicMilliseconds() }
}
