import Glibc
import Inotify

/// Watches the given paths themselves (no recursion) and hands each event to
/// the command with the path it was watched under. One thread, one poll: the
/// inotify descriptor and, when given, a signalfd; events decoded in place
/// from a 64 KiB read, nothing allocated per event.
final class RawWatch {
    enum Stop: Equatable {
        /// The handler asked to stop.
        case done
        /// No event came within the timeout.
        case timedOut
        /// A signal arrived on the signalfd.
        case signal(CInt)
        /// Every watch is gone (deleted, unmounted): nothing more can come.
        case nothingLeft
        /// Reading failed; the message was printed.
        case failed
    }

    let inotify: Inotify
    /// wd -> `%w`: the path as given, with `/` after a directory.
    private(set) var watched: [Int32: [UInt8]] = [:]

    /// Watches `paths` with `mask`; nil after printing why one could not be watched.
    init?(
        paths: [[UInt8]], mask: Inotify.EventMask, noDereference: Bool, diagnostics: Diagnostics,
        failureVerb: String = "Couldn't watch"
    ) {
        do {
            inotify = try Inotify(flags: .closeOnExec, tracksPaths: false)
        } catch {
            diagnostics.initFailure(error.errno.rawValue)
            return nil
        }
        var watchMask = mask
        if noDereference { watchMask.insert(.dontFollow) }
        for path in paths {
            let result: Result<Int32, Inotify.Error> = withCPath(path) { cPath in
                Result { () throws(Inotify.Error) in try inotify.addWatch(cString: cPath, mask: watchMask, checks: .kernelOnly).rawValue }
            }
            switch result {
            case .success(let wd):
                watched[wd] = RawWatch.watchedName(path)
            case .failure(let error):
                diagnostics.watchFailure(path, errno: error.errno.rawValue, verb: failureVerb)
                return nil
            }
        }
    }

    /// `%w` for a path: as given, with `/` added after a directory. As in
    /// inotifywait, a symbolic link to a directory gets none (lstat decides).
    static func watchedName(_ path: [UInt8]) -> [UInt8] {
        var name = path
        if case .success(let status) = withCPath(path, { Syscalls.status(of: $0, followingLinks: false) }),
           status.st_mode & S_IFMT == S_IFDIR, name.last != UInt8(ascii: "/")
        {
            name.append(UInt8(ascii: "/"))
        }
        return name
    }

    /// Reads until `handle` returns false, the timeout passes (`timeout`
    /// milliseconds, 0 for never; restarted by every read when
    /// `restartsOnEvent`, as inotifywait's is), or a signal comes. `batchEnd`
    /// runs after each read's events.
    func run(
        timeout: Int64, restartsOnEvent: Bool = true, signals: CInt? = nil,
        handle: (Inotify.RawEvent, UnsafeRawBufferPointer) -> Bool,
        batchEnd: () -> Bool
    ) -> Stop {
        let fd = inotify.fileDescriptor.rawValue
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65_536, alignment: 8)
        defer { buffer.deallocate() }
        var deadline = timeout > 0 ? Clock.now + timeout : Int64.max
        var descriptors = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0)]
        if let signals { descriptors.append(pollfd(fd: signals, events: Int16(POLLIN), revents: 0)) }
        while true {
            let wait = deadline == Int64.max ? -1 : Int(max(0, deadline - Clock.now))
            switch descriptors.withUnsafeMutableBufferPointer({ Syscalls.poll($0, timeoutMilliseconds: wait) }) {
            case .success(0): return .timedOut
            case .success: break
            case .failure(let errno):
                printError("Couldn't wait for inotify events: \(errnoText(errno.rawValue))")
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
            switch Syscalls.read(fd, buffer) {
            case .success(let read): count = read
            case .failure(.resourceTemporarilyUnavailable): continue  // nothing after all: poll again
            case .failure(let errno):
                printError("Couldn't read inotify events: \(errnoText(errno.rawValue))")
                return .failed
            }
            if restartsOnEvent && timeout > 0 { deadline = Clock.now + timeout }
            var cursor = Inotify.EventCursor(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            do {
                while let event = try cursor.next() {
                    let keepGoing = withWatchedPath(event.wd) { handle(event, $0) }
                    if event.mask.contains(.ignored) { watched[event.wd] = nil }
                    if !keepGoing {
                        _ = batchEnd()
                        return .done
                    }
                }
            } catch {
                printError("inotify returned malformed events: \(error)")
                return .failed
            }
            if !batchEnd() { return .done }
            if watched.isEmpty { return .nothingLeft }
        }
    }

    private func withWatchedPath<R>(_ wd: Int32, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        guard let path = watched[wd] else { return body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return path.withUnsafeBytes(body)
    }
}

/// Monotonic milliseconds.
enum Clock {
    static var now: Int64 { Syscalls.monotonicMilliseconds() }
}
