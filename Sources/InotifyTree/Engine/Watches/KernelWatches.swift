import Inotify
import SystemPackage

/// The engine's inotify instance, and the one place that calls it: watches
/// added and removed (the instance is made with `tracksPaths: false`: the
/// engine's ``WatchTree`` is the table, and a tree of 500,000 directories
/// needs no second one), events read, the bytes still queued counted.
struct KernelWatches {
    let inotify: Inotify

    init(_ inotify: Inotify) {
        self.inotify = inotify
    }

    /// A watch on `path` as given (the root, or any directory where procfs
    /// is missing).
    func add(_ path: FilePath, mask: Inotify.EventMask) throws(Inotify.Error) -> Int32 {
        try inotify.addWatch(path, mask: mask).rawValue
    }

    /// A watch on the NUL-terminated `path`: a /proc/self/fd path, or a bare
    /// name from a working directory moved to its directory.
    func add(cString path: UnsafePointer<CChar>, mask: Inotify.EventMask) throws(Inotify.Error) -> Int32 {
        try inotify.addWatch(cString: path, mask: mask).rawValue
    }

    /// Removes watch `wd`. EINVAL means the kernel dropped it already (its
    /// IN_IGNORED may be queued, or lost in an overflow): gone either way.
    /// Other errors are real.
    func removeIfPresent(_ wd: Int32) throws(Inotify.Error) {
        do { try inotify.removeWatch(wd) } catch where error.errno == .invalidArgument {}
    }

    /// The bytes of events the kernel holds, not read yet (FIONREAD).
    func queuedByteCount() throws(Inotify.Error) -> Int {
        try inotify.queuedByteCount()
    }

    /// What the kernel holds, waiting up to `timeout` for something.
    func read(timeout: Duration) throws -> [Inotify.Event] {
        try inotify.readEvents(timeout: timeout)
    }
}
