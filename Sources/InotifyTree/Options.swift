import SystemPackage

extension TreeWatcher {
    /// What to do when a directory cannot be watched because the per-user
    /// watch limit (fs.inotify.max_user_watches) is reached.
    public enum LimitPolicy: Sendable, Hashable {
        /// Fail: the initializer throws, or the change stream ends with the error.
        case fail
        /// Go on, and report each directory left unwatched as an `unwatched` change.
        case continueAndReport
    }

    /// What a watcher reports and how its inotify source watches: the kinds
    /// of change, what is left out, git's rules, links, limits and windows.
    public struct Options: Sendable {
        /// The kinds of change reported. By default what changes files and
        /// the tree (``Change/Kinds/standard``): no opens, reads or closes
        /// without writing, which would only fill the queue. Whatever is
        /// asked, the tree's structure is followed, and what the tree itself
        /// says (``Change/Kind/askedAs`` is nil) is reported.
        public var reported: Change.Kinds = .standard
        /// Directories not watched at all, by glob (fnmatch): a pattern with no
        /// `/` matches a directory's name (`.git`, `node_modules`, `*.tmp`),
        /// one with `/` its path relative to the root.
        public var excludeDirectories: [String] = []
        /// Directories not watched at all, decided by code: called with a
        /// directory's path relative to the root before it is watched.
        public var excludeDirectory: (@Sendable (FilePath) -> Bool)? = nil
        /// Only changes whose relative path matches one of these globs are
        /// reported (empty: all). Directories are still watched.
        public var includePaths: [String] = []
        /// Changes whose relative path matches one of these globs are not reported.
        public var excludePaths: [String] = []
        /// Follow symbolic links to directories. Off by default; when on, a
        /// directory already watched (same device and inode) is not entered
        /// again, so link loops end.
        public var followSymbolicLinks = false
        /// Also report what a watched subdirectory says about itself (its
        /// attributes changed, opened, deleted...: ``Change/isSelfEvent``)
        /// besides what its parent reports under its name: what
        /// `inotifywait -r` prints.
        public var reportSelfEvents = false
        /// Watch only what git does not ignore, as `git check-ignore` decides:
        /// the `.gitignore` of every directory of the tree (and of those
        /// between the repository's top and the root), the repository's
        /// `info/exclude`, and the user's global excludes file
        /// (`core.excludesFile`, else `$XDG_CONFIG_HOME/git/ignore`). An
        /// ignored directory gets no watch and is not listed; an ignored file
        /// gets no change. A `.gitignore` made, edited, replaced or removed
        /// while watching takes effect at once: a directory no longer ignored
        /// is watched and listed (it and what it holds reported as `created`,
        /// found by scan), what is newly ignored is reported as
        /// `becameIgnored` (a directory loses its watches). A pattern
        /// git can never match is reported as an `ignoreProblem` change with
        /// its file and line; the rest of its file applies.
        public var gitIgnore = false
        /// With ``gitIgnore``: watch `.git` directories too. Off by default:
        /// git keeps its own state there, and nothing in it is a change of
        /// the working tree.
        public var watchGitDirectory = false
        /// With ``gitIgnore``: where `HOME`, `XDG_CONFIG_HOME`,
        /// `GIT_CONFIG_GLOBAL` and `GIT_CEILING_DIRECTORIES` are looked up,
        /// which choose the global excludes file and where the repository is
        /// searched for; nil for the process's own environment.
        public var gitEnvironment: [String: String]? = nil
        /// What watches the tree: inotify (the default), fanotify, or
        /// fanotify where it can be had (``SourceKind``).
        public var source = SourceKind.inotify
        /// With the fanotify source: ready as soon as its mark is made, in
        /// milliseconds whatever the tree's size, the tree listed on the
        /// watcher's thread afterwards (to learn its directories' handles)
        /// and what is done meanwhile applied after that listing. Off by
        /// default, and ready only once listed: a directory that is there at
        /// the start and is renamed, moved out or deleted before that
        /// listing reaches it has what was done inside it meanwhile reported
        /// under its new path, or not at all (no handle of an event leads to
        /// it any more), where a watcher ready after its listing misses
        /// nothing. The inotify source ignores it.
        public var readyBeforeListing = false
        /// What to do at the watch limit.
        public var onWatchLimit = LimitPolicy.fail
        /// How long a MOVED_FROM waits for its MOVED_TO before it is reported as
        /// moved out of the tree. The kernel queues the two halves together, so
        /// this only has to cover a read that splits them.
        public var movePairingWindow: Duration = .milliseconds(20)
        /// At most this many MOVED_FROM halves wait for their pair; past it the
        /// oldest is reported as moved out.
        public var maxPendingMoves = 4096
        /// At most this many changes wait for the consumer; past it the watcher
        /// stops reading, and a kernel overflow (then a rescan) is the result.
        public var changeBufferLimit = 65_536
        /// A scan reads the kernel's queue into memory when this many bytes
        /// wait in it (so its own listings cannot overflow it); tests set 0
        /// to have every listing read what is queued.
        var scanReadThreshold = 64 * 1024
        /// How many of the kernel's bytes a scan keeps read ahead of what has
        /// been handled: beyond it, the kernel's own queue holds the rest
        /// (and overflows into a rescan) rather than this process's memory.
        /// 16 MiB, as a stream's buffer; tests set less.
        var readAheadLimit: UInt64 = 16 * 1024 * 1024

        /// The defaults: every directory watched, ``Change/Kinds/standard`` reported.
        public init() {}
    }
}
