import InotifyTree

/// Which fanotify marks watch the paths, when fanotify does: a mark on each
/// path's inode, or with `-S` on the filesystem each path is on (which
/// covers every directory below it: `-r` adds nothing there, as in
/// inotify-tools). nil when inotify watches, and for `-r` without `-S`,
/// which the tree watcher does (``SharedOptions/treeSource``).
enum FanotifyMarks: Equatable {
    case inodes
    case filesystem

    init?(_ options: some SharedOptions) {
        guard options.backend == .fanotify else { return nil }
        if options.filesystem {
            self = .filesystem
        } else if options.recursive {
            return nil
        } else {
            self = .inodes
        }
    }
}

extension SharedOptions {
    /// What watches a tree for `-r`: with fanotify asked for, one filesystem
    /// mark where it can be had (CAP_SYS_ADMIN, Linux 5.17, options it
    /// follows) and inotify elsewhere, said on standard error, so that a run
    /// that works with inotify-tools' fsnotifywait -r (an inode mark per
    /// directory, unprivileged) works here; `-I`, inotify.
    var treeSource: TreeWatcher.SourceKind {
        backend == .fanotify ? .automatic : .inotify
    }
}
