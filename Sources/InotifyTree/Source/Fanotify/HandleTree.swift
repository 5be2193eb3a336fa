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
///
/// A name holds one directory: one placed at a name held by another takes
/// its place, and the other is forgotten with all below it. The kernel says
/// nothing of a directory a rename replaces, and a listing finds a name
/// taken again before the events that freed it are read (events it then
/// supersedes); a directory left held there would have what is done in it
/// later reported at the path of the one that took its place.
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
        var children: [EventName: Key] = [:]
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

    /// The directory held at `name` in `parent`.
    func child(named name: EventName, in parent: Key) -> Key? { nodes[parent]?.children[name] }

    /// Whether `key` is `ancestor` or below it.
    func isWithin(_ key: Key, _ ancestor: Key) -> Bool {
        var current: Key? = key
        while let next = current {
            if next == ancestor { return true }
            current = nodes[next]?.parent
        }
        return false
    }

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
    /// below it; another held there is forgotten. Ignored when `parent` is
    /// not held or `key` is the root.
    mutating func place(_ key: Key, in parent: Key, name: EventName) {
        guard key != root, nodes[parent] != nil else { return }
        // A directory cannot go below itself: a stale entry would loop.
        var above: Key? = parent
        while let current = above {
            if current == key { return }
            above = nodes[current]?.parent
        }
        if let old = nodes[key] {
            if let oldParent = old.parent { forgetChild(key, named: old.name, in: oldParent) }
            nodes[key]?.parent = parent
            nodes[key]?.name = name
        } else {
            nodes[key] = Node(parent: parent, name: name)
        }
        if let replaced = nodes[parent]?.children.updateValue(key, forKey: name), replaced != key {
            // Its parent names `key` there now: nothing to unlink.
            nodes[replaced]?.parent = nil
            remove(replaced)
        }
    }

    private mutating func forgetChild(_ key: Key, named name: EventName, in parent: Key) {
        if nodes[parent]?.children[name] == key { nodes[parent]?.children[name] = nil }
    }

    /// Forgets the subdirectories of `parent` not named in `names`, and
    /// everything below them: what a listing of `parent` did not find there
    /// is not there (held from before: gone, or moved by events the listing
    /// supersedes). Without it, a directory moved out and back in came back
    /// with a subdirectory long deleted, whose path a later rename then
    /// named though nothing had reported it.
    mutating func keepOnly(children names: Set<EventName>, in parent: Key) {
        guard let children = nodes[parent]?.children else { return }
        for (name, child) in children where !names.contains(name) {
            remove(child)
        }
    }

    /// Forgets the directory held at `name` in `parent`, if any, and
    /// everything below it (a listing found nothing there to hold).
    mutating func removeChild(named name: EventName, in parent: Key) {
        if let held = child(named: name, in: parent) { remove(held) }
    }

    /// Forgets the directory `key` and everything below it (deleted, or
    /// moved out of the tree). The root is never removed.
    mutating func remove(_ key: Key) {
        guard key != root, let node = nodes[key] else { return }
        if let parent = node.parent { forgetChild(key, named: node.name, in: parent) }
        var pending = [key]
        while let next = pending.popLast() {
            guard let removed = nodes.removeValue(forKey: next) else { continue }
            pending.append(contentsOf: removed.children.values)
        }
    }
}
