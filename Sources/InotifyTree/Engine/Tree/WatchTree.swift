import Inotify
import SystemPackage

/// The watched directories as a tree of watch descriptors: each node knows
/// its parent's wd and its own name, never its full path. A path is computed
/// by walking up, so renaming a directory is one update and everything below
/// it has the new path at once; and no wd can keep a stale path.
///
/// Lean on purpose, since a tree can hold hundreds of thousands of
/// directories: a node is a parent wd and a name stored inline when short
/// (24 bytes or less: no allocation), kept in a dense array whose free slots
/// are reused; a wd -> slot table finds it. The child index is keyed by a
/// digest of (parent, name) and checks both on the node, so each name is
/// stored once; children whose digests collide go to a side table. Both
/// tables are ``ProbingTable``s (one flat array each); the only SipHash is
/// the child digest.
struct WatchTree {
    struct Node {
        /// The parent directory's wd; `WatchTree.noParent` for the root.
        var parent: Int32
        /// How many nodes name this one as their parent. Lives in what would
        /// be padding between `parent` and `name`: a node is no larger for it.
        var childCount: UInt32 = 0
        var name: EventName
        /// The directory's device and inode when it was watched: how a path
        /// resolved later is checked to lead to this directory and no other.
        var identity: FileID

        init(parent: Int32, name: EventName, identity: FileID = .unknown) {
            self.parent = parent
            self.name = name
            self.identity = identity
        }
    }

    struct ChildKey: Hashable {
        let parent: Int32
        let name: EventName
    }

    static let noParent: Int32 = -1

    private var storage: [Node] = []
    private var slotOfWD = ProbingTable()
    private var freeSlots: [Int32] = []
    /// Children by the digest of (parent, name).
    private var children = ProbingTable()
    /// Children whose digest is taken by another (parent, name).
    private var collidingChildren: [ChildKey: Int32] = [:]
    private(set) var rootWD: Int32?
    /// Directories by device and inode, kept only when symbolic links are
    /// followed: what stops a link loop.
    private var identities: [FileID: Int32] = [:]
    private var identityOfWD: [Int32: FileID] = [:]

    /// Recently asked paths by wd: a burst of events in a few directories
    /// builds each path once. A new directory or a removed leaf changes no
    /// other path, so those keep the cache (directories made and deleted in
    /// a burst are the common churn); every other change of the tree's shape
    /// empties it.
    private var recentPaths: [Int32: FilePath] = [:]
    private static let recentPathLimit = 64
    /// How (parent, name) is digested for the child index; a test passes
    /// one that collides, to exercise the side table.
    private let childDigest: (Int32, EventName) -> UInt32

    init(childDigest: @escaping (Int32, EventName) -> UInt32 = WatchTree.digest) {
        self.childDigest = childDigest
    }

    var count: Int { slotOfWD.count }

    /// How many node slots exist, used or free: what churn must not grow.
    var storageCapacityForTesting: Int { storage.count }

    /// Every watched directory's wd.
    var watchDescriptors: [Int32] { slotOfWD.keys.map { Int32(bitPattern: $0) } }

    func contains(_ wd: Int32) -> Bool { slotOfWD[Self.key(wd)] != nil }

    func node(_ wd: Int32) -> Node? {
        guard let slot = slotOfWD[Self.key(wd)] else { return nil }
        return storage[Int(slot)]
    }

    func child(of parent: Int32, named name: EventName) -> Int32? {
        if let wd = children[childDigest(parent, name)], let node = node(wd),
           node.parent == parent, node.name == name
        {
            return wd
        }
        return collidingChildren.isEmpty ? nil : collidingChildren[ChildKey(parent: parent, name: name)]
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
        while let node = node(current) {
            if node.parent == Self.noParent { return FilePath(names: names.reversed()) }
            names.append(node.name)
            current = node.parent
            if names.count > count { return nil }  // a cycle would be a bug; never loop forever
        }
        return nil
    }

    mutating func insertRoot(_ wd: Int32, id: FileID?, identity: FileID = .unknown) {
        forgetRecentPaths()
        place(wd, Node(parent: Self.noParent, name: EventName([]), identity: identity))
        rootWD = wd
        remember(wd, id)
    }

    mutating func insert(_ wd: Int32, parent: Int32, name: EventName, id: FileID?, identity: FileID = .unknown) {
        if contains(wd) { forgetRecentPaths() }  // placed again: its subtree moves with it
        place(wd, Node(parent: parent, name: name, identity: identity))
        link(wd, parent: parent, name: name)
        remember(wd, id)
    }

    /// A directory renamed within the tree: one node changes.
    mutating func move(_ wd: Int32, to parent: Int32, name: EventName) {
        forgetRecentPaths()
        guard let slot = slotOfWD[Self.key(wd)] else { return }
        unlinkFromParent(wd, storage[Int(slot)])
        storage[Int(slot)].parent = parent
        storage[Int(slot)].name = name
        link(wd, parent: parent, name: name)
    }

    /// Forgets one directory (its IN_IGNORED arrived, or its watch was removed).
    mutating func remove(_ wd: Int32) {
        guard let slot = slotOfWD.removeValue(forKey: Self.key(wd)) else { return }
        // Nodes left below it lose their paths (a walk up stops at the gap).
        if storage[Int(slot)].childCount == 0 { recentPaths.removeValue(forKey: wd) } else { forgetRecentPaths() }
        unlinkFromParent(wd, storage[Int(slot)])
        storage[Int(slot)] = Node(parent: Self.noParent, name: EventName([]))  // let a long name go
        freeSlots.append(slot)
        if let id = identityOfWD.removeValue(forKey: wd), identities[id] == wd { identities.removeValue(forKey: id) }
        if wd == rootWD { rootWD = nil }
    }

    private mutating func forgetRecentPaths() {
        if !recentPaths.isEmpty { recentPaths.removeAll(keepingCapacity: true) }
    }

    /// `wd` and every directory below it.
    func subtree(of wd: Int32) -> [Int32] {
        guard contains(wd) else { return [] }
        var below: [Int32: Bool] = [wd: true]
        func isBelow(_ candidate: Int32) -> Bool {
            var chain: [Int32] = []
            var current = candidate
            var answer = false
            while true {
                if let known = below[current] { answer = known; break }
                chain.append(current)
                if chain.count > count { break }  // a cycle would be a bug; never loop forever
                guard let parent = node(current)?.parent, parent != Self.noParent else { break }
                current = parent
            }
            for link in chain { below[link] = answer }
            return answer
        }
        return watchDescriptors.filter(isBelow)
    }

    /// Puts `node` in `wd`'s slot, or in a free one; an old node of the same
    /// wd leaves its parent's index first.
    private mutating func place(_ wd: Int32, _ node: Node) {
        // One hash in the common case, a wd not seen before.
        let fresh = freeSlots.last ?? Int32(storage.count)
        if let slot = slotOfWD.updateValue(fresh, forKey: Self.key(wd)) {
            slotOfWD.updateValue(slot, forKey: Self.key(wd))
            unlinkFromParent(wd, storage[Int(slot)])
            storage[Int(slot)].parent = node.parent  // its children stay its children
            storage[Int(slot)].name = node.name
            storage[Int(slot)].identity = node.identity
            return
        }
        if fresh == freeSlots.last {
            freeSlots.removeLast()
            storage[Int(fresh)] = node
        } else {
            storage.append(node)
        }
    }

    private mutating func link(_ wd: Int32, parent: Int32, name: EventName) {
        if let slot = slotOfWD[Self.key(parent)] { storage[Int(slot)].childCount += 1 }
        let digest = childDigest(parent, name)
        // One probe in the common case, a digest no other child holds.
        guard let holder = children.updateValue(wd, forKey: digest), holder != wd,
              let other = node(holder), other.parent != parent || other.name != name
        else { return }
        children.updateValue(holder, forKey: digest)
        collidingChildren[ChildKey(parent: parent, name: name)] = wd
    }

    private mutating func remember(_ wd: Int32, _ id: FileID?) {
        guard let id else { return }
        identities[id] = wd
        identityOfWD[wd] = id
    }

    private mutating func unlinkFromParent(_ wd: Int32, _ node: Node) {
        guard node.parent != Self.noParent else { return }
        // Saturating: only an orphan's parent wd handed out again, after the
        // kernel's wds wrapped past 2^31, could find a count that is not its own.
        if let slot = slotOfWD[Self.key(node.parent)], storage[Int(slot)].childCount > 0 {
            storage[Int(slot)].childCount -= 1
        }
        let digest = childDigest(node.parent, node.name)
        if children[digest] == wd {
            children.removeValue(forKey: digest)
        } else if !collidingChildren.isEmpty {
            let key = ChildKey(parent: node.parent, name: node.name)
            if collidingChildren[key] == wd { collidingChildren.removeValue(forKey: key) }
        }
    }

    /// Seeded per process, as `Hasher` is: names are chosen by whoever
    /// writes in the tree, and must not be able to pile up in one bucket run.
    /// 32 bits: two children share a digest about once in four billion
    /// pairs, and then the side table holds one of them.
    static func digest(_ parent: Int32, _ name: EventName) -> UInt32 {
        var hasher = Hasher()
        hasher.combine(parent)
        name.withBytes { hasher.combine(bytes: $0) }
        return UInt32(truncatingIfNeeded: hasher.finalize())
    }

    private static func key(_ wd: Int32) -> UInt32 { UInt32(bitPattern: wd) }
}
