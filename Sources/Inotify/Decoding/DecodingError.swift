extension Inotify {
    /// A buffer that does not hold whole, well-formed inotify events.
    public struct DecodingError: Swift.Error, Sendable, Hashable, CustomStringConvertible {
        /// What is wrong with the event at ``offset``.
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
        /// What is wrong there.
        public let reason: Reason

        /// The fault `reason` in the event that starts at byte `offset`.
        public init(offset: Int, reason: Reason) {
            self.offset = offset
            self.reason = reason
        }

        /// One line naming the offset and the fault: `inotify event at byte 32
        /// has len 16 but only 8 bytes follow its header`.
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
