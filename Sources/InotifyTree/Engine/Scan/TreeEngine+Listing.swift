import Glibc
import Inotify
import SystemPackage

// Listing a directory: its entries read through the descriptor that holds
// it, and where the listing falls in the stream recorded, with the events
// it causes itself (OPEN, one ACCESS per read, CLOSE_NOWRITE), so that what
// it supersedes and what is its own are told apart (``ListingLog``).

extension TreeEngine {
    /// Where in the stream something done now will show: every byte read so
    /// far, and those still queued.
    func streamPosition() throws -> UInt64 {
        let queued = try watches.queuedByteCount()
        let position = readBytes + UInt64(queued)
        // A long scan reads as it goes, into the backlog: its own events (and
        // everyone else's) must not overflow the kernel's queue meanwhile. Up
        // to a bound: writers that outpace a long scan would otherwise grow
        // the backlog without end; past it the kernel's queue takes them, and
        // its overflow, if it comes, is a rescan.
        if queued > options.scanReadThreshold, readBytes - processedBytes < options.readAheadLimit {
            let events = try watches.read(timeout: .zero)
            readBytes += Self.size(of: events)
            backlog += events
        }
        return position
    }

    /// A listing descriptor's close queues CLOSE_NOWRITE on the directory
    /// and its parent: the watcher's own too. A borrowed one is not closed here.
    func close(_ frame: Frame) throws {
        guard frame.owned else { return }
        try closeListing(frame.fd, wd: frame.wd, parent: frame.parent, name: frame.name)
    }

    func closeListing(_ fd: CInt, wd: Int32, parent: Int32?, name: EventName) throws {
        guard countsOwnEvents else {
            DirectoryDescriptor.close(fd)
            return
        }
        let start: UInt64
        do { start = try streamPosition() } catch {
            DirectoryDescriptor.close(fd)  // closed whatever happens: no one else will
            throw error
        }
        DirectoryDescriptor.close(fd)
        let end = try streamPosition()
        log.caused(ListingLog.OwnCounts(closeNoWrite: 1), on: wd,
                   parent == nil ? ListingLog.OwnCounts() : ListingLog.OwnCounts(closeNoWrite: 1), onParent: parent,
                   name: name, from: start, to: end)
    }

    /// Lists the directory open as `fd` (watched as `wd`): reports its
    /// entries when `report`, and returns its subdirectories. Records what it
    /// supersedes and the events it causes itself.
    func list(
        _ fd: CInt, wd: Int32, path: FilePath?, parent: Int32?, name: EventName, openedWhileWatched: Bool,
        start: UInt64, report: Bool, _ out: inout [Change]
    ) throws -> [Candidate] {
        listings += 1
        log.listed(wd, at: start)
        if report { sight.started(wd, at: start) }
        // Its rules first: they judge its entries.
        if ignore != nil, let path {
            try loadIgnoreFile(of: wd, path: path, from: fd, &out)
            if report && ignore!.isChanging { ignore!.listedWhileChanging[wd] = start }
        }
        var candidates: [Candidate] = []
        let (failure, reads) = try Directory.forEachEntry(of: fd, buffer: listingBuffer) { (bytes, kind, inode) throws in
            if !report && kind == .other { return }  // a file of the first scan: nothing to do
            let isDirectory = isDirectoryEntry(kind, bytes, in: fd)
            let entry = EventName(bytes)
            if ignore != nil, let path,
               ignores(path.appending(name: entry), name: entry, isDirectory: isDirectory && kind != .symbolicLink)
            {
                return  // out of sight: no watch, no listing, no change
            }
            if report { sight.told(entry, in: wd) }
            if report, !isDirectory, let path {
                scanned.insert(WatchTree.ChildKey(parent: wd, name: entry))
                if scanned.count > Self.scannedLimit { scanned.removeAll() }
                self.report(.created, path.appending(name: entry), isDirectory: false, [], scan: true, &out)
            }
            if isDirectory {
                if report { scanned.insert(WatchTree.ChildKey(parent: wd, name: entry)) }
                candidates.append(Candidate(name: entry, inode: inode, kind: kind))
            }
        }
        if report || countsOwnEvents {
            let end = try streamPosition()
            if report { sight.ended(wd, at: end) }
            recordOwnListing(wd: wd, parent: parent, name: name, openedWhileWatched: openedWhileWatched, reads: reads,
                             from: start, to: end)
        }
        switch failure {
        case nil, .noSuchFileOrDirectory?, .notDirectory?: break  // listed, or gone meanwhile
        case let errno?:
            let reported = path ?? tree.path(of: wd) ?? FilePath()
            reportUnlistable(errno, reported, &out)
            // Unwatched as said, with nothing below it, as when it cannot be
            // opened; the root keeps its watch, which tells of its own end.
            if wd != tree.rootWD { try unwatchSubtree(wd) }
            return []
        }
        return candidates
    }

    /// A listing's open (on its own watch only when it was watched by then)
    /// and reads, on the directory's watch and on its parent's, between
    /// `start` and `end`.
    func recordOwnListing(
        wd: Int32, parent: Int32?, name: EventName, openedWhileWatched: Bool, reads: Int, from start: UInt64,
        to end: UInt64
    ) {
        guard countsOwnEvents else { return }
        log.caused(ListingLog.OwnCounts(open: openedWhileWatched ? 1 : 0, access: reads), on: wd,
                   parent == nil ? ListingLog.OwnCounts() : ListingLog.OwnCounts(open: 1, access: reads),
                   onParent: parent, name: name, from: start, to: end)
    }

    func isDirectoryEntry(_ kind: Directory.EntryKind, _ name: UnsafeRawBufferPointer, in fd: CInt) -> Bool {
        switch kind {
        case .directory: return true
        case .other: return false
        case .unknown, .symbolicLink:
            if kind == .symbolicLink && !options.followSymbolicLinks { return false }
            let info = EventName(name).cString.withUnsafeBufferPointer {
                DirectoryDescriptor.status(of: $0.baseAddress!, in: fd, follow: kind == .symbolicLink)
            }
            return info.map(DirectoryDescriptor.isDirectory) ?? false
        }
    }
}
