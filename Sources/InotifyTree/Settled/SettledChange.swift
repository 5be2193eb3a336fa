import SystemPackage

/// The net effect of a burst of changes on one path: what a consumer that
/// looks only once the tree has settled needs to know, and nothing of how
/// it came about (``TreeWatcher/settled(quiet:maxWait:lockLimit:)`` folds
/// ``Change``s into them).
public struct SettledChange: Sendable, Hashable, CustomStringConvertible {
    /// What the burst did to the path, all in all.
    public enum Kind: Sendable, Hashable {
        /// It is new: it was not there before the burst.
        case created
        /// It is gone. A deletion is given at the path the entry had before
        /// the burst: apply deletions before moves.
        case deleted
        /// It was moved here from `from` (its path before the burst), as a
        /// whole: a directory's entries moved with it and are not listed. It
        /// replaces whatever was here.
        case moved(from: FilePath)
        /// Its contents changed, or it was replaced: deleted and made again,
        /// or a file renamed onto it (an editor's atomic save).
        case modified
        /// Only its metadata changed: permissions, owner, times, links.
        case attributesChanged
    }

    public let kind: Kind
    /// Relative to the watched root: after the burst for all but
    /// ``Kind-swift.enum/deleted``, which gives the path before.
    public let path: FilePath
    public let isDirectory: Bool

    public init(_ kind: Kind, path: FilePath, isDirectory: Bool) {
        self.kind = kind
        self.path = path
        self.isDirectory = isDirectory
    }

    public var description: String {
        let shown = path.string + (isDirectory ? "/" : "")
        switch kind {
        case .created: return "created \(shown)"
        case .deleted: return "deleted \(shown)"
        case .moved(let from): return "moved \(from.string)\(isDirectory ? "/" : "") -> \(shown)"
        case .modified: return "modified \(shown)"
        case .attributesChanged: return "attributesChanged \(shown)"
        }
    }
}
