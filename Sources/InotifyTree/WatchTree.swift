import Inotify
import SystemPackage

/// The watched directories as a tree of watch descriptors: each node knows
/// its parent's wd and its own name, never its full path. A path is computed
/// by walking up, so renaming a directory is one update and everything below
/// it has the new path at once; and no wd can keep a stale path.
///
/// Lean on purpose, since a tree can hold hundreds of thousands of
/// directories: a node is a parent wd and a name stored inline when short
/// (24 bytes or less: no allocation), and the only other table is the
/// (parent, name) -> wd index.
struct WatchTree {
    struct Node {
        /// The parent directory's wd; `WatchTree.noParent` for the root.
        var parent: Int32
        var name: EventName
    }

    struct ChildKey: Hashable {
        let parent: Int32
        let name: EventName
    }

    static let noParent: Int32 = -1

    private(set) var nodes: [Int32: Node] = [:]
    private var children: [ChildKey: Int32] = [:]
    private(set) var rootWD: Int32?
    /// Directories by device and inode, kept only when symbolic links are
    /// followed: what stops a link loop.
    private var identities: [FileID: Int32] = [:]
    private var identityOfWD: [Int32: FileID] = [:]

    /// Recently asked paths by wd: a burst of events in a few directories
    /// builds each path once. Emptied by every change of the tree's shape.
    private var recentPaths: [Int32: FilePath] = [:]
    private static let recentPathLimit = 64

    var count: Int { nodes.count }

    func contains(_ wd: Int32) -> Bool { nodes[wd] != nil }

    func child(of parent: Int32, named name: EventName) -> Int32? {
        children[ChildKey(parent: parent, name: name)]
    }

    func wd(of id: FileID) -> Int32? { identities[id] }

    /// The path of directory `wd` relative to the root; nil if not watched.
    mutating func cachedPath(of wd: Int32) -> FilePath? {
        if let path = recentPaths[wd] { return path }
        guard let path = path(of: wd) else { return nil }
        if recentPaths.count >= Self.recentPathLimit { recentPaths.removeAll(keepingCapacity: true) }
        recentPaths[wd] = path
        return path
    }

    /// The path of directory `wd` relative to the root; nil if not watched.
    func path(of wd: Int32) -> FilePath? {
        var names: [EventName] = []
        var current = wd
        while let node = nodes[current] {
            if node.parent == Self.noParent { return FilePath(names: names.reversed()) }
            names.append(node.name)
            current = node.parent
            if names.count > nodes.count { return nil }  // a cycle would be a bug; never loop forever
        }
        return nil
    }

    mutating func insertRoot(_ wd: Int32, id: FileID?) {
        recentPaths.removeAll(keepingCapacity: true)
        nodes[wd] = Node(parent: Self.noParent, name: EventName([]))
        rootWD = wd
        remember(wd, id)
    }

    mutating func insert(_ wd: Int32, parent: Int32, name: EventName, id: FileID?) {
        recentPaths.removeAll(keepingCapacity: true)
        if let old = nodes[wd] { unlinkFromParent(wd, old) }
        nodes[wd] = Node(parent: parent, name: name)
        children[ChildKey(parent: parent, name: name)] = wd
        remember(wd, id)
    }

    /// A directory renamed within the tree: one node changes.
    mutating func move(_ wd: Int32, to parent: Int32, name: EventName) {
        recentPaths.removeAll(keepingCapacity: true)
        guard var node = nodes[wd] else { return }
        unlinkFromParent(wd, node)
        node.parent = parent
        node.name = name
        nodes[wd] = node
        children[ChildKey(parent: parent, name: name)] = wd
    }

    /// Forgets one directory (its IN_IGNORED arrived, or its watch was removed).
    mutating func remove(_ wd: Int32) {
        recentPaths.removeAll(keepingCapacity: true)
        guard let node = nodes.removeValue(forKey: wd) else { return }
        unlinkFromParent(wd, node)
        if let id = identityOfWD.removeValue(forKey: wd), identities[id] == wd { identities.removeValue(forKey: id) }
        if wd == rootWD { rootWD = nil }
    }

    /// `wd` and every directory below it.
    func subtree(of wd: Int32) -> [Int32] {
        guard nodes[wd] != nil else { return [] }
        var below: [Int32: Bool] = [wd: true]
        func isBelow(_ candidate: Int32) -> Bool {
            var chain: [Int32] = []
            var current = candidate
            var answer = false
            while true {
                if let known = below[current] { answer = known; break }
                chain.append(current)
                guard let parent = nodes[current]?.parent, parent != Self.noParent else { break }
                current = parent
            }
            for link in chain { below[link] = answer }
            return answer
        }
        return nodes.keys.filter(isBelow)
    }

    private mutating func remember(_ wd: Int32, _ id: FileID?) {
        guard let id else { return }
        identities[id] = wd
        identityOfWD[wd] = id
    }

    private mutating func unlinkFromParent(_ wd: Int32, _ node: Node) {
        guard node.parent != Self.noParent else { return }
        let key = ChildKey(parent: node.parent, name: node.name)
        if children[key] == wd { children.removeValue(forKey: key) }
    }
}
