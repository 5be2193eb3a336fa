/// Which fanotify marks watch the paths, when fanotify does: a mark on each
/// path's inode, or with `-S` on the filesystem each path is on (which
/// covers every directory below it: `-r` adds nothing there, as in
/// inotify-tools). nil when inotify watches, and for `-r` without `-S`,
/// which the tree watcher does.
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
