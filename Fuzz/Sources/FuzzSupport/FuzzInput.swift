/// A fuzzer's input read as fields: fixed-size numbers, byte strings led by
/// their length, and the rest. A mutation of one byte then changes one field,
/// and an input that runs out reads as zeros and empty strings, never fails.
public struct FuzzInput {
    private var bytes: ArraySlice<UInt8>

    /// The bytes libFuzzer hands over, copied.
    public init(_ data: UnsafeRawBufferPointer) {
        bytes = ArraySlice(data)
    }

    /// Whether every byte has been read.
    public var isEmpty: Bool { bytes.isEmpty }

    /// The next byte; 0 once the input has run out.
    public mutating func byte() -> UInt8 {
        bytes.popFirst() ?? 0
    }

    /// The next four bytes, little-endian; missing ones read as 0.
    public mutating func uint32() -> UInt32 {
        var value: UInt32 = 0
        for shift in stride(from: 0, to: 32, by: 8) { value |= UInt32(byte()) << UInt32(shift) }
        return value
    }

    /// A byte string: a length byte, then up to that many bytes.
    public mutating func chunk() -> [UInt8] {
        let count = min(Int(byte()), bytes.count)
        defer { bytes.removeFirst(count) }
        return Array(bytes.prefix(count))
    }

    /// Every byte not yet read.
    public mutating func rest() -> [UInt8] {
        defer { bytes = [] }
        return Array(bytes)
    }
}
