import InotifyTree

/// A consumer's picture of the tree, built from the changes alone (as
/// `RebuiltTree` in the churn tests): every path and whether it is a
/// directory, taken again from the disk on `rescanned`, as a consumer must.
/// Indexed by parent, so that a subtree removed or moved costs its own size,
/// not the tree's: the consumer has to keep up with the writers.
struct TreeView {
    private(set) var entries: [String: Bool] = [:]
    /// The names of each directory's entries, by the directory's path ("" the root's).
    private var children: [String: Set<String>] = [:]
    private(set) var overflows = 0
    private(set) var rescans = 0
    private(set) var changes = 0
    /// Changes no consumer should see under this churn: the root's end, an
    /// unmount, a problem with ignore rules.
    private(set) var problems: [String] = []
    /// `unwatched` changes: the watcher gave up on a directory. Under this
    /// churn no limit is reached, so each is a report of the watcher's that
    /// the check judges by the kernel's watches (a directory on disk without
    /// one fails it) and the run counts.
    private(set) var unwatched: [String] = []

    init(_ entries: [String: Bool]) {
        replace(with: entries)
    }

    mutating func apply(_ change: Change) {
        changes += 1
        let path = change.path.string
        switch change.kind {
        case .created, .movedIn:
            insert(path, isDirectory: change.isDirectory)
        case .deleted, .movedOut, .becameIgnored:
            _ = removeSubtree(path)
        case .moved(let from):
            let source = from.string
            _ = removeSubtree(path)  // a rename replaces what was at its target
            let moving = removeSubtree(source)
            for (key, isDirectory) in moving {
                insert(path + key.dropFirst(source.count), isDirectory: isDirectory)
            }
            // A rename the view cannot follow (its source came after a
            // resync's walk had already seen it moved) at least puts its target.
            if moving.isEmpty { insert(path, isDirectory: change.isDirectory) }
        case .overflow:
            overflows += 1
        case .rescanned, .modified, .attributesChanged, .closedAfterWrite, .opened, .accessed, .closedWithoutWrite,
             .selfDeleted, .selfMoved:
            break
        case .unwatched:
            if unwatched.count < 100 { unwatched.append("\(change)") }
        case .rootDeleted, .rootMoved, .unmounted, .ignoreProblem:
            if problems.count < 100 { problems.append("\(change)") }
        }
    }

    /// A change counted but not applied: one a resync's walk will show.
    mutating func pass(_ change: Change) {
        changes += 1
        if case .unwatched = change.kind, unwatched.count < 100 { unwatched.append("\(change)") }
        if change.kind == .overflow { overflows += 1 }
        if change.kind == .rescanned { rescans += 1 }
    }

    /// The view taken again from the disk, after `rescanned`.
    mutating func resync(_ disk: [String: Bool]) {
        replace(with: disk)
    }

    private mutating func replace(with disk: [String: Bool]) {
        entries = [:]
        children = [:]
        for (path, isDirectory) in disk { insert(path, isDirectory: isDirectory) }
    }

    private mutating func insert(_ path: String, isDirectory: Bool) {
        entries[path] = isDirectory
        let (parent, name) = Self.split(path)
        children[parent, default: []].insert(name)
    }

    /// Removes `path` and everything below it; returns what was removed,
    /// shallowest first.
    private mutating func removeSubtree(_ path: String) -> [(String, Bool)] {
        var removed: [(String, Bool)] = []
        if let isDirectory = entries.removeValue(forKey: path) { removed.append((path, isDirectory)) }
        let (parent, name) = Self.split(path)
        children[parent]?.remove(name)
        if children[parent]?.isEmpty == true { children.removeValue(forKey: parent) }
        var index = 0
        var directories = [path]
        while index < directories.count {
            let directory = directories[index]
            index += 1
            for child in children.removeValue(forKey: directory) ?? [] {
                let childPath = directory + "/" + child
                guard let isDirectory = entries.removeValue(forKey: childPath) else { continue }
                removed.append((childPath, isDirectory))
                directories.append(childPath)
            }
        }
        return removed
    }

    private static func split(_ path: String) -> (parent: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        return (String(path[..<slash]), String(path[path.index(after: slash)...]))
    }
}
