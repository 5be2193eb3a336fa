import Glibc
import Inotify

/// Watches the given paths with fanotify, as fsnotifywait does: a group that
/// reports file identifiers and names (`FAN_REPORT_FID | FAN_REPORT_DFID_NAME`),
/// and on each path a mark for the events asked for, on directories and on
/// a directory's children (`FAN_ONDIR | FAN_EVENT_ON_CHILD`): an inode mark,
/// or with `-S` a filesystem mark, which reports every file of the
/// filesystem the path is on. Each event reaches the handler as the line it
/// prints, named by ``FanotifyNames``; the events this process causes itself
/// (its output, its reads of directories to name them) are not reported,
/// as inotify-tools skips them.
final class FanotifyWatch: PathWatch {
    let group: Fanotify
    private let names: FanotifyNames
    /// With `-S` the marks last as long as the filesystems; otherwise the
    /// watched paths whose marks still stand (each goes with its inode).
    private let filesystem: Bool
    private var standing: Set<Int>

    /// What a command watches with, made before it says anything, as
    /// inotify-tools does: a fanotify group where `marks` asks for one
    /// (`.some(group)`), else inotify once an instance is known to be had
    /// (`.some(nil)`); nil after saying why neither could be.
    static func makeBackend(_ marks: FanotifyMarks?, diagnostics: Diagnostics) -> Fanotify?? {
        guard marks != nil else { return diagnostics.canMakeInstance() ? .some(nil) : nil }
        return makeGroup(diagnostics: diagnostics).map { .some($0) }
    }

    /// The group as fsnotifywait makes it; nil after saying why it could not be made.
    static func makeGroup(diagnostics: Diagnostics) -> Fanotify? {
        do {
            return try Fanotify(flags: [.reportFid, .reportDfidName, .closeOnExec])
        } catch {
            diagnostics.initFailure(error.errno.rawValue, backend: .fanotify)
            return nil
        }
    }

    /// Marks `paths` in `group` for the events of `mask`; nil after saying
    /// which could not be marked, in inotify-tools' words (`-S`: "Couldn't add
    /// filesystem watch").
    init?(
        group: Fanotify, paths: [[UInt8]], mask: Inotify.EventMask, filesystem: Bool, noDereference: Bool,
        diagnostics: Diagnostics, failureVerb: String = "Couldn't watch"
    ) {
        self.group = group
        self.filesystem = filesystem
        names = FanotifyNames(diagnostics: diagnostics)
        let marking = FanotifyMask.marking(mask).union([.onDir, .eventOnChild])
        for path in paths {
            do throws(Fanotify.Error) {
                // Learnt before it is marked: learning opens the path, and a
                // deletion meanwhile would be told when that open closes, as
                // this process's own event.
                try names.add(path, followingLinks: !noDereference)
                try group.addMark(
                    filePath(path), on: filesystem ? .filesystem : .inode, mask: marking,
                    flags: noDereference ? .dontFollow : [])
            } catch {
                let verb = filesystem ? "Couldn't add filesystem watch" : failureVerb
                diagnostics.watchFailure(path, errno: error.errno.rawValue, verb: verb, backend: .fanotify)
                return nil
            }
        }
        standing = Set(names.marked.indices)
    }

    var rows: [[UInt8]] { names.marked.map(\.printed) }

    var countsPerFile: Bool { true }

    func run(
        timeout: Int64, restartsOnEvent: Bool, signals: CInt?,
        handle: (EventLine) -> Bool, batchEnd: () -> Bool
    ) -> WatchStop {
        // Read here, not when the group was made: -d forks in between.
        let ownProcess = Syscalls.processID()
        return ReadLoop.run(
            group.fileDescriptor.rawValue, interface: "fanotify", timeout: timeout, restartsOnEvent: restartsOnEvent,
            signals: signals
        ) { bytes in
            var cursor = Fanotify.EventCursor(bytes)
            do {
                while let event = try cursor.next() {
                    // A group reporting file identifiers opens no descriptor
                    // for an event; one that came all the same is not kept.
                    if event.fd >= 0 { _ = Syscalls.close(event.fd) }
                    // Its own reads of directories, not a deletion: the
                    // last reference it drops can make a deletion look its own.
                    if event.pid == ownProcess && !event.mask.contains(.deleteSelf) { continue }
                    let mask = FanotifyMask.printed(event.mask)
                    let keepGoing = names.withNames(of: event) { watched, name, marked in
                        if let marked, mask.contains(.deleteSelf) { standing.remove(marked) }
                        return handle(EventLine(watched: watched, name: name, mask: mask, cookie: 0))
                    }
                    if mask.contains(.isDir) && !mask.isDisjoint(with: [.movedFrom, .movedTo, .moveSelf]) {
                        names.forgetWalks()
                    }
                    if !keepGoing {
                        _ = batchEnd()
                        return .stop(.done)
                    }
                }
            } catch {
                printError("fanotify returned malformed events: \(error)")
                return .stop(.failed)
            }
            if !batchEnd() { return .stop(.done) }
            return !filesystem && standing.isEmpty ? .stop(.nothingLeft) : .more
        }
    }
}
