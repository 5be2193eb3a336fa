@testable import InotifyTree
import InotifyTestSupport
import Testing
import InotifyTestLanes

@Suite("The watch table's probing table", .inBlockingLane)
struct ProbingTableTests {
    typealias Generator = SplitMix64

    /// Runs `steps` random inserts, updates and removals of keys drawn by
    /// `key`, checking every answer against a Dictionary, and the whole
    /// contents every 1,000 steps.
    func matchesDictionary(steps: Int, seed: UInt64, key: (inout Generator) -> UInt32) {
        var generator = Generator(seed: seed)
        var table = ProbingTable()
        var model: [UInt32: Int32] = [:]
        for step in 0..<steps {
            let k = key(&generator)
            let value = Int32.random(in: 0...Int32.max, using: &generator)
            if Int.random(in: 0..<3, using: &generator) == 0 {
                #expect(table.removeValue(forKey: k) == model.removeValue(forKey: k))
            } else {
                #expect(table.updateValue(value, forKey: k) == model.updateValue(value, forKey: k))
            }
            #expect(table[k] == model[k])
            if step % 1_000 == 999 {
                #expect(table.count == model.count)
                #expect(Set(table.keys) == Set(model.keys))
                #expect(model.allSatisfy { table[$0.key] == $0.value })
            }
        }
    }

    @Test("agrees with a Dictionary through random inserts, updates and removals of random keys")
    func randomKeys() {
        matchesDictionary(steps: 100_000, seed: 1) { UInt32.random(in: 0..<50_000, using: &$0) }
    }

    @Test("agrees with a Dictionary on keys in runs, as the kernel gives out wds, and in strides")
    func clusteredKeys() {
        var next: UInt32 = 1
        matchesDictionary(steps: 100_000, seed: 2) { generator in
            // Mostly the next wd, sometimes an old one again, sometimes a
            // multiple of 1,024: runs and strides, the shapes that cluster.
            switch Int.random(in: 0..<4, using: &generator) {
            case 0: return UInt32.random(in: 1...next, using: &generator)
            case 1: return UInt32.random(in: 0..<64, using: &generator) * 1_024
            default: next += 1; return next
            }
        }
    }

    @Test("keys at the ends of the range, and a table emptied and filled again")
    func extremesAndRefill() {
        var table = ProbingTable()
        for round in 0..<3 {
            for key in [UInt32.max, 0, 1, UInt32.max - 1] { #expect(table.updateValue(Int32(round), forKey: key) == nil) }
            #expect(table[UInt32.max] == Int32(round))
            #expect(table.count == 4)
            for key in [0, UInt32.max, 1, UInt32.max - 1] { #expect(table.removeValue(forKey: key) == Int32(round)) }
            #expect(table.count == 0)
            #expect(table[0] == nil)
        }
    }
}
