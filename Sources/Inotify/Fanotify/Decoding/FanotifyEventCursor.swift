// Bytes to events: a pure function of a buffer, apart from all I/O. It never
// trusts a length: the metadata's event_len and metadata_len, each record's
// len, a handle's handle_bytes and a name's NUL are all checked against what
// holds them before anything is read, so a short or malformed buffer is a
// DecodingError naming the fault, never a crash or a read past the end.

extension Fanotify {
    /// Walks the events of a buffer one by one, allocating nothing.
    ///
    /// ```swift
    /// var cursor = Fanotify.EventCursor(buffer)
    /// while let event = try cursor.next() { ... }
    /// ```
    public struct EventCursor {
        /// The bytes walked, as the kernel wrote them: whole events, one after another.
        public let buffer: UnsafeRawBufferPointer
        /// Where the next event starts.
        public private(set) var offset = 0

        /// A cursor at the start of `buffer`, which must stay valid while the
        /// cursor and the events it returns are used.
        public init(_ buffer: UnsafeRawBufferPointer) {
            self.buffer = buffer
        }

        /// The next event, with every info record checked, or nil at the end
        /// of the buffer. After an error the cursor stays where it was.
        public mutating func next() throws(DecodingError) -> RawEvent? {
            let left = buffer.count - offset
            if left == 0 { return nil }
            let metadataSize = Fanotify.FAN_EVENT_METADATA_LEN
            guard left >= metadataSize else {
                throw DecodingError(offset: offset, reason: .truncatedMetadata(bytesLeft: left))
            }
            let eventLength = buffer.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
            let version = buffer[offset + 4]
            let metadataLength = buffer.loadUnaligned(fromByteOffset: offset + 6, as: UInt16.self)
            guard version == Fanotify.FANOTIFY_METADATA_VERSION else {
                throw DecodingError(offset: offset, reason: .unsupportedVersion(version))
            }
            guard eventLength >= UInt32(metadataSize) else {
                throw DecodingError(offset: offset, reason: .eventLengthTooSmall(eventLength: eventLength))
            }
            guard UInt64(eventLength) <= UInt64(left) else {
                throw DecodingError(offset: offset, reason: .eventOverrunsBuffer(eventLength: eventLength, bytesLeft: left))
            }
            guard Int(metadataLength) >= metadataSize, UInt32(metadataLength) <= eventLength else {
                throw DecodingError(
                    offset: offset, reason: .badMetadataLength(metadataLength: metadataLength, eventLength: eventLength))
            }
            let infoStart = offset + Int(metadataLength)
            let info = UnsafeRawBufferPointer(rebasing: buffer[infoStart..<(offset + Int(eventLength))])
            var at = 0
            while at < info.count {
                do throws(DecodingError.Reason) {
                    at += try Fanotify.parseRecord(info, at: at).length
                } catch {
                    throw DecodingError(offset: offset, recordOffset: infoStart + at, reason: error)
                }
            }
            let event = RawEvent(
                eventLength: eventLength, version: version, metadataLength: metadataLength,
                mask: EventMask(rawValue: buffer.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self)),
                fd: buffer.loadUnaligned(fromByteOffset: offset + 16, as: Int32.self),
                pid: buffer.loadUnaligned(fromByteOffset: offset + 20, as: Int32.self),
                infoBytes: info)
            offset += Int(eventLength)
            return event
        }
    }

    /// The smallest record of each type: the header, then its fixed fields.
    static func minimumRecordLength(_ type: UInt8) -> Int {
        switch type {
        case FAN_EVENT_INFO_TYPE_FID, FAN_EVENT_INFO_TYPE_DFID, FAN_EVENT_INFO_TYPE_DFID_NAME,
            FAN_EVENT_INFO_TYPE_OLD_DFID_NAME, FAN_EVENT_INFO_TYPE_NEW_DFID_NAME:
            // header, fsid (two ints), handle_bytes, handle_type
            20
        case FAN_EVENT_INFO_TYPE_PIDFD: 8
        case FAN_EVENT_INFO_TYPE_ERROR: 12
        default: 4
        }
    }

    /// The record at `start` of an event's records, and its length; a fault
    /// of the record otherwise.
    static func parseRecord(
        _ info: UnsafeRawBufferPointer, at start: Int
    ) throws(DecodingError.Reason) -> (record: RawInfoRecord, length: Int) {
        let left = info.count - start
        guard left >= 4 else { throw .truncatedInfoHeader(bytesLeft: left) }
        let type = info[start]
        let length = info.loadUnaligned(fromByteOffset: start + 2, as: UInt16.self)
        let minimum = minimumRecordLength(type)
        guard Int(length) >= minimum else { throw .infoLengthTooSmall(type: type, length: length, minimum: minimum) }
        guard Int(length) <= left else { throw .infoOverrunsEvent(type: type, length: length, bytesLeft: left) }
        let record = UnsafeRawBufferPointer(rebasing: info[start..<(start + Int(length))])
        switch type {
        case FAN_EVENT_INFO_TYPE_FID, FAN_EVENT_INFO_TYPE_DFID, FAN_EVENT_INFO_TYPE_DFID_NAME,
            FAN_EVENT_INFO_TYPE_OLD_DFID_NAME, FAN_EVENT_INFO_TYPE_NEW_DFID_NAME:
            let handleBytes = record.loadUnaligned(fromByteOffset: 12, as: UInt32.self)
            let afterFields = record.count - 20
            guard UInt64(handleBytes) <= UInt64(afterFields) else {
                throw .handleOverrunsRecord(handleBytes: handleBytes, bytesLeft: afterFields)
            }
            let handleEnd = 20 + Int(handleBytes)
            var name: UnsafeRawBufferPointer?
            if type != FAN_EVENT_INFO_TYPE_FID && type != FAN_EVENT_INFO_TYPE_DFID {
                let rest = UnsafeRawBufferPointer(rebasing: record[handleEnd...])
                guard let nul = rest.firstIndex(of: 0) else { throw .unterminatedName(type: type) }
                name = UnsafeRawBufferPointer(rebasing: rest[..<nul])
            }
            let id = RawFileID(
                type: type,
                fsid: FilesystemID(
                    first: record.loadUnaligned(fromByteOffset: 4, as: Int32.self),
                    second: record.loadUnaligned(fromByteOffset: 8, as: Int32.self)),
                handleType: record.loadUnaligned(fromByteOffset: 16, as: Int32.self),
                handle: UnsafeRawBufferPointer(rebasing: record[20..<handleEnd]), name: name)
            return (.fileID(id), Int(length))
        case FAN_EVENT_INFO_TYPE_PIDFD:
            return (.processDescriptor(record.loadUnaligned(fromByteOffset: 4, as: Int32.self)), Int(length))
        case FAN_EVENT_INFO_TYPE_ERROR:
            return (
                .error(
                    errno: record.loadUnaligned(fromByteOffset: 4, as: Int32.self),
                    count: record.loadUnaligned(fromByteOffset: 8, as: UInt32.self)),
                Int(length)
            )
        default:
            return (.other(type: type, bytes: UnsafeRawBufferPointer(rebasing: record[4...])), Int(length))
        }
    }

    /// Calls `body` with every event of `buffer`, in order, without copying.
    /// Throws ``DecodingError`` for a malformed buffer, after `body` has seen
    /// every event before the fault, or what `body` throws. No descriptor is
    /// owned: closing an event's ``RawEvent/fd`` is the caller's business.
    public static func forEachEvent(in buffer: UnsafeRawBufferPointer, _ body: (RawEvent) throws -> Void) throws {
        var cursor = EventCursor(buffer)
        while let event = try cursor.next() {
            try body(event)
        }
    }

    /// Decodes every event of `buffer`, in order, owning no descriptor.
    public static func decodeEvents(_ buffer: UnsafeRawBufferPointer) throws(DecodingError) -> [Event] {
        var events: [Event] = []
        var cursor = EventCursor(buffer)
        while let event = try cursor.next() {
            events.append(event.makeEvent())
        }
        return events
    }

    /// Decodes every event of `bytes`, in order, owning no descriptor.
    public static func decodeEvents(_ bytes: [UInt8]) throws(DecodingError) -> [Event] {
        // Array.withUnsafeBytes rethrows untyped errors; carry the typed one out.
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(DecodingError) in try decodeEvents(buffer) }
        }
        return try result.get()
    }
}
