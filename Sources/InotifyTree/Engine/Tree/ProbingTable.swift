/// A map from 32-bit keys to non-negative 32-bit values, each pair packed in
/// one 64-bit bucket: open addressing, linear probing, deletion by backward
/// shift (no tombstones, so churn cannot fill it with dead buckets).
///
/// Why not `Dictionary`: the watch table looks up and inserts twice for
/// every directory of a scan, and there the cost is cache misses, not
/// instructions. Here a probe is one load from one array, and a key's home
/// keeps runs of 8 consecutive keys in one cache line, because the kernel
/// gives out wds in increasing order: a scan's inserts go to a handful of
/// lines. The blocks of 8 are scattered by Fibonacci hashing, so keys in
/// arithmetic progression (which churn could leave) do not pile up.
struct ProbingTable {
    private var buckets: [UInt64]
    private(set) var count = 0
    /// 64 less the log2 of the number of blocks of 8 buckets.
    private var blockShift: UInt64

    private static let empty = UInt64.max
    private static let initialBuckets = 16

    init() {
        buckets = Array(repeating: Self.empty, count: Self.initialBuckets)
        blockShift = UInt64(64 - (Self.initialBuckets / 8).trailingZeroBitCount)
    }

    subscript(key: UInt32) -> Int32? {
        var index = home(of: key)
        while buckets[index] != Self.empty {
            if Self.key(buckets[index]) == key { return Self.value(buckets[index]) }
            index = next(index)
        }
        return nil
    }

    /// Sets `value` for `key`; the value it replaces, if any.
    @discardableResult
    mutating func updateValue(_ value: Int32, forKey key: UInt32) -> Int32? {
        precondition(value >= 0, "ProbingTable holds non-negative values only")
        var index = home(of: key)
        while buckets[index] != Self.empty {
            if Self.key(buckets[index]) == key {
                let old = Self.value(buckets[index])
                buckets[index] = Self.pack(key, value)
                return old
            }
            index = next(index)
        }
        // At most three quarters full, so every probe ends on an empty bucket.
        if (count + 1) * 4 > buckets.count * 3 {
            grow()
            return updateValue(value, forKey: key)
        }
        buckets[index] = Self.pack(key, value)
        count += 1
        return nil
    }

    @discardableResult
    mutating func removeValue(forKey key: UInt32) -> Int32? {
        var index = home(of: key)
        while buckets[index] != Self.empty {
            if Self.key(buckets[index]) == key {
                let old = Self.value(buckets[index])
                close(index)
                count -= 1
                return old
            }
            index = next(index)
        }
        return nil
    }

    /// Every key, in no particular order.
    var keys: [UInt32] {
        buckets.compactMap { $0 == Self.empty ? nil : Self.key($0) }
    }

    private static func pack(_ key: UInt32, _ value: Int32) -> UInt64 {
        UInt64(key) << 32 | UInt64(UInt32(bitPattern: value))
    }

    private static func key(_ bucket: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: bucket >> 32) }
    private static func value(_ bucket: UInt64) -> Int32 { Int32(truncatingIfNeeded: bucket) }

    private func home(of key: UInt32) -> Int {
        let block = (UInt64(key >> 3) &* 0x9E37_79B9_7F4A_7C15) >> blockShift
        return Int(truncatingIfNeeded: block << 3) | Int(key & 7)
    }

    private func next(_ index: Int) -> Int {
        (index + 1) & (buckets.count - 1)
    }

    /// Empties `hole`, then moves back each later key of the run that would
    /// no longer be found past the gap.
    private mutating func close(_ hole: Int) {
        var hole = hole
        var index = next(hole)
        while buckets[index] != Self.empty {
            // It stays when its home lies in (hole, index], cyclically.
            let home = home(of: Self.key(buckets[index]))
            let stays = hole <= index ? (hole < home && home <= index) : (hole < home || home <= index)
            if !stays {
                buckets[hole] = buckets[index]
                hole = index
            }
            index = next(index)
        }
        buckets[hole] = Self.empty
    }

    private mutating func grow() {
        let old = buckets
        buckets = Array(repeating: Self.empty, count: old.count * 2)
        blockShift -= 1
        count = 0
        for bucket in old where bucket != Self.empty {
            updateValue(Self.value(bucket), forKey: Self.key(bucket))
        }
    }
}
