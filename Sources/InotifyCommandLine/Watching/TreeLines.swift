import Glibc
import Synchronization
import Inotify
import InotifyTree
import SystemPackage

/// A tree watcher's changes as inotifywait -r lines, made from what a change
/// says in neutral terms (never from a source's raw record), so that any
/// source prints alike: each change with the directory it happened in (`%w`,
/// the root as given joined with the relative directory, `/` after it), its
/// name (`%f`), and inotify's names for what happened. A rename gives its
/// MOVED_FROM and MOVED_TO lines together; what a scan of a new directory
/// found is given a CREATE line, which inotifywait would have missed.
struct TreeLines {
    /// Cookies for renames whose source gave none (a listing found them):
    /// the kernel's count up from 0; these count down from the top, where
    /// none will be met.
    private static let syntheticCookies = Atomic<UInt32>(.max)

    /// The root as given, with `/` after it when it is a directory.
    let rootPrefix: [UInt8]

    /// `isDirectory` false: a root watched as a leaf, whose own lines' `%w`
    /// is its path as given, as inotifywait prints a file's.
    init(root: [UInt8], isDirectory: Bool = true) {
        var prefix = root
        if isDirectory && prefix.last != UInt8(ascii: "/") { prefix.append(UInt8(ascii: "/")) }
        rootPrefix = prefix
    }

    /// ISDIR where the source's own record says the object is a directory
    /// (fanotify's FAN_ONDIR); inotify's self events never say so.
    private static func ownDirectory(_ change: Change) -> Inotify.EventMask {
        change.fanotifyEvent?.mask.contains(.onDir) == true ? .isDir : []
    }

    /// Calls `body` for each line of `change`; overflow, rescan and unwatched
    /// changes have none (the command reports them as messages, and as
    /// notices with `--json`), nor have the changes of git's rules.
    func forEachLine(_ change: Change, _ body: (EventLine) -> Void) {
        let isDirectory: Inotify.EventMask = change.isDirectory ? .isDir : []
        let mask: Inotify.EventMask
        switch change.kind {
        case .overflow, .rescanned, .unwatched, .ignoreProblem, .becameIgnored:
            return
        case .moved(let source):
            // Both halves, so that a consumer moves what it knows below it.
            let cookie = change.tracker ?? Self.syntheticCookie()
            emit(entry: source, mask: isDirectory.union(.movedFrom), cookie: cookie, body)
            emit(entry: change.path, mask: isDirectory.union(.movedTo), cookie: cookie, body)
            return
        case .movedIn, .movedOut:
            let half = change.kind == .movedIn ? Inotify.EventMask.movedTo : Inotify.EventMask.movedFrom
            emit(change, mask: half.union(isDirectory), cookie: change.tracker ?? Self.syntheticCookie(), body)
            return
        case .created: mask = isDirectory.union(.create)
        case .deleted: mask = isDirectory.union(.delete)
        case .modified: mask = isDirectory.union(.modify)
        case .attributesChanged: mask = isDirectory.union(.attrib)
        case .closedAfterWrite: mask = isDirectory.union(.closeWrite)
        case .opened: mask = isDirectory.union(.open)
        case .accessed: mask = isDirectory.union(.access)
        case .closedWithoutWrite: mask = isDirectory.union(.closeNoWrite)
        case .unmounted: mask = isDirectory.union(.unmount)
        // inotify marks neither a deletion nor a move of the watched
        // directory itself as a directory's; fanotify does (FAN_ONDIR), and
        // inotify-tools' fsnotifywait prints it.
        case .selfDeleted, .rootDeleted: mask = Self.ownDirectory(change).union(.deleteSelf)
        case .selfMoved, .rootMoved: mask = Self.ownDirectory(change).union(.moveSelf)
        }
        emit(change, mask: mask, cookie: 0, body)
    }

    private static func syntheticCookie() -> UInt32 {
        syntheticCookies.subtract(1, ordering: .relaxed).oldValue
    }

    /// The line of `change`: about the directory itself (`%w` that
    /// directory, `%f` empty), or about an entry of its parent.
    private func emit(_ change: Change, mask: Inotify.EventMask, cookie: UInt32, _ body: (EventLine) -> Void) {
        if change.isSelfEvent || Self.isAboutItself(change.kind) {
            watched(change.path).withUnsafeBytes { watchedBytes in
                body(EventLine(watched: watchedBytes, name: UnsafeRawBufferPointer(start: nil, count: 0),
                               mask: mask, cookie: cookie))
            }
        } else {
            emit(entry: change.path, mask: mask, cookie: cookie, body)
        }
    }

    /// Kinds only a directory says of itself, whichever way a source marks them.
    private static func isAboutItself(_ kind: Change.Kind) -> Bool {
        switch kind {
        case .selfDeleted, .selfMoved, .rootDeleted, .rootMoved, .unmounted: true
        default: false
        }
    }

    /// The line of the entry at `path`: `%w` its directory, `%f` its name,
    /// borrowed from the path.
    private func emit(entry path: FilePath, mask: Inotify.EventMask, cookie: UInt32, _ body: (EventLine) -> Void) {
        watched(path.removingLastComponent()).withUnsafeBytes { watchedBytes in
            guard let name = path.lastComponent else {
                body(EventLine(watched: watchedBytes, name: UnsafeRawBufferPointer(start: nil, count: 0), mask: mask,
                               cookie: cookie))
                return
            }
            name.withPlatformString { pointer in
                body(EventLine(watched: watchedBytes, name: UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)),
                               mask: mask, cookie: cookie))
            }
        }
    }

    /// `%w` for `directory` (relative to the root): the root as given, the
    /// directory, and a `/`.
    func watched(_ directory: FilePath) -> [UInt8] {
        var bytes = rootPrefix
        appendBytes(of: directory, to: &bytes)
        if !directory.isEmpty { bytes.append(UInt8(ascii: "/")) }
        return bytes
    }
}

/// A path's bytes exactly, whatever their encoding.
func appendBytes(of path: FilePath, to out: inout [UInt8]) {
    path.withPlatformString { pointer in
        out.append(contentsOf: UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)))
    }
}
