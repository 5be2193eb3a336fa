import Glibc
import Inotify
import SystemPackage

/// Turns a fanotify group's events into tree changes. Synchronous and
/// single-threaded, like ``TreeEngine``: the first listing's thread, then the
/// watcher's, drive it, handed from one to the next whole.
///
/// One filesystem mark (`FAN_MARK_FILESYSTEM`) reports every change on the
/// root's filesystem, with the directory's handle and the name
/// (`FAN_REPORT_DFID_NAME`), a created, deleted or renamed object's own
/// handle (`FAN_REPORT_TARGET_FID`) and a rename's two places in one event
/// (`FAN_RENAME`). The engine keeps the tree's directories by handle
/// (``HandleTree``) and drops every event whose directory it does not hold:
/// no watch per directory, so no limit to reach and no moment between a new
/// directory and its watch. Only what comes in from outside the tree (a
/// directory moved in, or everything after an overflow) is listed, and a
/// new directory whose early events cannot be replayed exactly
/// (``EarlyEvents``).
///
/// Its own listings open and read directories: those events carry its
/// thread's id (`FAN_REPORT_TID`) and are never reported.
final class FanotifyEngine {
    let group: Fanotify
    let root: FilePath
    let options: TreeWatcher.Options
    let filter: ChangeFilter
    /// What every mark asks for.
    let mask: Fanotify.EventMask
    var tree: HandleTree
    /// The filesystems marked: the root's, and any mounted below it.
    var marked: Set<Fanotify.FilesystemID> = []
    /// The threads whose listings' opens and reads are the engine's own.
    var listingThreads: Set<CInt> = []
    /// The root is gone: nothing more can happen.
    var finished = false
    /// The group's queue overflowed: the rest of the read waits for the rescan.
    var needsRescan = false
    /// What came about directories the tree does not hold, for a new
    /// directory worked in before its creation was queued (``EarlyEvents``).
    var early = EarlyEvents()
    /// Events read so far: where an event stands in the stream. (Counted
    /// in events, as FIONREAD tells the queue: ``Fanotify/queuedEventCount()``.)
    var readCount: UInt64 = 0
    /// Where the stream stood when the current read returned: everything
    /// queued before then.
    var queuedBefore: UInt64 = 0
    /// Events a listing read from the queue (so that its own opens and
    /// reads of directories cannot overflow it), to be
    /// applied after it, each with its place in the stream; the listing's
    /// own are dropped as they are read. At most ``backlogLimit``: past it,
    /// the kernel's queue holds the rest, or overflows into a rescan.
    var backlog: [(Fanotify.Event, UInt64)] = []
    static let backlogLimit = 262_144
    /// Where the event being applied stands in the stream.
    var position: UInt64 = 0
    /// A listing supersedes the events queued before it began: what they
    /// did is in what it found. For the whole tree (the first listing, a
    /// rescan), where that was:
    var supersededBefore: UInt64 = 0
    /// And for directories listed because they came in from outside: each
    /// one's listing's start, until the stream has passed the latest.
    var listedAt: [HandleTree.Key: UInt64] = [:]
    var latestListing: UInt64 = 0
    /// Deletions the kernel merged into an earlier event (``LateDeletion``).
    var lateDeletions: [LateDeletion] = []

    /// A deletion that came as one bit of an earlier event of the same
    /// thread about the same entry and object (fanotify merges an event
    /// into any recent one with the same information, not only the last):
    /// it happened after that event's place, and before the read that
    /// returned it. So it is told once everything queued before that read
    /// has been (``due``), or before anything takes its name meanwhile;
    /// a directory stays known until then, for what was done inside it.
    struct LateDeletion {
        let event: Fanotify.Event
        let directory: HandleTree.Key
        let name: EventName
        let target: HandleTree.Key?
        let isDirectory: Bool
        let due: UInt64
    }
    /// Where directories are listed, one at a time. Owned by an object of
    /// its own, so that it is freed also when the initializer throws before
    /// every property is set (no deinit runs then: a bare allocation leaked).
    private let listing = ListingBuffer()
    var listingBuffer: UnsafeMutableRawBufferPointer { listing.bytes }

    private final class ListingBuffer {
        let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: Directory.listingBufferSize, alignment: 8)
        deinit { bytes.deallocate() }
    }

    /// What the group reports: a directory's handle and the name, the
    /// target's own handle, the thread that did it.
    static let groupFlags: Fanotify.InitFlags = [
        .closeOnExec, .reportDfidName, .reportFid, .reportTargetFid, .reportTid,
    ]

    /// Marks the root's filesystem, and with `listing` lists the tree (what
    /// it could not list kept in ``firstListing``); without, the tree is
    /// listed by the first ``listFirst()``.
    init(group: Fanotify, root: FilePath, options: TreeWatcher.Options, listing: Bool) throws {
        self.group = group
        self.root = root
        self.options = options
        filter = ChangeFilter(options)
        mask = Self.mask(for: options.reported)
        // O_PATH: reaching the root opens nothing, so it queues no event.
        let rootFD = try Self.openRoot(root)
        defer { DirectoryDescriptor.close(rootFD) }
        let rootID = try Fanotify.fileID(of: FileDescriptor(rawValue: rootFD))
        tree = HandleTree(root: HandleTree.Key(rootID))
        // What the listing does to each directory (open, read, close) costs
        // the kernel an event per directory, which the listing then reads
        // and drops: asked for only once it is done, where nothing from
        // before its end is reported anyway.
        let whileListing = listing ? mask.subtracting(Self.listingEvents.subtracting(.onDir)) : mask
        try group.addMark(".", in: FileDescriptor(rawValue: rootFD), on: .filesystem, mask: whileListing)
        marked.insert(rootID.fsid)
        guard listing else { return }
        supersededBefore = streamEnd
        firstListing = listFirst()
        if whileListing != mask {
            try group.addMark(".", in: FileDescriptor(rawValue: rootFD), on: .filesystem, mask: mask)
        }
    }

    /// Whether the tree is still to be listed (``listFirst()``).
    var needsFirstListing = true
    /// What the first listing could not list, until the first batch.
    var firstListing: [Change]?

    /// Lists the tree, every directory placed by its handle, after the mark:
    /// events queued meanwhile are applied after it, in order (or, where the
    /// source is ready only once it is done, those queued before it began
    /// are superseded). What it cannot list is an `unwatched` change; a root
    /// gone already ends the source.
    func listFirst() -> [Change] {
        needsFirstListing = false
        var changes: [Change] = []
        guard let rootFD = openRootByHandle() else { return rootGone(&changes) }
        defer { DirectoryDescriptor.close(rootFD.rawValue) }
        list(rootFD.rawValue, key: tree.root, path: FilePath(), reporting: false, into: &changes)
        return changes
    }

    /// Where the stream ends now: what was read, and what waits in the queue.
    var streamEnd: UInt64 { readCount + UInt64((try? group.queuedEventCount()) ?? 0) }

    /// Whether the event being applied, about the directory `key`, was
    /// queued before a listing that found what it did.
    func isSuperseded(_ key: HandleTree.Key) -> Bool {
        if position <= supersededBefore { return true }
        guard !listedAt.isEmpty else { return false }
        if position > latestListing {
            listedAt.removeAll()
            return false
        }
        return listedAt[key].map { position <= $0 } ?? false
    }

    /// The events asked of the kernel: what the tree's structure needs,
    /// and what the options want reported.
    static func mask(for reported: Change.Kinds) -> Fanotify.EventMask {
        var mask: Fanotify.EventMask = [.create, .delete, .rename, .deleteSelf, .moveSelf, .onDir]
        let asked: [(Change.Kinds, Fanotify.EventMask)] = [
            (.modified, .modify), (.attributesChanged, .attrib), (.closedAfterWrite, .closeWrite),
            (.opened, .open), (.accessed, .access), (.closedWithoutWrite, .closeNoWrite),
        ]
        for (kind, events) in asked where reported.contains(kind) { mask.formUnion(events) }
        return mask
    }

    /// The root, reached (O_PATH); a missing root or one that is not a
    /// directory is the error inotify's source gives for it.
    private static func openRoot(_ root: FilePath) throws -> CInt {
        let opened = root.withPlatformString {
            DirectoryDescriptor.open($0, in: AT_FDCWD, forListing: false, follow: true)
        }
        switch opened {
        case .success(let fd): return fd
        case .failure(let errno):
            throw Inotify.Error(
                .addWatch, errno: errno, path: root,
                advice: errno == .notDirectory ? "The root of a tree must be a directory" : nil)
        }
    }
}
