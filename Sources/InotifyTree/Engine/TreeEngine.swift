import Glibc
import Inotify
import SystemPackage

/// Turns kernel events into tree changes and keeps the watches true to the
/// tree. Synchronous and single-threaded: one thread at a time drives it (the
/// first scan's, then the watcher's), and it is handed from one to the next
/// whole (``HandOff``), so it need not be `Sendable`.
///
/// Never wrong about the tree, by three rules:
/// - **Watch before list**: a new directory is watched before it is listed,
///   so whatever appears in it is seen by the listing or reported by the kernel.
/// - **Reach by descriptor**: every directory is reached from its parent's
///   descriptor (the root's is held open), never by a path joined from names,
///   which can lead to another directory by the time it is used; a directory
///   reached through a path of the tree is checked to be the one the tree
///   holds (device and inode).
/// - **A listing supersedes what came before it** (``ListingLog``): entry
///   events of a directory queued before its latest listing are not applied,
///   and the listing's own events are not reported.
///
/// The engine composes parts, each in a folder of its own:
/// - `Tree/`: the model, ``WatchTree`` (wd -> parent + name, device and inode);
/// - `Watches/`: the kernel's watches (``KernelWatches``, the only caller of
///   the inotify instance) and how the engine adds and drops them;
/// - `Scan/`: watch before list, by descriptor, the leaf test, symbolic
///   links by identity, and what a listing supersedes (``ListingLog``);
/// - `Moves/`: rename halves paired by cookie within a window (``MovePairing``);
/// - `Filter/`: what the options keep out (``ChangeFilter``), git's ignore
///   rules and their state (``IgnoreState``), and how changes are reported;
/// - `Recovery/`: unmounts, watches the kernel ended, and the rescan;
/// - `TreeEngine+Dispatch.swift`: which part an event goes to.
final class TreeEngine {
    let watches: KernelWatches
    let root: FilePath
    /// The root as bytes, for the rare path that is given to the kernel whole.
    let rootBytes: PathBuffer
    let options: TreeWatcher.Options
    let filter: ChangeFilter
    var tree = WatchTree()
    /// The root is gone (its IN_IGNORED arrived): nothing more can happen.
    var finished = false
    /// What the first scan had to report (directories it could not watch):
    /// the first changes the consumer sees.
    private(set) var startupChanges: [Change] = []

    // MARK: The stream

    /// Bytes read from the kernel so far (every read reaches ``process``), and
    /// bytes processed: an event's position in the stream.
    var readBytes: UInt64 = 0
    var processedBytes: UInt64 = 0
    /// Events read while a scan ran, so that a long listing cannot overflow the
    /// kernel's queue; they come before anything read after them.
    var backlog: [Inotify.Event] = []

    // MARK: Scanning

    /// Names reported by a scan of a new directory whose kernel CREATE may
    /// still be queued: that CREATE is the same creation, reported once.
    var scanned = Set<WatchTree.ChildKey>()
    static let scannedLimit = 65_536
    /// How many directories scans have listed: what the leaf test saves shows here.
    var listings = 0
    /// Where directories are listed, one at a time.
    let listingBuffer = UnsafeMutableRawBufferPointer.allocate(
        byteCount: Directory.listingBufferSize, alignment: 8)
    /// Whether watches are added through /proc/self/fd, exactly on the
    /// directory a descriptor holds; where procfs is missing, by whole path.
    /// (No descriptor is held between events: a directory held open is not
    /// freed when deleted, and its IN_DELETE_SELF and IN_IGNORED wait for the
    /// close, so a held root would never be seen to go.)
    var viaProc = true
    /// Where listings fall in the stream: what they supersede, and their own events.
    var log = ListingLog()
    /// What reporting listings told the consumer, while events queued during them come.
    var sight = ListingSight()
    /// Whether listings' own events can reach the watches at all (OPEN, ACCESS
    /// or CLOSE_NOWRITE asked for); when not, nothing is counted.
    let countsOwnEvents: Bool
    /// New directories whose parent could not be reached at its path yet: a
    /// rename of it, or above it, is still to be read. Tried again after each batch.
    var deferred: [DeferredWatch] = []
    /// Directories a listing found under a name other than the tree's (their
    /// rename not yet read) and moved there: their old place, until the
    /// rename's events come, which the listing has reported already.
    var relocatedFrom: [WatchTree.ChildKey: Int32] = [:]

    struct DeferredWatch {
        let parent: Int32
        let name: EventName
        /// Where the stream ended when it was last found out of reach:
        /// a rename that explains it was queued before then.
        var due: UInt64
        /// Tries made with nothing left to handle that could explain it.
        var attempts = 0
        /// Tries in all, counted or not.
        var tries = 0
    }

    // MARK: The other parts

    /// MOVED_FROM halves waiting for their MOVED_TO (`Moves/`).
    var moves: MovePairing
    /// git's ignore rules and all the tree keeps for them, with
    /// `Options.gitIgnore`; nil without (`Filter/`).
    var ignore: IgnoreState?
    /// The source's events overflowed: what is left of the batch waits for
    /// the rescan (`Recovery/`).
    var needsRescan = false
    /// Watches whose filesystem was unmounted (IN_UNMOUNT seen), until their
    /// IN_IGNORED: each is in the table, and the kernel ends every one, so
    /// the set holds no more than the table does (`Recovery/`).
    var unmounted = Set<Int32>()
    /// The tree before a rescan, while it runs: which watches the kernel had.
    var previousTree: WatchTree?

    /// The events of the kinds the options ask for.
    let askedMask: Inotify.EventMask

    /// What every directory watch asks for: the events the tree's structure
    /// needs, plus those the user wants reported.
    var directoryMask: Inotify.EventMask {
        var mask = askedMask.union([.create, .movedFrom, .movedTo, .delete, .onlyDir])
        if !options.followSymbolicLinks { mask.insert(.dontFollow) }
        // A .gitignore written in place changes the rules.
        if options.gitIgnore { mask.insert(.closeWrite) }
        return mask
    }

    /// The root's own deletion and move end or change the watcher; a root
    /// given as a link is followed, as the path was meant.
    var rootMask: Inotify.EventMask { directoryMask.union([.deleteSelf, .moveSelf]).subtracting(.dontFollow) }

    deinit {
        listingBuffer.deallocate()
    }

    /// Reads git's rules (with `Options.gitIgnore`), then watches and lists
    /// the whole tree: ready when it returns.
    init(inotify: Inotify, root: FilePath, options: TreeWatcher.Options) throws {
        self.watches = KernelWatches(inotify)
        self.root = root
        self.rootBytes = PathBuffer(root)
        self.options = options
        self.filter = ChangeFilter(options)
        self.moves = MovePairing(window: options.movePairingWindow, limit: options.maxPendingMoves)
        askedMask = options.reported.inotifyMask
        countsOwnEvents = !askedMask.isDisjoint(with: ListingLog.listingEvents)
        readIgnoreRules(&startupChanges)
        try watchRoot(first: true, &startupChanges)
    }
}
