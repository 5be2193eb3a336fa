// The memory a read lands in. An instance keeps one and reuses it, so the
// steady state of a read loop allocates nothing for the kernel's bytes; it
// grows to the largest read asked for and keeps that size.

final class ReadBuffer {
    private(set) var storage: UnsafeMutableRawBufferPointer

    init(capacity: Int = 0) {
        storage = Self.allocate(max(capacity, Inotify.maxEventSize))
    }

    deinit { storage.deallocate() }

    /// The first `count` bytes, grown to hold them if needed.
    func prefix(_ count: Int) -> UnsafeMutableRawBufferPointer {
        if count > storage.count {
            storage.deallocate()
            storage = Self.allocate(count)
        }
        return UnsafeMutableRawBufferPointer(rebasing: storage[0..<count])
    }

    private static func allocate(_ count: Int) -> UnsafeMutableRawBufferPointer {
        // struct inotify_event is 4-byte aligned; the decoder reads unaligned
        // anyway, so this only keeps the kernel's copy on its fast path.
        .allocate(byteCount: count, alignment: MemoryLayout<Int32>.alignment)
    }
}
