import Glibc
import Inotify

/// Watches the given paths themselves (no recursion) with inotify, and
/// hands each event to the command with the path it was watched under.
final class RawWatch: PathWatch {
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

    var rows: [[UInt8]] { watched.sorted { $0.key < $1.key }.map(\.value) }

    var countsPerFile: Bool { false }

    func run(
        timeout: Int64, restartsOnEvent: Bool, signals: CInt?,
        handle: (EventLine) -> Bool, batchEnd: () -> Bool
    ) -> WatchStop {
        readEvents(timeout: timeout, restartsOnEvent: restartsOnEvent, signals: signals, handle: { event, watched in
            handle(EventLine(watched: watched, name: event.name, mask: event.mask, cookie: event.cookie))
        }, batchEnd: batchEnd)
    }

    /// ``run(timeout:restartsOnEvent:signals:handle:batchEnd:)`` with each
    /// kernel event as it is, beside the path it was watched under.
    func readEvents(
        timeout: Int64, restartsOnEvent: Bool = true, signals: CInt? = nil,
        handle: (Inotify.RawEvent, UnsafeRawBufferPointer) -> Bool, batchEnd: () -> Bool
    ) -> WatchStop {
        ReadLoop.run(
            inotify.fileDescriptor.rawValue, interface: "inotify", timeout: timeout,
            restartsOnEvent: restartsOnEvent, signals: signals
        ) { bytes in
            var cursor = Inotify.EventCursor(bytes)
            do {
                while let event = try cursor.next() {
                    let keepGoing = withWatchedPath(event.wd) { handle(event, $0) }
                    if event.mask.contains(.ignored) { watched[event.wd] = nil }
                    if !keepGoing {
                        _ = batchEnd()
                        return .stop(.done)
                    }
                }
            } catch {
                printError("inotify returned malformed events: \(error)")
                return .stop(.failed)
            }
            if !batchEnd() { return .stop(.done) }
            return watched.isEmpty ? .stop(.nothingLeft) : .more
        }
    }

    private func withWatchedPath<R>(_ wd: Int32, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        guard let path = watched[wd] else { return body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return path.withUnsafeBytes(body)
    }
}
