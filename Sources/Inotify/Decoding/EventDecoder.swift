// Bytes to events: a pure function of a buffer, apart from all I/O. It never
// trusts the kernel's `len`: every field is read with bounds checked, so a
// short or malformed buffer is an error, never a crash or a read past the end.

extension Inotify {
    /// One event inside a buffer, without copying it. `name` points into the
    /// buffer and is valid only while the buffer is: use it inside the closure
    /// or loop that produced it, and call ``makeEvent()`` to keep the event.
    public struct RawEvent {
        /// The kernel's watch number; -1 for `IN_Q_OVERFLOW`.
        public let wd: Int32
        /// What happened, and flags such as `isDir`.
        public let mask: EventMask
        /// Pairs an `IN_MOVED_FROM` with its `IN_MOVED_TO`; 0 otherwise.
        public let cookie: UInt32
        /// The kernel's `len`: the name's size including its NUL padding.
        public let len: UInt32
        /// The name's bytes without the NUL padding; empty when there is none.
        public let name: UnsafeRawBufferPointer

        /// An owning copy. Its ``Event/wd`` belongs to no instance.
        public func makeEvent() -> Event {
            makeEvent(instance: 0)
        }

        /// An owning copy whose `wd` belongs to the instance `instance` (0: none).
        func makeEvent(instance: UInt64) -> Event {
            Event(
                wd: WatchDescriptor(rawValue: wd, instance: instance), mask: mask, cookie: cookie, len: len,
                name: EventName(name))
        }
    }

    /// Walks the events of a buffer one by one, allocating nothing.
    ///
    /// ```swift
    /// var cursor = Inotify.EventCursor(buffer)
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

        /// The next event, or nil at the end of the buffer.
        public mutating func next() throws(DecodingError) -> RawEvent? {
            let left = buffer.count - offset
            if left == 0 { return nil }
            guard left >= Inotify.eventHeaderSize else {
                throw DecodingError(offset: offset, reason: .truncatedHeader(bytesLeft: left))
            }
            let wd = buffer.loadUnaligned(fromByteOffset: offset, as: Int32.self)
            let mask = buffer.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
            let cookie = buffer.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self)
            let len = buffer.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self)
            let nameStart = offset + Inotify.eventHeaderSize
            let afterHeader = buffer.count - nameStart
            guard UInt64(len) <= UInt64(afterHeader) else {
                throw DecodingError(offset: offset, reason: .nameOverrunsBuffer(len: len, bytesLeft: afterHeader))
            }
            let padded = UnsafeRawBufferPointer(rebasing: buffer[nameStart..<(nameStart + Int(len))])
            var nameLength = 0
            if len > 0 {
                guard let end = padded.firstIndex(of: 0) else {
                    throw DecodingError(offset: offset, reason: .unterminatedName(len: len))
                }
                nameLength = end
            }
            let event = RawEvent(
                wd: wd, mask: EventMask(rawValue: mask), cookie: cookie, len: len,
                name: UnsafeRawBufferPointer(rebasing: padded[0..<nameLength]))
            offset = nameStart + Int(len)
            return event
        }
    }

    /// Calls `body` with every event of `buffer`, in order, without copying.
    /// Throws ``DecodingError`` for a malformed buffer, after `body` has seen
    /// every event before the fault, or what `body` throws.
    public static func forEachEvent(
        in buffer: UnsafeRawBufferPointer, _ body: (RawEvent) throws -> Void
    ) throws {
        var cursor = EventCursor(buffer)
        while let event = try cursor.next() {
            try body(event)
        }
    }

    /// Decodes every event of `buffer`, in order. Their ``Event/wd`` belongs
    /// to no instance.
    public static func decodeEvents(_ buffer: UnsafeRawBufferPointer) throws(DecodingError) -> [Event] {
        try decodeEvents(buffer, instance: 0)
    }

    /// Decodes every event of `buffer`, in order, as read by the instance
    /// `instance` (0: none).
    static func decodeEvents(_ buffer: UnsafeRawBufferPointer, instance: UInt64) throws(DecodingError) -> [Event] {
        var events: [Event] = []
        // Most events carry a short name: 32 bytes each is a fair first guess.
        events.reserveCapacity(buffer.count / 32)
        var cursor = EventCursor(buffer)
        while let event = try cursor.next() {
            events.append(event.makeEvent(instance: instance))
        }
        return events
    }

    /// Decodes every event of `bytes`, in order. Their ``Event/wd`` belongs
    /// to no instance.
    public static func decodeEvents(_ bytes: [UInt8]) throws(DecodingError) -> [Event] {
        // Array.withUnsafeBytes rethrows untyped errors; carry the typed one out.
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(DecodingError) in try decodeEvents(buffer) }
        }
        return try result.get()
    }
}
