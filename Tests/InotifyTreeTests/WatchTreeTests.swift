@testable import Inotify
@testable import InotifyTree
import SystemPackage
import InotifyTestSupport
import Testing
import InotifyTestLanes

@Suite("The watch table's child index", .inBlockingLane)
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

    /// Whether `wd` is `ancestor` or below it.
    func isWithin(_ wd: Int32, _ ancestor: Int32, _ tree: WatchTree) -> Bool {
        var current = wd
        while true {
            if current == ancestor { return true }
            guard let parent = tree.node(current)?.parent, parent != WatchTree.noParent else { return false }
            current = parent
        }
    }

    @Test("a cached path is never stale: through inserts, removals with and without children, moves and re-inserts")
    func cachedPathsStayTrue() {
        var generator = SplitMix64(seed: 7)
        var tree = WatchTree()
        tree.insertRoot(1, id: nil)
        var live: [Int32] = [1]
        var next: Int32 = 2
        /// The wds whose paths were asked for lately: what the cache may hold.
        var asked: [Int32] = []
        for _ in 0..<1_500 {
            for _ in 0..<3 {
                let wd = live[Int(generator.next() % UInt64(live.count))]
                _ = tree.cachedPath(of: wd)
                asked.append(wd)
            }
            if asked.count > 64 { asked.removeFirst(asked.count - 64) }
            let pick = live[Int(generator.next() % UInt64(live.count))]
            let grow = live.count < 300
            switch generator.next() % 10 {
            case 0...(grow ? 5 : 2):  // a new directory under any live one
                tree.insert(next, parent: pick, name: name("n\(next % 7)"), id: nil)
                live.append(next)
                next += 1
            case 6, 7:  // a removal: a leaf, or a directory that leaves orphans below it
                guard pick != 1 else { continue }
                tree.remove(pick)
                live.removeAll { $0 == pick }
            case 8:  // a rename somewhere outside its own subtree
                guard pick != 1 else { continue }
                let target = live[Int(generator.next() % UInt64(live.count))]
                guard !isWithin(target, pick, tree) else { continue }
                tree.move(pick, to: target, name: name("m\(generator.next() % 5)"))
            default:  // the same wd inserted again, elsewhere (the kernel gives an existing watch's wd back)
                guard pick != 1 else { continue }
                let target = live[Int(generator.next() % UInt64(live.count))]
                guard !isWithin(target, pick, tree) else { continue }
                tree.insert(pick, parent: target, name: name("r"), id: nil)
            }
            for wd in Set(asked + [pick]) {
                let cached = tree.cachedPath(of: wd)
                let computed = tree.path(of: wd)
                if cached != computed {
                    Issue.record("wd \(wd): cached \(String(describing: cached)), true \(String(describing: computed))")
                    return
                }
            }
        }
    }
}
