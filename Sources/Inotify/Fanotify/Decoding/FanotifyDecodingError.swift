extension Fanotify {
    /// A buffer that does not hold whole, well-formed fanotify events.
    public struct DecodingError: Swift.Error, Sendable, Hashable, CustomStringConvertible {
        /// What is wrong with the event at ``offset`` (and its record at ``recordOffset``).
        public enum Reason: Swift.Error, Sendable, Hashable {
            /// Fewer than 24 bytes are left where an event's metadata should start.
            case truncatedMetadata(bytesLeft: Int)
            /// `vers` is not ``Fanotify/FANOTIFY_METADATA_VERSION``: the layout is unknown.
            case unsupportedVersion(UInt8)
            /// `metadata_len` is smaller than the metadata or larger than `event_len`.
            case badMetadataLength(metadataLength: UInt16, eventLength: UInt32)
            /// `event_len` is smaller than the metadata.
            case eventLengthTooSmall(eventLength: UInt32)
            /// `event_len` runs past the end of the buffer.
            case eventOverrunsBuffer(eventLength: UInt32, bytesLeft: Int)
            /// Fewer than 4 bytes are left in the event where an info record's header should start.
            case truncatedInfoHeader(bytesLeft: Int)
            /// An info record's `len` is smaller than a record of its type (0 included).
            case infoLengthTooSmall(type: UInt8, length: UInt16, minimum: Int)
            /// An info record's `len` runs past the end of its event.
            case infoOverrunsEvent(type: UInt8, length: UInt16, bytesLeft: Int)
            /// A file identifier record's `handle_bytes` runs past the end of the record.
            case handleOverrunsRecord(handleBytes: UInt32, bytesLeft: Int)
            /// A `*_DFID_NAME` record's name has no terminating NUL inside the record.
            case unterminatedName(type: UInt8)
        }

        /// Where the faulty event starts in the buffer.
        public let offset: Int
        /// Where the faulty info record starts in the buffer; nil for a fault of the metadata.
        public let recordOffset: Int?
        /// What is wrong there.
        public let reason: Reason

        /// The fault `reason` in the event at byte `offset`, in its record at `recordOffset`.
        public init(offset: Int, recordOffset: Int? = nil, reason: Reason) {
            self.offset = offset
            self.recordOffset = recordOffset
            self.reason = reason
        }

        /// One line naming the offsets and the fault: `fanotify event at byte 0,
        /// info record at byte 24: len 0, but a record of type 2 needs at least 20 bytes`.
        public var description: String {
            var place = "fanotify event at byte \(offset)"
            if let recordOffset { place += ", info record at byte \(recordOffset)" }
            switch reason {
            case .truncatedMetadata(let left):
                return "\(place) is cut short: \(left) bytes left, metadata needs \(Fanotify.FAN_EVENT_METADATA_LEN)"
            case .unsupportedVersion(let version):
                return "\(place) has metadata version \(version), not \(Fanotify.FANOTIFY_METADATA_VERSION)"
            case .badMetadataLength(let metadataLength, let eventLength):
                return "\(place) has metadata_len \(metadataLength), outside \(Fanotify.FAN_EVENT_METADATA_LEN)...event_len \(eventLength)"
            case .eventLengthTooSmall(let eventLength):
                return "\(place) has event_len \(eventLength), less than the metadata's \(Fanotify.FAN_EVENT_METADATA_LEN)"
            case .eventOverrunsBuffer(let eventLength, let left):
                return "\(place) has event_len \(eventLength) but only \(left) bytes are left"
            case .truncatedInfoHeader(let left):
                return "\(place): \(left) bytes left in the event, an info header needs 4"
            case .infoLengthTooSmall(let type, let length, let minimum):
                return "\(place): len \(length), but a record of type \(type) needs at least \(minimum) bytes"
            case .infoOverrunsEvent(let type, let length, let left):
                return "\(place): a record of type \(type) has len \(length) but only \(left) bytes are left in the event"
            case .handleOverrunsRecord(let handleBytes, let left):
                return "\(place): handle_bytes \(handleBytes) but only \(left) bytes follow in the record"
            case .unterminatedName(let type):
                return "\(place): the name of a record of type \(type) has no terminating NUL"
            }
        }
    }
}
