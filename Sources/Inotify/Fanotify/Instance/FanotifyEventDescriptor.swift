import SystemPackage

extension Fanotify {
    /// A descriptor the kernel opened for an event (the object's, or a
    /// pidfd), owned here and closed exactly once: by ``close()``, or when the
    /// last event holding it goes away, unless the caller ``take()``s it.
    ///
    /// Each read of a group opens one such descriptor per event that has one;
    /// left open they would use up the process's descriptor limit within
    /// seconds on a busy filesystem, so none is left to the caller to remember.
    public final class EventDescriptor: Sendable {
        /// The descriptor's number, as the event carried it.
        public let rawValue: Int32
        /// The descriptor while this object still owns it.
        private let owned: Lock<Int32?>

        init(_ fd: Int32) {
            rawValue = fd
            owned = Lock(fd)
        }

        deinit {
            // Nothing can use it any more: no caller is left to hear of a failure.
            if let fd = owned.withLock({ $0.take() }) { _ = Syscalls.close(fd) }
        }

        /// Hands the descriptor over: the caller owns it from now on and must
        /// close it. nil when it was taken or closed already.
        public func take() -> FileDescriptor? {
            owned.withLock { $0.take() }.map { FileDescriptor(rawValue: $0) }
        }

        /// Runs `body` with the descriptor, which stays owned here (do not
        /// close it) and cannot be closed while `body` runs; nil when it was
        /// taken or closed already.
        public func withDescriptor<R: Sendable>(_ body: (FileDescriptor) throws -> R) rethrows -> R? {
            try owned.withLock { fd -> R? in
                guard let fd else { return nil }
                return try body(FileDescriptor(rawValue: fd))
            }
        }

        /// Closes the descriptor now; nothing when it was taken or closed already.
        public func close() throws(Fanotify.Error) {
            guard let fd = owned.withLock({ $0.take() }) else { return }
            if case .failure(let errno) = Syscalls.close(fd) {
                throw Fanotify.Error(.close, errno: errno, value: "event fd \(fd)")
            }
        }

        /// Whether this object still owns an open descriptor.
        public var isOpen: Bool {
            owned.withLock { $0 != nil }
        }
    }
}
