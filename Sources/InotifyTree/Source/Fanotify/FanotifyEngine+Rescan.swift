import Glibc
import Inotify
import SystemPackage

// After an overflow the tree is known afresh: the root reached by its handle
// (wherever it is now), every directory below it listed and placed again.

extension FanotifyEngine {
    /// Lists the whole tree again; ends with `rescanned`, or with
    /// `rootDeleted` when the root is gone.
    func rescan() -> [Change] {
        needsRescan = false
        unplaced.removeAll()
        lateDeletions.removeAll()
        var changes: [Change] = []
        let rootKey = tree.root
        guard let mount = mountDescriptor(for: rootKey.fsid) else {
            return rootGone(&changes)
        }
        defer { DirectoryDescriptor.close(mount) }
        let rootFD: FileDescriptor
        do {
            rootFD = try Fanotify.open(
                rootKey.handle, mount: FileDescriptor(rawValue: mount), flags: O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        } catch {
            return rootGone(&changes)
        }
        defer { DirectoryDescriptor.close(rootFD.rawValue) }
        tree = HandleTree(root: rootKey)
        listedAt.removeAll()
        supersededBefore = streamEnd
        list(rootFD.rawValue, key: rootKey, path: FilePath(), reporting: false, into: &changes)
        changes.append(Change(.rescanned, path: FilePath(), root: root, isDirectory: true))
        return changes
    }

    private func rootGone(_ changes: inout [Change]) -> [Change] {
        finished = true
        changes.append(Change(.rootDeleted, path: FilePath(), root: root, isDirectory: true, isSelfEvent: true))
        return changes
    }
}
