import Inotify
import SystemPackage

/// The watched directories as a tree of watch descriptors: each node knows
/// its parent's wd and its own name, never its full path. A path is computed
/// by walking up, so renaming a directory is one update and everything below
/// it has the new path at once; and no wd can keep a stale path.
struct WatchTree {
    struct Node {
        let watch: Inotify.WatchDescriptor
        /// The parent directory's wd; nil for the root.
        var parent: Int32?
        /// The name in the parent; nil for the root.
        var name: FilePath.Component?
        var id: FileID?
    }

    struct ChildKey: Hashable {
        let parent: Int32
        let name: FilePath.Component
    }

    private(set) var nodes: [Int32: Node] = [:]
    private var children: [ChildKey: Int32] = [:]
    private(set) var rootWD: Int32?
    /// Directories by device and inode, for symbolic-link loop protection.
    private var identities: [FileID: Int32] = [:]

    var count: Int { nodes.count }

    func contains(_ wd: Int32) -> Bool { nodes[wd] != nil }

    func child(of parent: Int32, named name: FilePath.Component) -> Int32? {
        children[ChildKey(parent: parent, name: name)]
    }

    func wd(of id: FileID) -> Int32? { identities[id] }

    /// The path of directory `wd` relative to the root; nil if not watched.
    func path(of wd: Int32) -> FilePath? {
        var components: [FilePath.Component] = []
        var current = wd
        var steps = 0
        while let node = nodes[current] {
            guard let parent = node.parent, let name = node.name else {
                return FilePath(root: nil, components.reversed())
            }
            components.append(name)
            current = parent
            steps += 1
            if steps > nodes.count { return nil }  // a cycle would be a bug; never loop forever
        }
        return nil
    }

    mutating func insertRoot(_ watch: Inotify.WatchDescriptor, id: FileID?) {
        let wd = watch.rawValue
        nodes[wd] = Node(watch: watch, parent: nil, name: nil, id: id)
        rootWD = wd
        if let id { identities[id] = wd }
    }

    mutating func insert(_ watch: Inotify.WatchDescriptor, parent: Int32, name: FilePath.Component, id: FileID?) {
        let wd = watch.rawValue
        if let old = nodes[wd] { unlink(wd, old) }
        nodes[wd] = Node(watch: watch, parent: parent, name: name, id: id)
        children[ChildKey(parent: parent, name: name)] = wd
        if let id { identities[id] = wd }
    }

    /// A directory renamed within the tree: one node changes.
    mutating func move(_ wd: Int32, to parent: Int32, name: FilePath.Component) {
        guard var node = nodes[wd] else { return }
        unlinkFromParent(wd, node)
        node.parent = parent
        node.name = name
        nodes[wd] = node
        children[ChildKey(parent: parent, name: name)] = wd
    }

    /// Forgets one directory (its IN_IGNORED arrived).
    mutating func remove(_ wd: Int32) {
        guard let node = nodes.removeValue(forKey: wd) else { return }
        unlink(wd, node)
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
                guard let parent = nodes[current]?.parent else { break }
                current = parent
            }
            for link in chain { below[link] = answer }
            return answer
        }
        return nodes.keys.filter(isBelow)
    }

    private mutating func unlink(_ wd: Int32, _ node: Node) {
        unlinkFromParent(wd, node)
        if let id = node.id, identities[id] == wd { identities.removeValue(forKey: id) }
    }

    private mutating func unlinkFromParent(_ wd: Int32, _ node: Node) {
        if let parent = node.parent, let name = node.name {
            let key = ChildKey(parent: parent, name: name)
            if children[key] == wd { children.removeValue(forKey: key) }
        }
    }
}
