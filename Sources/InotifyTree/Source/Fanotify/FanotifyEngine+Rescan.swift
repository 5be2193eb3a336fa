import Glibc
import Inotify
import SystemPackage

// After an overflow the tree is known afresh: the root reached by its handle
// (wherever it is now), every directory below it listed and placed again.
// The first listing reaches it the same way.

extension FanotifyEngine {
    /// Lists the whole tree again; ends with `rescanned`, or with
    /// `rootDeleted` when the root is gone.
    func rescan() -> [Change] {
        needsRescan = false
        // Whatever was done before it in a directory made since, it finds.
        early.removeAll()
        // Read before this listing: what it finds supersedes them.
        backlog.removeAll()
        lateDeletions.removeAll()
        var changes: [Change] = []
        let rootKey = tree.root
        guard let rootFD = openRootByHandle() else { return rootGone(&changes) }
        defer { DirectoryDescriptor.close(rootFD.rawValue) }
        tree = HandleTree(root: rootKey)
        listedAt.removeAll()
        supersededBefore = streamEnd
        list(rootFD.rawValue, key: rootKey, path: FilePath(), reporting: false, into: &changes)
        changes.append(Change(.rescanned, path: FilePath(), root: root, isDirectory: true))
        return changes
    }

    /// The root, open for listing by its handle, wherever it is now; nil
    /// when it is gone.
    func openRootByHandle() -> FileDescriptor? {
        guard let mount = mountDescriptor(for: tree.root.fsid) else { return nil }
        defer { DirectoryDescriptor.close(mount) }
        return try? Fanotify.open(
            tree.root.handle, mount: FileDescriptor(rawValue: mount), flags: O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    }

    func rootGone(_ changes: inout [Change]) -> [Change] {
        finished = true
        changes.append(Change(.rootDeleted, path: FilePath(), root: root, isDirectory: true, isSelfEvent: true))
        return changes
    }
}
