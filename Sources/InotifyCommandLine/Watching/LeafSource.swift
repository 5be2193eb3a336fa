import Inotify
import InotifyTree
import SystemPackage

/// A path given with `-r` that is not a directory (a file, a FIFO, a socket),
/// watched as inotifywait -r watches it: one watch on the path itself, a tree
/// of one leaf. Its events are changes the leaf says of itself (empty path),
/// so they print as `fifo OPEN ` and count under `fifo`, beside the trees of
/// the other paths. Only the watch is made: nothing is opened, so a FIFO with
/// no writer cannot block the run.
struct LeafSource: ChangeSource {
    /// Closing the instance wakes the read waiting in ``next()``.
    struct Control: ChangeSourceControl {
        let inotify: Inotify

        func stop() {
            try? inotify.close()  // a second stop finds it closed: nothing to do
        }
    }

    let root: FilePath
    let control: Control
    private var ended = false

    var watchCount: Int { ended ? 0 : 1 }

    /// Watches `path` for `mask`; throws what inotify_init1 or
    /// inotify_add_watch refused.
    init(path: [UInt8], mask: Inotify.EventMask, noDereference: Bool) throws(Inotify.Error) {
        let inotify = try Inotify(flags: .closeOnExec, tracksPaths: false)
        var watchMask = mask
        if noDereference { watchMask.insert(.dontFollow) }
        let added: Result<Inotify.WatchDescriptor, Inotify.Error> = withCPath(path) { cPath in
            Result { () throws(Inotify.Error) in try inotify.addWatch(cString: cPath, mask: watchMask, checks: .kernelOnly) }
        }
        if case .failure(let error) = added {
            try? inotify.close()
            throw error
        }
        root = filePath(path)
        control = Control(inotify: inotify)
    }

    mutating func next() throws -> ChangeBatch? {
        if ended { return nil }
        let events: [Inotify.Event]
        do {
            events = try control.inotify.readEvents()
        } catch where control.inotify.isClosed {
            return nil  // stopped
        }
        var changes: [Change] = []
        var needsRescan = false
        for event in events {
            if event.mask.contains(.queueOverflow) {
                changes.append(Change(.overflow, path: "", root: root, isDirectory: false))
                needsRescan = true
            } else if event.mask.contains(.ignored) {
                // The watch ended (the leaf deleted, its file system
                // unmounted): what came before it is the last to say.
                ended = true
                break
            } else if let kind = Self.kind(of: event.mask) {
                changes.append(Change(kind, path: "", root: root, isDirectory: false, isSelfEvent: true))
            }
        }
        return ended && changes.isEmpty ? nil : ChangeBatch(changes, needsRescan: needsRescan)
    }

    /// Nothing to list: after an overflow the one watch still holds.
    mutating func rescan() throws -> [Change] {
        [Change(.rescanned, path: "", root: root, isDirectory: false)]
    }

    /// The kind of a leaf's own event: the kernel sends one event a record
    /// for a watched file.
    private static func kind(of mask: Inotify.EventMask) -> Change.Kind? {
        if mask.contains(.access) { return .accessed }
        if mask.contains(.modify) { return .modified }
        if mask.contains(.attrib) { return .attributesChanged }
        if mask.contains(.closeWrite) { return .closedAfterWrite }
        if mask.contains(.closeNoWrite) { return .closedWithoutWrite }
        if mask.contains(.open) { return .opened }
        if mask.contains(.deleteSelf) { return .rootDeleted }
        if mask.contains(.moveSelf) { return .rootMoved }
        if mask.contains(.unmount) { return .unmounted }
        return nil
    }
}
