import Glibc
import Inotify
import SystemPackage
import Testing

/// Whether fanotify can be used here, and why not: a group with file
/// identifier reporting and an unlimited queue (which filesystem marks on a
/// busy machine need) needs CAP_SYS_ADMIN, and a kernel built with fanotify.
enum FanotifyAvailability {
    static let reason: String? = {
        do {
            let group = try Fanotify(flags: [.reportDfidName, .unlimitedQueue, .closeOnExec])
            try group.close()
            return nil
        } catch let error as Fanotify.Error where error.errno == .notPermitted {
            return "fanotify is not permitted here (EPERM): run the tests as root"
        } catch let error as Fanotify.Error where error.errno == .noFunction {
            return "this kernel is built without fanotify (ENOSYS)"
        } catch {
            return "fanotify_init failed: \(error)"
        }
    }()

    static var available: Bool {
        if let reason { print("fanotify tests skipped: \(reason)") }
        return reason == nil
    }
}

extension Fanotify {
    /// Reads until `predicate` holds for every one of `count` distinct
    /// conditions, or fails after `timeout`; returns the events that
    /// matched `relevant`, in order.
    func readUntil(
        timeout: Duration = .seconds(10), sourceLocation: SourceLocation = #_sourceLocation,
        relevant: (Fanotify.Event) -> Bool, done: ([Fanotify.Event]) -> Bool
    ) throws -> [Fanotify.Event] {
        var seen: [Fanotify.Event] = []
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            let batch = try readEvents(timeout: ContinuousClock.now.duration(to: deadline))
            seen += batch.filter(relevant)
            if done(seen) { return seen }
        }
        Issue.record("the events did not come within \(timeout); saw \(seen)", sourceLocation: sourceLocation)
        return seen
    }
}

/// A name no other test uses.
func uniqueName(_ label: String) -> String {
    "\(label)-\(UInt64.random(in: 0...UInt64.max))"
}

/// Opens `path` as a directory, for open_by_handle_at.
func openDirectory(_ path: FilePath) throws -> FileDescriptor {
    try FileDescriptor.open(path, .readOnly, options: [.directory, .closeOnExec])
}
