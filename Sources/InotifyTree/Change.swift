import Inotify
import SystemPackage

/// One thing that happened in the watched tree. `Codable`: flat, with paths
/// and names byte for byte (see `Change+Codable.swift`).
public struct Change: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// Created. With ``Change/foundByScan`` it was found by listing a
        /// directory that is new to the watcher (created or moved in), rather
        /// than reported by the kernel.
        case created
        /// Its contents were written (`IN_MODIFY`).
        case modified
        /// Its metadata changed (`IN_ATTRIB`).
        case attributesChanged
        /// A file opened for writing was closed (`IN_CLOSE_WRITE`).
        case closedAfterWrite
        /// Deleted.
        case deleted
        /// Renamed within the tree; ``Change/path`` is the new path.
        case moved(from: FilePath)
        /// Moved into the tree from outside; a directory's contents follow as
        /// `created` changes found by scan.
        case movedIn
        /// Moved out of the tree (or its other half did not come within the
        /// pairing window); a directory's watches are removed.
        case movedOut
        /// The root itself was deleted; the watcher ends after it.
        case rootDeleted
        /// The root itself was moved; paths stay relative to it, and its
        /// absolute path is stale from here on.
        case rootMoved
        /// The file system holding ``Change/path`` was unmounted. Its watches
        /// are gone; the directory the mount covered is watched in its place,
        /// and what it holds follows as `created` changes found by scan. An
        /// unmounted root ends the watcher.
        case unmounted
        /// The kernel's queue overflowed: events were lost. A rescan follows.
        case overflow
        /// The tree was listed again after an overflow: watches were added
        /// where missing and dropped where dead. Resync from disk.
        case rescanned
        /// Any other event asked for in ``TreeWatcher/Options/events``, as the
        /// kernel sent it (``Change/events`` holds it): an access, an open, a
        /// close without write, or an event on a watched directory itself, such
        /// as a subdirectory's `DELETE_SELF`. ``Change/path`` is what it is about.
        case other
        /// This directory could not be watched (the reason says why, such as
        /// the watch limit); nothing below it is reported.
        case unwatched(reason: String)
        /// With ``TreeWatcher/Options/gitIgnore``: something wrong in an
        /// ignore file (a pattern git can never match, a file that cannot be
        /// read), with its file and line; the rest of the file applies.
        /// ``Change/path`` is the file's path relative to the root, or empty
        /// for a file outside the tree (`info/exclude`, the global file).
        /// (Boxed: a change of any kind stays as small as it was.)
        indirect case ignoreProblem(IgnoreProblem)
        /// With ``TreeWatcher/Options/gitIgnore``: git's rules ignore it now,
        /// where they did not before (a `.gitignore` changed, or a directory
        /// above it was renamed). It is out of sight from here on: a
        /// directory's watches are gone, and nothing at or below the path is
        /// reported. A consumer keeping a picture of the tree drops it, as
        /// for a deletion; should it come back into sight, it is reported
        /// as `created`, found by scan.
        case becameIgnored
    }

    public let kind: Kind
    /// The path relative to the root; empty for the root itself.
    public let path: FilePath
    /// The watched root, as given.
    public let root: FilePath
    /// The root joined with ``path``; made when asked for.
    public var absolutePath: FilePath { path.isEmpty ? root : root.pushing(path) }
    public let isDirectory: Bool
    /// Found by listing a new directory rather than reported by the kernel.
    public let foundByScan: Bool
    /// The kernel events this change comes from (none for changes found by scan).
    public let events: Events

    public init(
        _ kind: Kind, path: FilePath, root: FilePath, isDirectory: Bool, foundByScan: Bool = false,
        events: [Inotify.Event] = []
    ) {
        self.kind = kind
        self.path = path
        self.root = root
        self.isDirectory = isDirectory
        self.foundByScan = foundByScan
        self.events = Events(events)
    }

    public var description: String {
        let name = path.isEmpty ? "." : path.description
        let suffix = isDirectory ? "/" : ""
        switch kind {
        case .moved(let from): return "moved \(from.isEmpty ? "." : from.description)\(suffix) -> \(name)\(suffix)"
        case .unwatched(let reason): return "unwatched \(name)\(suffix): \(reason)"
        case .ignoreProblem(let problem): return "problem \(problem)"
        default: return "\(kind) \(name)\(suffix)\(foundByScan ? " (scan)" : "")"
        }
    }
}
