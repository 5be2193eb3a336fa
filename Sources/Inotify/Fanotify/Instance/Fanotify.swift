import SystemPackage

// A group composes what the inotify side's instance has: DescriptorOwner (the
// descriptor closed once, its use counted, a wait that close() ends) and a
// read buffer. Its marks, reads and handle resolution are in the files beside
// this one.

/// A fanotify(7) group: owns its descriptor (closed exactly once, by
/// ``close()`` or when the group goes away) and its read buffer.
///
/// One task may read while others add and remove marks. Reads wait in poll(2)
/// beside a wake-up descriptor, so ``close()`` from another thread ends a
/// waiting read at once, and the descriptor number is released only after the
/// last call using it has returned.
///
/// ```swift
/// let group = try Fanotify(flags: [.reportDfidName, .closeOnExec])
/// try group.addMark("/srv", on: .filesystem, mask: [.create, .delete, .move, .onDir])
/// for event in try group.readEvents(timeout: .seconds(1)) { ... }
/// ```
public final class Fanotify: Sendable {
    /// The group's descriptor, for poll, epoll or Dispatch. Do not close it: the group does.
    public let fileDescriptor: FileDescriptor
    /// The flags the group was made with.
    public let flags: InitFlags
    /// The flags of the descriptors its events carry.
    public let eventFlags: EventFileFlags

    let owner: DescriptorOwner
    /// Held for a whole read, so that concurrent reads take turns.
    let buffer = Lock(ReadBuffer(capacity: Fanotify.defaultReadSize))

    /// Makes a group. The corresponding C function is `fanotify_init`.
    ///
    /// `flags` holds the class, the descriptor's flags and what events
    /// report: `[.reportDfidName]` reports a directory's file identifier and
    /// a name with each event, and no descriptor. `eventFlags` are the flags
    /// of the descriptors events carry when the group does not report file
    /// identifiers (`.readOnly`, the default, `.closeOnExec` ...). Throws
    /// ``Error``: `EPERM` without CAP_SYS_ADMIN, `EINVAL` naming the feature
    /// this kernel lacks, `ENOSYS` on a kernel without fanotify.
    public init(flags: InitFlags = [], eventFlags: EventFileFlags = [.readOnly, .closeOnExec]) throws(Error) {
        switch Syscalls.fanotifyInit(flags.rawValue, eventFlags.rawValue) {
        case .success(let fd):
            fileDescriptor = FileDescriptor(rawValue: fd)
        case .failure(let errno):
            throw Error(
                .initialize, errno: errno, value: "flags 0x\(String(flags.rawValue, radix: 16)),"
                    + " event_f_flags 0o\(String(eventFlags.rawValue, radix: 8))",
                advice: Error.initAdvice(errno, flags: flags))
        }
        self.flags = flags
        self.eventFlags = eventFlags
        owner = DescriptorOwner(descriptor: fileDescriptor.rawValue)
    }

    deinit {
        owner.closeIfOpen()
    }

    /// Runs `body` with the descriptor, which stays open until `body` returns
    /// (the inotify side's owner, whose errors are told as `operation`'s).
    func use<R>(
        _ operation: Error.Operation, path: FilePath? = nil, _ body: (CInt) throws(Error) -> R
    ) throws(Error) -> R {
        var outcome: Result<R, Error>?
        do throws(Inotify.Error) {
            try owner.use(.read) { (fd) throws(Inotify.Error) in
                outcome = Result { () throws(Error) in try body(fd) }
            }
        } catch {
            throw Error(operation, error, path: path)
        }
        return try outcome!.get()
    }

    // MARK: Closing

    /// Closes the descriptor. A read waiting in another thread ends at once
    /// with an error; the number is released when the last call using it
    /// returns. Calling it again is an error.
    public func close() throws(Error) {
        do throws(Inotify.Error) {
            try owner.close()
        } catch {
            throw Error(.close, error)
        }
    }

    /// Whether ``close()`` was called.
    public var isClosed: Bool {
        owner.isClosed
    }
}
