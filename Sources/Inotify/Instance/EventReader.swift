import Glibc

/// An instance's one read routine, for plain reads and streams alike: the
/// read buffer, a read of what is queued, the wait for the first event, and
/// the decoding, whose events carry the instance.
///
/// The buffer is reused (it grows to the largest read and keeps that size),
/// so the steady state of a read loop allocates nothing for the kernel's
/// bytes; it is held for the whole of a read, so concurrent reads take
/// turns instead of racing for the same bytes.
final class EventReader: Sendable {
    /// How much one read takes.
    enum Amount {
        /// Everything queued (FIONREAD first, as py-inotify does), or at most
        /// `maxBytes` when that is not 0.
        case queued(maxBytes: Int)
        /// At most `chunkSize` bytes, without FIONREAD: the kernel answers it
        /// by walking its whole event list under a lock, which costs more than
        /// the read itself when the queue is deep; and 64 KiB of bytes and the
        /// events decoded from them stay in the cache.
        case chunk
    }

    /// The size of a stream's reads.
    static let chunkSize = 64 * 1024

    private let owner: DescriptorOwner
    /// The identity the events read here carry.
    private let instance: UInt64
    private let buffer = Lock(ReadBuffer())

    init(owner: DescriptorOwner, instance: UInt64) {
        self.owner = owner
        self.instance = instance
    }

    /// Reads `amount`, waiting as `wait` says for the first event; nil when
    /// none came. Throws ``Inotify/Error`` (also when the instance is closed,
    /// before or during the wait) or ``Inotify/DecodingError``.
    func read(_ amount: Amount, wait: Inotify.Wait) throws -> EventBatch? {
        try buffer.withLock { (buffer) throws -> EventBatch? in
            let count = try owner.use(.read) { (fd) throws(Inotify.Error) -> Int in
                while true {
                    let count = try EventReader.readOnce(fd, amount, into: buffer)
                    if count > 0 { return count }
                    if case .no = wait { return 0 }
                    if try owner.wait(events: true, nudges: false, for: wait) == .timedOut { return 0 }
                }
            }
            guard count > 0 else { return nil }
            return EventBatch(events: try Inotify.decode(buffer, count: count, instance: instance), byteCount: count)
        }
    }

    /// One read(2) of what is queued now; 0 when nothing is.
    private static func readOnce(_ fd: CInt, _ amount: Amount, into buffer: ReadBuffer) throws(Inotify.Error) -> Int {
        switch amount {
        case .queued(let maxBytes):
            return try Inotify.readQueued(fd, maxBytes: maxBytes, into: buffer, whenEmpty: .returnNothing)
        case .chunk:
            // A look first, so that a blocking descriptor never blocks this
            // thread in read(2), where close() could not wake it.
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            switch withUnsafeMutablePointer(to: &descriptor, { Syscalls.poll(.init(start: $0, count: 1), timeoutMilliseconds: 0) }) {
            case .success(let ready) where ready > 0: break
            case .success: return 0
            case .failure(let errno): throw Inotify.Error(.read, errno: errno, value: "poll")
            }
            switch Syscalls.read(fd, buffer.prefix(chunkSize)) {
            case .success(let count): return count
            case .failure(.resourceTemporarilyUnavailable): return 0
            case .failure(let errno): throw Inotify.Error(.read, errno: errno, value: "fd \(fd)")
            }
        }
    }
}
