import Inotify
@testable import InotifyTree
import Testing
import InotifyTestLanes

/// The fanotify source's tree of directories by handle, alone.
@Suite(.inBlockingLane)
struct HandleTreeTests {
    static func key(_ number: UInt8) -> HandleTree.Key {
        HandleTree.Key(Fanotify.FileID(
            type: 1, fsid: Fanotify.FilesystemID(first: 1, second: 2), handle: Fanotify.FileHandle(type: 1, bytes: [number])))
    }

    static func name(_ text: String) -> EventName { EventName(Array(text.utf8)) }

    @Test("a listing keeps only the subdirectories it found: one held from before comes back with its directory no more")
    func listingDropsWhatItDidNotFind() {
        var tree = HandleTree(root: Self.key(0))
        let moved = Self.key(1), stale = Self.key(2), staleChild = Self.key(3), found = Self.key(4)
        tree.place(moved, in: tree.root, name: Self.name("d1"))
        tree.place(stale, in: moved, name: Self.name("d0"))
        tree.place(staleChild, in: stale, name: Self.name("inner"))
        tree.place(found, in: moved, name: Self.name("d4"))
        // The listing of d1 found d4 and d3 (not yet placed), not d0.
        tree.keepOnly(children: [Self.name("d4"), Self.name("d3")], in: moved)
        #expect(tree.path(of: stale) == nil)
        #expect(tree.path(of: staleChild) == nil)
        #expect(!tree.contains(staleChild))
        #expect(tree.path(of: found) == "d1/d4")
        #expect(tree.count == 3, "root, d1, d1/d4")
    }

    @Test("a directory placed at a name another holds takes its place: the other is forgotten with all below it")
    func aNameHoldsOneDirectory() {
        var tree = HandleTree(root: Self.key(0))
        let first = Self.key(1), inside = Self.key(2), second = Self.key(3), movedAway = Self.key(4)
        tree.place(first, in: tree.root, name: Self.name("d"))
        tree.place(inside, in: first, name: Self.name("e"))
        tree.place(movedAway, in: first, name: Self.name("kept"))
        // movedAway left first before second took first's name.
        tree.place(movedAway, in: tree.root, name: Self.name("k"))
        tree.place(second, in: tree.root, name: Self.name("d"))
        #expect(tree.child(named: Self.name("d"), in: tree.root) == second)
        #expect(!tree.contains(first))
        #expect(!tree.contains(inside))
        #expect(tree.path(of: second) == "d")
        #expect(tree.path(of: movedAway) == "k")
        #expect(tree.count == 3, "root, d, k")
        // Moved back where it was, it keeps its place and replaces nothing.
        tree.place(second, in: tree.root, name: Self.name("d"))
        #expect(tree.count == 3)
    }
}
