import SystemPackage

/// What feeds a ``TreeWatcher``: something that watches a directory tree and
/// says what changed in it, as ``Change``s. ``InotifySource`` is the one
/// `TreeWatcher(root:options:)` makes; any other (a test's script, a
/// filesystem mark, a poller) is given to ``TreeWatcher/init(source:changeBufferLimit:)``.
///
/// The watcher's thread drives it, and nothing else does: a source is made
/// on one thread and handed to that thread whole (`sending`), so it need not
/// be `Sendable`. What other threads need, stopping it, is its ``control``.
///
/// How it watches is its own: a watch on every directory, or one mark for a
/// whole filesystem; it says how many it holds (``watchCount``). What it
/// cannot follow it says in band: a change of kind `overflow` and a batch
/// that asks for a rescan, which the watcher has done at once (``rescan()``).
public protocol ChangeSource {
    /// What stops the source from another thread (``control``).
    associatedtype Control: ChangeSourceControl

    /// The directory watched, as given: every change's ``Change/root``.
    var root: FilePath { get }

    /// Stops the source from any thread.
    var control: Control { get }

    /// How many watches (or marks) it holds now:
    /// ``TreeWatcher/watchedDirectories``.
    var watchCount: Int { get }

    /// Waits for what happens next, and returns it, in order: what the
    /// source found as it started first, then each batch of changes. A batch
    /// may be empty (a deadline of the source's own passed with nothing to
    /// say). Nil once nothing more can come: the root is gone, or the source
    /// was stopped. An error ends the watching (the watch limit reached,
    /// where the options say fail).
    mutating func next() throws -> ChangeBatch?

    /// Lists the tree again, after the source lost track of it (its batch
    /// asked for this), and brings what it holds up to date: what that has
    /// to say, ending with a `rescanned` change.
    mutating func rescan() throws -> [Change]
}

/// What stops a ``ChangeSource`` from another thread than the one driving it.
public protocol ChangeSourceControl: Sendable {
    /// Stops the source: a ``ChangeSource/next()`` waiting returns nil soon,
    /// and nothing more comes. Safe from any thread, and more than once.
    func stop()

    /// Whether the source has handed over everything it was told so far:
    /// nothing waits in its queue (the kernel's), and nothing it read is
    /// still being worked on. A source that lags says false, so that what
    /// the tree looks like now is not taken for what its changes say yet
    /// (a version control lock already gone while its holder's changes
    /// are still being read). Safe from any thread. By default true: a
    /// source that cannot tell is taken to keep up.
    var isCaughtUp: Bool { get }
}

extension ChangeSourceControl {
    public var isCaughtUp: Bool { true }
}

/// What a ``ChangeSource`` has to say at once: changes, in order, and
/// whether it lost track of the tree.
public struct ChangeBatch: Sendable {
    /// In order: what happened first, first.
    public var changes: [Change]
    /// The source lost track (an `overflow` change says so): the watcher has
    /// it ``ChangeSource/rescan()`` before anything else.
    public var needsRescan: Bool

    /// `changes`, and whether the source lost track of the tree with them.
    public init(_ changes: [Change], needsRescan: Bool = false) {
        self.changes = changes
        self.needsRescan = needsRescan
    }
}
