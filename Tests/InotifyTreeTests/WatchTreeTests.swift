@testable import Inotify
@testable import InotifyTree
import SystemPackage
import Testing

@Suite("The watch table's child index")
struct WatchTreeTests {
    func name(_ text: String) -> EventName { EventName(Array(text.utf8)) }

    @Test("children whose digests collide are still told apart, through renames and removals")
    func collidingNames() {
        var tree = WatchTree(childDigest: { _, _ in 42 })  // every child in the same bucket
        tree.insertRoot(1, id: nil)
        tree.insert(2, parent: 1, name: name("a"), id: nil)
        tree.insert(3, parent: 1, name: name("b"), id: nil)
        tree.insert(4, parent: 3, name: name("a"), id: nil)
        #expect(tree.child(of: 1, named: name("a")) == 2)
        #expect(tree.child(of: 1, named: name("b")) == 3)
        #expect(tree.child(of: 3, named: name("a")) == 4)
        #expect(tree.child(of: 1, named: name("c")) == nil)

        tree.move(3, to: 1, name: name("c"))
        #expect(tree.child(of: 1, named: name("b")) == nil)
        #expect(tree.child(of: 1, named: name("c")) == 3)
        #expect(tree.path(of: 4) == "c/a")

        tree.remove(2)
        #expect(tree.child(of: 1, named: name("a")) == nil)
        #expect(tree.child(of: 1, named: name("c")) == 3)
        tree.insert(5, parent: 1, name: name("a"), id: nil)
        #expect(tree.child(of: 1, named: name("a")) == 5)
        #expect(Set(tree.subtree(of: 3)) == [3, 4])
        #expect(tree.count == 4)
    }

    @Test("a removed directory's slot is used again: the table does not grow with churn")
    func slotsAreReused() {
        var tree = WatchTree()
        tree.insertRoot(1, id: nil)
        for wd in Int32(2)..<10_002 {
            tree.insert(wd, parent: 1, name: name("d"), id: nil)
            #expect(tree.child(of: 1, named: name("d")) == wd)
            tree.remove(wd)
        }
        #expect(tree.count == 1)
        #expect(tree.storageCapacityForTesting <= 2)
    }
}
