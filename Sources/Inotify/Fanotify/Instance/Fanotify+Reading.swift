import Glibc

// read(2) of a group: wait (poll, beside the owner's wake-up line, so close()
// ends it), read at most the buffer's size, decode, and hand each descriptor
// the kernel opened to the event that owns it.

extension Fanotify {
    /// The size of a read unless another is asked for: room for hundreds of events.
    public static let defaultReadSize = 64 * 1024
    /// The smallest read buffer accepted: the kernel refuses (EINVAL) a
    /// buffer smaller than the next event, and the largest, with two names
    /// and their handles, fits in 4096 bytes.
    public static let minimumReadSize = 4096

    /// Reads the events queued, in order: a group made with `.nonBlocking`
    /// returns `[]` when there are none; otherwise it waits for the first.
    ///
    /// Each event owns the descriptors the kernel opened for it (see
    /// ``Event``). Throws ``Error`` (also when the group is closed, before or
    /// during the wait) or ``DecodingError``.
    public func readEvents(bufferSize: Int = Fanotify.defaultReadSize) throws -> [Event] {
        try read(bufferSize: bufferSize, wait: flags.contains(.nonBlocking) ? .no : .forever)
    }

    /// Like ``readEvents(bufferSize:)``, waiting at most `timeout` for the
    /// first event, whatever the group's flags; `[]` when none came in time.
    public func readEvents(timeout: Duration, bufferSize: Int = Fanotify.defaultReadSize) throws -> [Event] {
        try read(bufferSize: bufferSize, wait: .until(ContinuousClock.now.advanced(by: timeout)))
    }

    private func read(bufferSize: Int, wait: Inotify.Wait) throws -> [Event] {
        if bufferSize < Self.minimumReadSize {
            throw Error(
                .read, errno: .invalidArgument, value: "bufferSize \(bufferSize)",
                advice: "A fanotify read needs room for the largest event: at least \(Self.minimumReadSize) bytes")
        }
        return try buffer.withLock { (buffer) throws -> [Event] in
            let bytes = buffer.prefix(bufferSize)
            let count = try use(.read) { (fd) throws(Error) -> Int in
                while true {
                    let readiness: DescriptorOwner.Readiness
                    do throws(Inotify.Error) {
                        readiness = try owner.wait(events: true, nudges: false, for: wait)
                    } catch {
                        throw Error(.read, error)
                    }
                    if readiness == .timedOut { return 0 }
                    switch Syscalls.read(fd, bytes) {
                    case .success(let count): return count
                    // Another reader of the same descriptor (outside this group) took them.
                    case .failure(.resourceTemporarilyUnavailable): if case .no = wait { return 0 }
                    case .failure(let errno):
                        throw Error(
                            .read, errno: errno, value: "bufferSize \(bufferSize)",
                            advice: errno == .invalidArgument
                                ? "The next event does not fit in \(bufferSize) bytes: read with a larger buffer" : nil)
                    }
                }
            }
            return try Self.decodeOwning(UnsafeRawBufferPointer(rebasing: bytes[..<count]))
        }
    }

    /// What FIONREAD says of the group's queue: 0 when a read would find
    /// nothing. The kernel counts FAN_EVENT_METADATA_LEN (24) bytes per
    /// event, whatever its info records add (so far as 6.18, measured:
    /// 15 events, 360 bytes said, 1,204 read): divided by 24, it is how many
    /// events wait. The corresponding C call is `ioctl(fd, FIONREAD)`.
    public func queuedByteCount() throws(Error) -> Int {
        try use(.read) { (fd) throws(Error) -> Int in
            switch Syscalls.bytesQueued(fd) {
            case .success(let count): return count
            case .failure(let errno): throw Error(.read, errno: errno, value: "FIONREAD")
            }
        }
    }

    /// How many events wait in the group's queue: FIONREAD's count over
    /// the 24 bytes it counts per event (``queuedByteCount()``).
    public func queuedEventCount() throws(Error) -> Int {
        try queuedByteCount() / Fanotify.FAN_EVENT_METADATA_LEN
    }

    /// Decodes what a read returned, each event owning its descriptors. On a
    /// fault, the events made so far go away, closing theirs; the events
    /// past the fault cannot be read, nor their descriptors found.
    static func decodeOwning(_ buffer: UnsafeRawBufferPointer) throws(DecodingError) -> [Event] {
        var events: [Event] = []
        var cursor = EventCursor(buffer)
        while let raw = try cursor.next() {
            var pidfd: EventDescriptor?
            for case .processDescriptor(let fd) in raw.infoRecords where fd >= 0 { pidfd = EventDescriptor(fd) }
            events.append(Event(
                mask: raw.mask, fd: raw.fd, pid: raw.pid, records: raw.infoRecords.map { $0.makeRecord() },
                file: raw.fd >= 0 ? EventDescriptor(raw.fd) : nil, processDescriptor: pidfd))
        }
        return events
    }
}
