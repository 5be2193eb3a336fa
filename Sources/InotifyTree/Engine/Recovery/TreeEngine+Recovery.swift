import Inotify
import SystemPackage

// Recovery: what the kernel says about the watches themselves. An overflow
// lost events, so the whole tree is listed again (when the source's user asks,
// at once: ``rescanAfterOverflow()``); a watch ended (IN_IGNORED) leaves the
// table; an unmount is reported, and the directory the mount covered is
// watched in its place once the mount's watches have ended.

extension TreeEngine {
    /// The kernel's queue overflowed: events were lost. Reported; the rest
    /// waits for the rescan.
    func overflowed(_ event: Inotify.Event, _ out: inout [Change]) throws {
        out.append(Change(.overflow, path: FilePath(), root: root, isDirectory: true,
                          raw: .inotify(Change.InotifyEvents([event]))))
        needsRescan = true
    }

    /// After an overflow: the tree listed again, and the consumer told to
    /// resync. What was read after the overflow comes next.
    func rescanAfterOverflow() throws -> [Change] {
        needsRescan = false
        var out: [Change] = []
        try rescan(&out)
        out.append(Change(.rescanned, path: FilePath(), root: root, isDirectory: true))
        return out
    }

    /// IN_UNMOUNT: the filesystem holding directory `event.wd` went. Its
    /// IN_IGNORED follows; the directory it covered is watched then.
    func unmountSeen(_ event: Inotify.Event, _ out: inout [Change]) {
        guard let directory = tree.cachedPath(of: event.wd.rawValue) else { return }
        unmounted.insert(event.wd.rawValue)
        report(.unmounted, directory, isDirectory: true, [event], isSelfEvent: true, &out)
    }

    /// IN_IGNORED: the kernel ended watch `wd` (its directory deleted, its
    /// filesystem unmounted, or the watch removed by the engine itself).
    func watchIgnored(_ wd: Int32, _ out: inout [Change]) throws {
        let wasUnmounted = unmounted.remove(wd) != nil
        if tree.contains(wd) { try watchEnded(wd, unmounted: wasUnmounted, &out) }
    }

    /// The kernel ended a watch (IN_IGNORED) that the table still holds.
    /// After an unmount, the directory the mount covered is at the path now,
    /// with whatever it held: it is watched and listed in the mount's place,
    /// as if it had just been made, so nothing made in it is missed. The
    /// mount's other watches end too, each with its own IN_IGNORED; those
    /// below this one are dropped with it. (A deleted directory's IN_IGNORED
    /// comes before its parent's DELETE, which drops the entry as well.)
    private func watchEnded(_ wd: Int32, unmounted wasUnmounted: Bool, _ out: inout [Change]) throws {
        if wd == tree.rootWD || tree.rootWD == nil {
            forget(wd)
            finished = true
            return
        }
        guard wasUnmounted, let node = tree.node(wd), let path = tree.path(of: wd) else {
            forget(wd)
            return
        }
        try unwatchSubtree(wd)
        // A parent that is unmounted as well is dropped at its own IN_IGNORED
        // and its directory listed then, this one included.
        guard tree.contains(node.parent), !unmounted.contains(node.parent) else { return }
        try watchAndScan(parent: node.parent, name: node.name, path: path, &out)
    }

    /// Lists the whole tree again. Watches are added where missing (adding
    /// one that exists returns the same wd), directories are placed where
    /// they are now, and watches of directories no longer in the tree are
    /// removed. Events read after the overflow that came before a
    /// directory's new listing are superseded by it.
    func rescan(_ out: inout [Change]) throws {
        moves.removeAll()
        scanned.removeAll()
        unmounted.removeAll()  // their IN_IGNORED may be among the events lost
        deferred.removeAll()
        relocatedFrom.removeAll()
        log.reset()
        sight.reset()
        // Read afresh, as the tree is: the rules of directories gone go too.
        readIgnoreRules(&out)
        let old = tree
        previousTree = old
        defer { previousTree = nil }
        tree = WatchTree()
        try watchRoot(first: false, &out)
        for wd in old.watchDescriptors where !tree.contains(wd) {
            try removeWatchIfPresent(wd)
        }
    }
}
