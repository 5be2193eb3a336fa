extension Inotify {
    /// A buffer that does not hold whole, well-formed inotify events.
    public struct DecodingError: Swift.Error, Sendable, Hashable, CustomStringConvertible {
        public enum Reason: Sendable, Hashable {
            /// Fewer than 16 bytes are left where an event header should start.
            case truncatedHeader(bytesLeft: Int)
            /// The header's `len` runs past the end of the buffer.
            case nameOverrunsBuffer(len: UInt32, bytesLeft: Int)
            /// The header's `len` is not zero but the name has no terminating NUL.
            case unterminatedName(len: UInt32)
        }

        /// Where the faulty event starts in the buffer.
        public let offset: Int
        public let reason: Reason

        public init(offset: Int, reason: Reason) {
            self.offset = offset
            self.reason = reason
        }

        public var description: String {
            switch reason {
            case .truncatedHeader(let left):
                "inotify event at byte \(offset) is cut short: \(left) bytes left, a header needs \(Inotify.eventHeaderSize)"
            case .nameOverrunsBuffer(let len, let left):
                "inotify event at byte \(offset) has len \(len) but only \(left) bytes follow its header"
            case .unterminatedName(let len):
                "inotify event at byte \(offset) has a name of len \(len) with no terminating NUL"
            }
        }
    }
}
