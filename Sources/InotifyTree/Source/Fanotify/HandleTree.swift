import Inotify
import SystemPackage

/// The directories of the tree, known by file handle: what turns the
/// directory handle of a fanotify event into a path, and tells an event in
/// the tree from one elsewhere on the filesystem (a handle it does not hold).
///
/// Each directory is held as its parent's handle and its name, never as a
/// path: a directory renamed is one entry changed, and everything below it
/// follows. Kept true by the events themselves (a directory's creation,
/// rename and deletion carry its own handle, `FAN_REPORT_TARGET_FID`) and by
/// listings of what came in from outside, in the order the kernel queued
/// them, so each event is read against the tree as it was when it happened.
struct HandleTree {
    /// A directory's identity: its filesystem and its handle. (An event's
    /// record type and name are not part of it.)
    struct Key: Hashable {
        let fsid: Fanotify.FilesystemID
        let handle: Fanotify.FileHandle

        init(_ id: Fanotify.FileID) {
            fsid = id.fsid
            handle = id.handle
        }
    }

    struct Node {
        /// Nil for the root.
        var parent: Key?
        var name: EventName
        var children: Set<Key> = []
    }

    private(set) var nodes: [Key: Node] = [:]
    let root: Key

    /// A tree of the root alone.
    init(root: Key) {
        self.root = root
        nodes[root] = Node(parent: nil, name: EventName([]))
    }

    /// How many directories it holds, the root's included.
    var count: Int { nodes.count }

    func contains(_ key: Key) -> Bool { nodes[key] != nil }

    /// The path of a directory relative to the root (empty for the root);
    /// nil for one the tree does not hold.
    func path(of key: Key) -> FilePath? {
        var names: [EventName] = []
        var current = key
        while current != root {
            guard let node = nodes[current], let parent = node.parent else { return nil }
            names.append(node.name)
            current = parent
        }
        return names.isEmpty ? FilePath() : FilePath(names: names.reversed())
    }

    /// Puts the directory `key` at `name` in `parent`: a new one, or one
    /// already held (renamed, or listed again) moved there with what is
    /// below it. Ignored when `parent` is not held or `key` is the root.
    mutating func place(_ key: Key, in parent: Key, name: EventName) {
        guard key != root, nodes[parent] != nil else { return }
        // A directory cannot go below itself: a stale entry would loop.
        var above: Key? = parent
        while let current = above {
            if current == key { return }
            above = nodes[current]?.parent
        }
        if let old = nodes[key] {
            if let oldParent = old.parent { nodes[oldParent]?.children.remove(key) }
            nodes[key]?.parent = parent
            nodes[key]?.name = name
        } else {
            nodes[key] = Node(parent: parent, name: name)
        }
        nodes[parent]?.children.insert(key)
    }

    /// Forgets the subdirectories of `parent` not named in `names`, and
    /// everything below them: what a listing of `parent` did not find there
    /// is not there (held from before: gone, or moved by events the listing
    /// supersedes). Without it, a directory moved out and back in came back
    /// with a subdirectory long deleted, whose path a later rename then
    /// named though nothing had reported it.
    mutating func keepOnly(children names: Set<EventName>, in parent: Key) {
        guard let children = nodes[parent]?.children else { return }
        for child in children where !(nodes[child].map { names.contains($0.name) } ?? false) {
            remove(child)
        }
    }

    /// Forgets the directory `key` and everything below it (deleted, or
    /// moved out of the tree). The root is never removed.
    mutating func remove(_ key: Key) {
        guard key != root, let node = nodes[key] else { return }
        if let parent = node.parent { nodes[parent]?.children.remove(key) }
        var pending = [key]
        while let next = pending.popLast() {
            guard let removed = nodes.removeValue(forKey: next) else { continue }
            pending.append(contentsOf: removed.children)
        }
    }
}
