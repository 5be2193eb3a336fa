import SystemPackage

/// One thing that happened in the watched tree, in terms that do not depend
/// on what saw it: what happened (``kind``), to what (``path``, and whether it
/// is a directory), and how it was learnt (``foundByScan``, ``isSelfEvent``).
/// What the source itself saw, such as inotify's events, is kept beside
/// them in ``raw`` for those who want it. `Codable`: flat, with paths and
/// names byte for byte (see `Change+Codable.swift`).
public struct Change: Sendable, Hashable, CustomStringConvertible {
    /// What happened.
    public enum Kind: Sendable, Hashable {
        /// Created. With ``Change/foundByScan`` it was found by listing a
        /// directory that is new to the watcher (created or moved in), rather
        /// than reported as it happened.
        case created
        /// Its contents were written.
        case modified
        /// Its metadata changed: permissions, owner, times, links, extended
        /// attributes.
        case attributesChanged
        /// A file opened for writing was closed.
        case closedAfterWrite
        /// It was opened (asked for with ``Change/Kinds/opened``).
        case opened
        /// It was read; for a directory, listed.
        case accessed
        /// Something opened without writing was closed.
        case closedWithoutWrite
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
        /// A watched directory's own word that it was deleted
        /// (``Change/isSelfEvent``, with ``TreeWatcher/Options/reportSelfEvents``):
        /// its parent's `deleted` is the change to the tree.
        case selfDeleted
        /// A watched directory's own word that it was moved
        /// (``Change/isSelfEvent``, with ``TreeWatcher/Options/reportSelfEvents``):
        /// its parent's `moved`, `movedIn` or `movedOut` says where.
        case selfMoved
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
        /// The source lost track: changes were lost (the kernel's queue
        /// overflowed). A rescan follows.
        case overflow
        /// The tree was listed again after an overflow: watches were added
        /// where missing and dropped where dead. Resync from disk.
        case rescanned
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

    /// What happened.
    public let kind: Kind
    /// The path relative to the root; empty for the root itself.
    public let path: FilePath
    /// The watched root, as given.
    public let root: FilePath
    /// The root joined with ``path``; made when asked for.
    public var absolutePath: FilePath { path.isEmpty ? root : root.pushing(path) }
    /// Whether what it happened to is a directory.
    public let isDirectory: Bool
    /// Found by listing a new directory rather than reported as it happened.
    public let foundByScan: Bool
    /// Said by the directory at ``path`` about itself, rather than by its
    /// parent about one of its entries: the root's own changes, an unmount,
    /// `selfDeleted` and `selfMoved`, and, with
    /// ``TreeWatcher/Options/reportSelfEvents``, a subdirectory's own
    /// attribute changes, opens, reads and closes (its parent reports the
    /// same under its name). A consumer keeping a picture of the tree can
    /// pass these by.
    public let isSelfEvent: Bool
    /// The number the source gave both halves of one rename (inotify's
    /// cookie), on a `moved` change and on an unpaired half (`movedIn`,
    /// `movedOut`), so that halves seen by two watchers can be paired; nil
    /// where the source gave none (a move a listing found).
    public let tracker: UInt32?
    /// What the source saw, in its own terms: for an ``InotifySource``, the
    /// kernel's events this change comes from. Nil where there is no such
    /// record: a change found by listing a directory, one the watcher says
    /// itself (a rescan, a directory left unwatched, git's rules), or one
    /// from a source that keeps none.
    public let raw: Raw?

    /// A change as a source says it (most fields are for the source to
    /// fill in; a consumer reads them).
    public init(
        _ kind: Kind, path: FilePath, root: FilePath, isDirectory: Bool, foundByScan: Bool = false,
        isSelfEvent: Bool = false, tracker: UInt32? = nil, raw: Raw? = nil
    ) {
        self.kind = kind
        self.path = path
        self.root = root
        self.isDirectory = isDirectory
        self.foundByScan = foundByScan
        self.isSelfEvent = isSelfEvent
        self.tracker = tracker
        self.raw = raw
    }

    /// `created a/b`, `moved a -> b/`, `unwatched d/: reason`...: for logs and tests.
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
