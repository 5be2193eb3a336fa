import SystemPackage

/// Folds a burst of ``Change``s into their net effect per path
/// (``SettledChange``s).
///
/// It follows each entry the burst touched from where it was before the
/// burst (its origin) to where it is now, or to its end: an entry made
/// during the burst has no origin. What was never touched is never
/// tracked: an untouched entry below a moved directory is where its
/// directory's move puts it. At the end:
/// - an entry made and removed within the burst is absent;
/// - a new entry where one was before (deleted and made again, or a new
///   file renamed onto it, as an editor's atomic save does) is `modified`:
///   a file; a directory replaced is `deleted` and `created`, since what it
///   held went with it;
/// - an entry now away from its origin is `moved(from:)`, once for a
///   directory (what moved with it is not listed), and `modified` as well
///   if it was written;
/// - an entry gone is `deleted` at its origin, once for a directory.
/// Deletions are given at the paths before the burst, moves from there to
/// the paths after, the rest at the paths after: apply them in that order.
///
/// One limit, the kernel's: a rename onto an existing file says nothing of
/// the file it replaced. So a new file renamed onto a path is `modified`
/// there, as if something was (an editor's save), and a file that a rename
/// replaced and that the burst then moved or deleted again is not reported
/// deleted (`mv a b; mv b c` with `b` there before: `moved a -> c` only).
/// Saying `deleted` for every path a rename left empty would report, for
/// every editor's save, a backup file that never existed before.
struct NetEffect {
    private enum Origin: Hashable {
        case new
        case original(FilePath)
    }

    private struct Entry {
        var origin: Origin
        var isDirectory: Bool
        var written = false
        var attributes = false
    }

    /// The entries the burst touched, by their path now.
    private var entries: [FilePath: Entry] = [:]
    /// How many of ``entries`` lie strictly below each path: a burst of
    /// thousands of files (a checkout) deletes and makes each, and only a
    /// path with entries below needs ``entries`` searched.
    private var trackedBelow: [FilePath: Int] = [:]
    /// Origins whose entries are gone, and whether each was a directory.
    private var gone: [FilePath: Bool] = [:]
    /// Origins whose entries are tracked elsewhere now: nothing is at them.
    private var departed = Set<FilePath>()
    /// Origins (paths before the burst) that a rename may have replaced
    /// (the kernel does not say whether anything was there).
    private var maybeReplaced = Set<FilePath>()
    /// Paths whose entry the burst removed, with nothing placed there
    /// since: a write or an attribute change that comes for one later is
    /// the unlinked file's (open when it was deleted, closed after), not
    /// a new entry's.
    private var removedHere = Set<FilePath>()
    /// An overflow or a rescan came: changes may be missing.
    private(set) var needsResync = false
    /// What the burst said that is not a change to an entry: directories
    /// left unwatched, problems with ignore files, unmounts, the root.
    private(set) var notices: [Change] = []
    /// How many changes were folded in.
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    mutating func apply(_ change: Change) {
        count += 1
        let path = change.path
        switch change.kind {
        case .created, .movedIn:
            // Nothing was there, by the kernel's word: a tracked entry at the
            // path is one whose removal was missed.
            if entries[path] != nil { remove(path, isDirectory: change.isDirectory) }
            place(Entry(origin: .new, isDirectory: change.isDirectory), at: path)
        case .deleted, .movedOut, .becameIgnored:
            remove(path, isDirectory: change.isDirectory)
        case .moved(let from):
            move(from, to: path, isDirectory: change.isDirectory)
        case .modified, .closedAfterWrite:
            touch(path, isDirectory: change.isDirectory) { $0.written = true }
        case .attributesChanged:
            touch(path, isDirectory: change.isDirectory) { $0.attributes = true }
        case .overflow, .rescanned:
            needsResync = true
        case .rootDeleted, .rootMoved, .unmounted, .unwatched, .ignoreProblem:
            notices.append(change)
        case .opened, .accessed, .closedWithoutWrite, .selfDeleted, .selfMoved:
            break  // nothing changed
        }
    }

    /// Where the entry now at `path` came from, tracked or not: an untracked
    /// entry is where the nearest tracked directory above it put it, or
    /// where it was from the start; nil where nothing is (it left).
    private func origin(of path: FilePath) -> Origin? {
        if let entry = entries[path] { return entry.origin }
        var above = path
        var below: [FilePath.Component] = []
        var candidate = path
        while let last = above.lastComponent {
            below.insert(last, at: 0)
            above.removeLastComponent()
            guard let entry = entries[above] else { continue }
            switch entry.origin {
            case .new: return .new
            case .original(let from): candidate = from.appending(below)
            }
            break
        }
        return departed.contains(candidate) || gone[candidate] != nil ? nil : .original(candidate)
    }

    private mutating func place(_ entry: Entry, at path: FilePath) {
        setEntry(entry, at: path)
        removedHere.remove(path)
        if case .original(let from) = entry.origin {
            if from == path { departed.remove(from) } else { departed.insert(from) }
        }
    }

    private mutating func touch(_ path: FilePath, isDirectory: Bool, _ change: (inout Entry) -> Void) {
        if entries[path] == nil && removedHere.contains(path) { return }
        var entry = entries[path] ?? Entry(origin: origin(of: path) ?? .new, isDirectory: isDirectory)
        change(&entry)
        place(entry, at: path)
    }

    /// The tracked entries strictly below `path`.
    private func descendants(of path: FilePath) -> [FilePath] {
        guard trackedBelow[path, default: 0] > 0 else { return [] }
        return entries.keys.filter { $0 != path && $0.starts(with: path) }
    }

    private mutating func setEntry(_ entry: Entry, at path: FilePath) {
        if entries.updateValue(entry, forKey: path) == nil { countAbove(path, by: 1) }
    }

    @discardableResult
    private mutating func removeEntry(at path: FilePath) -> Entry? {
        guard let entry = entries.removeValue(forKey: path) else { return nil }
        countAbove(path, by: -1)
        return entry
    }

    private mutating func countAbove(_ path: FilePath, by step: Int) {
        var above = path
        while above.lastComponent != nil {
            above.removeLastComponent()
            let count = trackedBelow[above, default: 0] + step
            trackedBelow[above] = count == 0 ? nil : count
        }
    }

    /// The entry at `path` and everything below it are gone.
    private mutating func remove(_ path: FilePath, isDirectory: Bool) {
        removedHere.insert(path)
        let top = origin(of: path)
        for below in descendants(of: path) {
            let entry = removeEntry(at: below)!
            guard case .original(let from) = entry.origin else { continue }
            departed.remove(from)
            // One moved in from elsewhere goes as itself; one that was below
            // `path` from the start goes with it.
            if case .original(let topFrom)? = top, from.starts(with: topFrom) { continue }
            gone[from] = entry.isDirectory
        }
        if case .original(let from)? = top {
            departed.remove(from)
            gone[from] = entries[path]?.isDirectory ?? isDirectory
        }
        removeEntry(at: path)
    }

    private mutating func move(_ from: FilePath, to path: FilePath, isDirectory: Bool) {
        guard from != path else { return }
        var moving = entries[from] ?? Entry(origin: origin(of: from) ?? .new, isDirectory: isDirectory)
        moving.isDirectory = isDirectory
        let below = descendants(of: from).map { ($0, removeEntry(at: $0)!) }
        removeEntry(at: from)
        // Whatever is at the target is replaced: known, it goes; not known,
        // something may have been there.
        if entries[path] != nil || !descendants(of: path).isEmpty {
            remove(path, isDirectory: isDirectory)
        } else if case .original(let before)? = origin(of: path) {
            maybeReplaced.insert(before)
        }
        place(moving, at: path)
        for (old, entry) in below {
            place(entry, at: path.appending(old.components.dropFirst(from.components.count)))
        }
    }

    /// The net effect: deletions (at the paths before), moves, then the
    /// rest (at the paths after), each in path order.
    func result() -> [SettledChange] {
        var deletions: [SettledChange] = []
        var moves: [SettledChange] = []
        var rest: [SettledChange] = []
        // Files gone whose place a new file took: said as that one's `modified`.
        var absorbed = Set<FilePath>()
        for (path, entry) in entries.sorted(by: { $0.key.string < $1.key.string }) {
            switch entry.origin {
            case .new:
                // A file where a file was is modified (an editor's save).
                // One that moved on, or a directory, says so itself: this is new.
                if !entry.isDirectory, let before = placeBefore(path),
                   gone[before] == false || (gone[before] == nil && maybeReplaced.contains(before) && !departed.contains(before))
                {
                    absorbed.insert(before)
                    rest.append(SettledChange(.modified, path: path, isDirectory: false))
                } else {
                    rest.append(SettledChange(.created, path: path, isDirectory: entry.isDirectory))
                }
            case .original(let from):
                if from != path && !movedWithParent(path, from: from) {
                    moves.append(SettledChange(.moved(from: from), path: path, isDirectory: entry.isDirectory))
                }
                if entry.written {
                    rest.append(SettledChange(.modified, path: path, isDirectory: entry.isDirectory))
                } else if entry.attributes {
                    rest.append(SettledChange(.attributesChanged, path: path, isDirectory: entry.isDirectory))
                }
            }
        }
        for (from, isDirectory) in gone.sorted(by: { $0.key.string < $1.key.string }) {
            if absorbed.contains(from) || goesWithDirectoryAbove(from) { continue }
            deletions.append(SettledChange(.deleted, path: from, isDirectory: isDirectory))
        }
        return deletions + moves + rest
    }

    /// The path before the burst of the place `path` names now: its
    /// directory's origin and its name; nil where its directory is new.
    private func placeBefore(_ path: FilePath) -> FilePath? {
        guard let name = path.lastComponent else { return nil }
        let directory = path.removingLastComponent()
        if directory.isEmpty { return path }
        guard case .original(let before)? = origin(of: directory) else { return nil }
        return before.appending(name)
    }

    /// Whether the entry at `path`, from `from`, is only where a moved
    /// directory above it put it.
    private func movedWithParent(_ path: FilePath, from: FilePath) -> Bool {
        var above = path
        var below: [FilePath.Component] = []
        while let last = above.lastComponent {
            below.insert(last, at: 0)
            above.removeLastComponent()
            guard let entry = entries[above] else { continue }
            if case .original(let aboveFrom) = entry.origin { return aboveFrom.appending(below) == from }
            return false
        }
        return false
    }

    /// Whether the deletion of `path` (a path before the burst) is said by
    /// that of a directory above it: one is gone, and nothing between moved
    /// out of it first.
    private func goesWithDirectoryAbove(_ path: FilePath) -> Bool {
        var above = path
        while above.lastComponent != nil {
            above.removeLastComponent()
            if departed.contains(above) { return false }
            if gone[above] != nil { return true }
        }
        return false
    }
}
