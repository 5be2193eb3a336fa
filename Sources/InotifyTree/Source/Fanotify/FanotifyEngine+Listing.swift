import Glibc
import Inotify
import SystemPackage

// Listing a directory and everything below it into the handle tree: at the
// start, after an overflow, and for a directory moved in from outside. Each
// directory is reached from its parent's descriptor and known by the handle
// of the descriptor opened (never by a path, which can lead elsewhere by the
// time it is used). The descriptors open at once are those of one branch.

extension FanotifyEngine {
    private struct Frame {
        let fd: CInt
        let key: HandleTree.Key
        let path: FilePath
        var subdirectories: [EventName]
    }

    /// Lists the directory open as `fd` (held as `key`, at `path`) and all
    /// below it, placing every directory in the tree; with `reporting`,
    /// each entry found is a `created` change found by scan. What cannot be
    /// listed or marked is an `unwatched` change. Does not close `fd`.
    /// With `superseding`, each directory listed supersedes the events
    /// about it queued before the listing began (``isSuperseded(_:)``).
    func list(
        _ fd: CInt, key: HandleTree.Key, path: FilePath, reporting: Bool, superseding: Bool = false,
        into changes: inout [Change]
    ) {
        listingThreads.insert(Syscalls.threadID())
        var listed = 0
        let start = streamEnd
        if superseding {
            listedAt[key] = start
            latestListing = max(latestListing, start)
        }
        let top = entries(of: fd, at: path, reporting: reporting, into: &changes)
        tree.keepOnly(children: Set(top), in: key)
        var stack = [Frame(fd: fd, key: key, path: path, subdirectories: top)]
        while !stack.isEmpty {
            guard let name = stack[stack.count - 1].subdirectories.popLast() else {
                let done = stack.removeLast()
                if done.fd != fd { DirectoryDescriptor.close(done.fd) }
                continue
            }
            let parent = stack[stack.count - 1]
            let childPath = parent.path.appending(name: name)
            let opened = name.withBytes { bytes in
                withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { cName in
                    for (index, byte) in bytes.enumerated() { cName[index] = CChar(bitPattern: byte) }
                    cName[bytes.count] = 0
                    return DirectoryDescriptor.open(cName.baseAddress!, in: parent.fd, forListing: true, follow: false)
                }
            }
            guard case .success(let childFD) = opened else {
                // Gone since the listing (its deletion is queued), or a link
                // now: nothing to hold, whatever was held there. Unreadable: said.
                tree.removeChild(named: name, in: parent.key)
                if case .failure(let errno) = opened, errno == .permissionDenied {
                    changes.append(unwatched(childPath, reason: "cannot be listed: \(errno)"))
                }
                continue
            }
            let childKey: HandleTree.Key
            do {
                let id = try Fanotify.fileID(of: FileDescriptor(rawValue: childFD))
                if !marked.contains(id.fsid) {
                    try group.addMark(FilePath(), in: FileDescriptor(rawValue: childFD), on: .filesystem, mask: mask)
                    marked.insert(id.fsid)
                }
                childKey = HandleTree.Key(id)
            } catch {
                DirectoryDescriptor.close(childFD)
                tree.removeChild(named: name, in: parent.key)
                changes.append(unwatched(childPath, reason: "\(error)"))
                continue
            }
            place(childKey, in: parent.key, name: name, into: &changes)
            if early.count > 0 { early.discard(childKey) }
            if superseding { listedAt[childKey] = start }
            listed += 1
            if listed % 64 == 0 { readAhead() }
            let below = entries(of: childFD, at: childPath, reporting: reporting, into: &changes)
            tree.keepOnly(children: Set(below), in: childKey)
            stack.append(Frame(fd: childFD, key: childKey, path: childPath, subdirectories: below))
        }
    }

    /// Reads the queue into ``backlog`` while it holds more than a few
    /// thousand events: a listing that asks for opens and reads queues an
    /// event per directory (its open, read and close, which the kernel
    /// merges), which past 16,384 directories would overflow the queue and
    /// have the tree listed again, and again. Its own are dropped here.
    private func readAhead() {
        guard (try? group.queuedEventCount()) ?? 0 > 4096 else { return }
        while backlog.count < Self.backlogLimit {
            guard let events = try? group.readEvents(timeout: .zero), !events.isEmpty else { return }
            for event in events {
                readCount += 1
                if listingThreads.contains(event.pid) && event.mask.isSubset(of: Self.listingEvents) { continue }
                backlog.append((event, readCount))
            }
            if (try? group.queuedEventCount()) ?? 0 < 1024 { return }
        }
    }

    /// The entries of one directory: reported (with `reporting`) as found
    /// by scan; the names of the subdirectories to list, excluded ones left out.
    private func entries(
        of fd: CInt, at path: FilePath, reporting: Bool, into changes: inout [Change]
    ) -> [EventName] {
        var subdirectories: [EventName] = []
        let outcome = Directory.forEachEntry(of: fd, buffer: listingBuffer) { bytes, kind, _ in
            let name = EventName(bytes)
            var isDirectory = kind == .directory
            if kind == .unknown {
                isDirectory = withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { cName in
                    for (index, byte) in bytes.enumerated() { cName[index] = CChar(bitPattern: byte) }
                    cName[bytes.count] = 0
                    return DirectoryDescriptor.status(of: cName.baseAddress!, in: fd, follow: false)
                        .map(DirectoryDescriptor.isDirectory) ?? false
                }
            }
            let entryPath = path.appending(name: name)
            if reporting, filter.reports(.created, at: entryPath) {
                changes.append(Change(.created, path: entryPath, root: root, isDirectory: isDirectory, foundByScan: true))
            }
            if isDirectory && !filter.excludesDirectory(name: name, path: { entryPath }) {
                subdirectories.append(name)
            }
        }
        // A directory deleted since it was opened lists as ENOENT: its
        // deletion is queued, and says so.
        if let failure = outcome.failure, failure != .noSuchFileOrDirectory {
            changes.append(unwatched(path, reason: "cannot be listed: \(failure)"))
        }
        // Listed first to last: the stack pops the last.
        return subdirectories.reversed()
    }

    func unwatched(_ path: FilePath, reason: String) -> Change {
        Change(.unwatched(reason: reason), path: path, root: root, isDirectory: true)
    }
}
