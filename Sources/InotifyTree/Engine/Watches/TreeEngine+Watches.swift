import Inotify
import SystemPackage

// How the engine adds and drops the kernel's watches, and keeps the tree
// (the table of watches) in step: a watch that could not be added is a
// directory unwatched (reported, or an error, as the limit policy says); a
// subtree is unwatched at once.

extension TreeEngine {
    /// Adds a watch on `target`: by name from its directory where the thread
    /// has a working directory of its own, else by a path; as below.
    func addWatch(
        _ target: WatchTarget, mask: Inotify.EventMask, path: () -> FilePath, _ out: inout [Change]
    ) throws -> Int32? {
        if let workingDirectory = PrivateWorkingDirectory.current, let (directory, name) = target.relative,
           workingDirectory.enter(directory)
        {
            defer { workingDirectory.leave() }
            return try addWatch(name, mask: mask, path: path, &out)
        }
        return try addWatch(target.absolute, mask: mask, path: path, &out)
    }

    /// Adds a watch through `cPath`; nil where there is nothing to watch
    /// (gone, not a directory, a link loop) or the limit policy says go on.
    /// An error names the directory's real path, not the /proc one.
    func addWatch(
        _ cPath: [CChar], mask: Inotify.EventMask, path: () -> FilePath, _ out: inout [Change]
    ) throws -> Int32? {
        do {
            return try cPath.withUnsafeBufferPointer { (buffer) throws(Inotify.Error) in
                try watches.add(cString: buffer.baseAddress!, mask: mask)
            }
        } catch {
            switch error.errno {
            case .noSuchFileOrDirectory, .notDirectory:
                return nil  // deleted or replaced before we got to it
            case .noSpace where options.onWatchLimit == .continueAndReport,
                 .permissionDenied, .tooManySymbolicLinkLevels:
                report(.unwatched(reason: Self.named(error, root.pushing(path())).description), path(), isDirectory: true, [], &out)
                return nil
            default:
                throw Self.named(error, root.pushing(path()))
            }
        }
    }

    private static func named(_ error: Inotify.Error, _ path: FilePath) -> Inotify.Error {
        // A bare name (or ".") is one given from a working directory moved to
        // the descriptor's: a path with no separator is never given otherwise.
        guard let given = error.path, given.string.hasPrefix("/proc/self/fd/") || !given.string.contains("/")
        else { return error }
        return Inotify.Error(error.operation, errno: error.errno, path: path, value: error.value, advice: error.advice)
    }

    /// Removes the watches of `wd` and everything below it, at once: their
    /// IN_IGNORED events then find nothing left to remove.
    func unwatchSubtree(_ wd: Int32) throws {
        let members = tree.node(wd)?.childCount == 0 ? [wd] : tree.subtree(of: wd)
        for member in members {
            try removeWatchIfPresent(member)
            forget(member)
        }
    }

    func removeWatchIfPresent(_ wd: Int32) throws {
        try watches.removeIfPresent(wd)
    }

    func forget(_ wd: Int32) {
        tree.remove(wd)
    }
}
