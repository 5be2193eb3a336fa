/// The C calls of the package, named for fault injection: a plan lists the
/// faults of each. The raw value is the name a plan given in the environment
/// uses (`read=EIO`).
enum Syscall: String, Hashable, Sendable, CaseIterable {
    case inotifyInit, inotifyInit1, inotifyAddWatch, inotifyRmWatch
    case read, write, fionread, poll, eventfd, close, spawnThread
    /// open(2) and openat(2).
    case open
    /// getdents64(2): a directory's entries.
    case getdents
    /// stat(2), lstat(2), fstat(2) and fstatat(2).
    case stat
    /// statfs(2) and fstatfs(2).
    case statfs
    /// chdir(2) and fchdir(2).
    case chdir
    /// unshare(CLONE_FS).
    case unshare
    /// sigprocmask and signalfd(2).
    case signalfd
    /// getcwd(3).
    case getcwd
    /// realpath(3).
    case realpath
    /// daemon(3): the fork, and the new session, that detach the process.
    case daemon
    /// dup2(2).
    case dup2
    /// fanotify_init(2) and fanotify_mark(2).
    case fanotifyInit, fanotifyMark
    /// open_by_handle_at(2).
    case openByHandle
    /// name_to_handle_at(2).
    case nameToHandle
    /// readlink(2).
    case readlink
}
