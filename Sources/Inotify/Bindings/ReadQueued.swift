// The reads of the library, shared by the descriptor-level readEvents and
// an instance's EventReader: ask how much is queued (FIONREAD, as py-inotify
// does), read it all in one call, and report EAGAIN as "nothing".

extension Inotify {
    /// What to do when nothing is queued.
    enum WhenEmpty {
        /// Read anyway: a blocking descriptor waits in read(2) for the first
        /// events, a non-blocking one answers EAGAIN.
        case readAnyway
        /// Do not read; the caller waits in poll(2) instead.
        case returnNothing
    }

    /// The size of a read when the queue looks empty: room for many events.
    static let defaultReadSize = 64 * 1024

    /// Reads queued events into `buffer`; returns how many bytes arrived,
    /// 0 when there were none.
    static func readQueued(
        _ fd: CInt, maxBytes: Int, into buffer: ReadBuffer, whenEmpty: WhenEmpty
    ) throws(Error) -> Int {
        let queued: Int
        switch Syscalls.bytesQueued(fd) {
        case .success(let count): queued = count
        case .failure(let errno): throw Error(.read, errno: errno, value: "FIONREAD")
        }
        if queued == 0 && whenEmpty == .returnNothing { return 0 }
        let size = maxBytes > 0 ? maxBytes : (queued > 0 ? queued : defaultReadSize)
        switch Syscalls.read(fd, buffer.prefix(size)) {
        case .success(let count):
            return count
        case .failure(.resourceTemporarilyUnavailable):
            return 0
        case .failure(let errno):
            throw Error(.read, errno: errno, value: "maxBytes \(maxBytes)")
        }
    }

    /// Decodes the first `count` bytes of `buffer`, as read by the instance
    /// `instance` (0: none).
    static func decode(_ buffer: ReadBuffer, count: Int, instance: UInt64 = 0) throws(DecodingError) -> [Event] {
        try decodeEvents(UnsafeRawBufferPointer(buffer.prefix(count)), instance: instance)
    }
}
