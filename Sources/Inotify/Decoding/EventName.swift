import SystemPackage

// An event's name bytes, stored without a heap allocation when they are short.
//
// Most file names are short, and an [UInt8] per event was the largest cost of
// decoding after the kernel's own (one malloc and free per event). Names of up
// to 24 bytes live inline in three words; longer ones in an array. Either way
// the bytes are exactly the kernel's.

@usableFromInline
package struct EventName: Sendable {
    @usableFromInline
    enum Storage: Sendable {
        case inline(count: UInt8, words: (UInt64, UInt64, UInt64))
        case heap([UInt8])
    }

    private static let inlineCapacity = 24
    @usableFromInline var storage: Storage

    package init(_ bytes: UnsafeRawBufferPointer) {
        if bytes.count <= Self.inlineCapacity {
            var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
            withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: bytes) }
            storage = .inline(count: UInt8(bytes.count), words: words)
        } else {
            storage = .heap(Array(bytes))
        }
    }

    package init(_ bytes: [UInt8]) {
        self = bytes.withUnsafeBytes { EventName($0) }
    }

    @inlinable
    package var count: Int {
        switch storage {
        case .inline(let count, _): Int(count)
        case .heap(let bytes): bytes.count
        }
    }

    @inlinable
    package func withBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        switch storage {
        case .inline(let count, var words):
            return try withUnsafeBytes(of: &words) { (raw) throws(E) -> R in
                try body(UnsafeRawBufferPointer(rebasing: raw[0..<Int(count)]))
            }
        case .heap(let bytes):
            // Array.withUnsafeBytes rethrows untyped errors; carry the typed one out.
            let result = bytes.withUnsafeBytes { raw in Result { () throws(E) -> R in try body(raw) } }
            return try result.get()
        }
    }

    package var bytes: [UInt8] { withBytes { Array($0) } }
}

extension FilePath.Component {
    /// The component whose bytes are `name`'s, exactly; nil when they are
    /// not one component: empty, or holding a `/`. The kernel never sends
    /// such a name, but an event can be made or decoded from any bytes.
    package init?(name: EventName) {
        let component: FilePath.Component? = name.withBytes { bytes in
            guard !bytes.isEmpty, !bytes.contains(UInt8(ascii: "/")) else { return nil }
            let terminated = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count + 1, alignment: 1)
            defer { terminated.deallocate() }
            terminated.copyMemory(from: bytes)
            terminated[bytes.count] = 0
            return FilePath.Component(platformString: terminated.baseAddress!.assumingMemoryBound(to: CChar.self))
        }
        guard let component else { return nil }
        self = component
    }
}

extension EventName: Hashable {
    @usableFromInline
    package static func == (lhs: EventName, rhs: EventName) -> Bool {
        lhs.withBytes { left in rhs.withBytes { right in left.elementsEqual(right) } }
    }

    @usableFromInline
    package func hash(into hasher: inout Hasher) {
        withBytes { hasher.combine(bytes: $0) }
    }
}
