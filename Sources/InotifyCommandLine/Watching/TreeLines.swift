import Glibc
import Synchronization
import Inotify
import InotifyTree
import SystemPackage

/// A tree watcher's changes as inotifywait -r lines: each kernel event with
/// the directory it happened in (`%w`, the root as given joined with the
/// relative directory, `/` after it) and its name (`%f`). A rename gives its
/// MOVED_FROM and MOVED_TO lines together; what a scan of a new directory
/// found is given a CREATE line, which inotifywait would have missed.
struct TreeLines {
    /// Cookies for the renames a listing found, which have no kernel event.
    private static let syntheticCookies = Atomic<UInt32>(.max)

    /// The root as given, with `/` after it.
    let rootPrefix: [UInt8]

    init(root: [UInt8]) {
        var prefix = root
        if prefix.last != UInt8(ascii: "/") { prefix.append(UInt8(ascii: "/")) }
        rootPrefix = prefix
    }

    /// Calls `body` for each line of `change`; overflow, rescan and unwatched
    /// changes have none (the command reports them as messages, and as
    /// notices with `--json`).
    func forEachLine(_ change: Change, _ body: (EventLine) -> Void) {
        switch change.kind {
        case .overflow, .rescanned, .unwatched, .ignoreProblem, .becameIgnored: return
        default: break
        }
        if change.events.isEmpty, case .moved(let source) = change.kind {
            // A listing found a directory under a new name before its rename's
            // events were read: a MOVED_FROM and MOVED_TO pair, so that a
            // consumer moves what it knows below it. The kernel's cookies count
            // up from 0; these count down from the top, where none will be met.
            let cookie = TreeLines.syntheticCookies.subtract(1, ordering: .relaxed).oldValue
            let isDirectory: Inotify.EventMask = change.isDirectory ? .isDir : []
            emit(directoryOf: source, name: lastName(source), mask: isDirectory.union(.movedFrom), cookie: cookie, body)
            emit(directoryOf: change.path, name: lastName(change.path), mask: isDirectory.union(.movedTo),
                 cookie: cookie, body)
            return
        }
        if change.events.isEmpty {
            // Found by listing a new directory.
            let mask: Inotify.EventMask = change.isDirectory ? [.create, .isDir] : .create
            emit(directoryOf: change.path, name: lastName(change.path), mask: mask, cookie: 0, body)
            return
        }
        var from: FilePath? = nil
        if case .moved(let source) = change.kind { from = source }
        for event in change.events {
            let path = event.mask.contains(.movedFrom) ? (from ?? change.path) : change.path
            if event.hasName {
                event.withNameBytes { name in
                    emit(directoryOf: path, name: name, mask: event.mask, cookie: event.cookie, body)
                }
            } else {
                // An event on a watched directory itself: %w is that directory.
                watched(path).withUnsafeBytes { watchedBytes in
                    body(EventLine(watched: watchedBytes, name: UnsafeRawBufferPointer(start: nil, count: 0),
                                   mask: event.mask, cookie: event.cookie))
                }
            }
        }
    }

    private func emit(
        directoryOf path: FilePath, name: UnsafeRawBufferPointer, mask: Inotify.EventMask, cookie: UInt32,
        _ body: (EventLine) -> Void
    ) {
        watched(path.removingLastComponent()).withUnsafeBytes {
            body(EventLine(watched: $0, name: name, mask: mask, cookie: cookie))
        }
    }

    private func emit(
        directoryOf path: FilePath, name: [UInt8], mask: Inotify.EventMask, cookie: UInt32,
        _ body: (EventLine) -> Void
    ) {
        name.withUnsafeBytes { emit(directoryOf: path, name: $0, mask: mask, cookie: cookie, body) }
    }

    /// `%w` for `directory` (relative to the root): the root as given, the
    /// directory, and a `/`.
    func watched(_ directory: FilePath) -> [UInt8] {
        var bytes = rootPrefix
        appendBytes(of: directory, to: &bytes)
        if !directory.isEmpty { bytes.append(UInt8(ascii: "/")) }
        return bytes
    }

    private func lastName(_ path: FilePath) -> [UInt8] {
        guard let last = path.lastComponent else { return [] }
        var bytes: [UInt8] = []
        appendBytes(of: FilePath(root: nil, [last]), to: &bytes)
        return bytes
    }
}

/// A path's bytes exactly, whatever their encoding.
func appendBytes(of path: FilePath, to out: inout [UInt8]) {
    path.withPlatformString { pointer in
        out.append(contentsOf: UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)))
    }
}
