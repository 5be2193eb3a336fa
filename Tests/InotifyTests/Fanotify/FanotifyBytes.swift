/// Builds the bytes of fanotify events by hand, as the kernel lays them out:
/// `struct fanotify_event_metadata`, then info records, little-endian.
struct FanotifyBytes {
    var bytes: [UInt8] = []

    /// One event: its metadata, then `records` (each made by a `record`
    /// function). `eventLength`, `version` and `metadataLength` override
    /// the fields only.
    mutating func append(
        mask: UInt64, fd: Int32 = -1, pid: Int32 = 42, records: [[UInt8]] = [], eventLength: UInt32? = nil,
        version: UInt8 = 3, metadataLength: UInt16 = 24
    ) {
        let body = records.flatMap { $0 }
        bytes += Self.le(eventLength ?? UInt32(24 + body.count))
        bytes += [version, 0]
        bytes += Self.le(metadataLength)
        bytes += Self.le(mask)
        bytes += Self.le(fd)
        bytes += Self.le(pid)
        bytes += body
    }

    /// A file identifier record, padded to 4 bytes as the kernel pads it.
    /// `name` nil writes none; `terminated: false` leaves the NUL out (and
    /// the padding). `length` and `handleBytes` override the fields only.
    static func fileID(
        type: UInt8, fsid: (Int32, Int32) = (7, 9), handleType: Int32 = 1, handle: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8],
        name: [UInt8]? = nil, terminated: Bool = true, length: UInt16? = nil, handleBytes: UInt32? = nil
    ) -> [UInt8] {
        var tail = handle
        if let name {
            tail += name
            if terminated { tail += [0] }
        }
        if terminated { while (20 + tail.count) % 4 != 0 { tail.append(0) } }
        var record = [type, 0] + le(length ?? UInt16(20 + tail.count))
        record += le(fsid.0) + le(fsid.1) + le(handleBytes ?? UInt32(handle.count)) + le(handleType)
        return record + tail
    }

    /// A pidfd record.
    static func pidfd(_ fd: Int32) -> [UInt8] {
        [4, 0] + le(UInt16(8)) + le(fd)
    }

    /// An error record.
    static func error(_ errno: Int32, count: UInt32) -> [UInt8] {
        [5, 0] + le(UInt16(12)) + le(errno) + le(count)
    }

    /// A record of any type with any body; `length` overrides its len.
    static func raw(type: UInt8, body: [UInt8], length: UInt16? = nil) -> [UInt8] {
        [type, 0] + le(length ?? UInt16(4 + body.count)) + body
    }

    static func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }
}
