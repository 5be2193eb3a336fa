/// What changed in the tree over one burst, once it settled: the net effect
/// per path (``changes``), whether the consumer must resync from disk
/// (``needsResync``), and what the burst said that is not a change to a
/// path (``notices``).
public struct SettledBatch: Sendable {
    /// The net effect: deletions (at the paths before the burst), then moves
    /// (from there to the paths after), then the rest (at the paths after),
    /// each group in path order. See ``SettledChange/Kind-swift.enum`` for
    /// how to apply them.
    public let changes: [SettledChange]
    /// The source lost track within the burst (an overflow, then a rescan):
    /// changes may be missing from ``changes``. Read the tree from disk.
    public let needsResync: Bool
    /// Directories left unwatched, problems with ignore files, unmounts, the
    /// root deleted or moved: as they came.
    public let notices: [Change]
    /// How many changes the burst had, before they were folded.
    public let foldedCount: Int

    init(_ effect: NetEffect) {
        changes = effect.result()
        needsResync = effect.needsResync
        notices = effect.notices
        foldedCount = effect.count
    }

    /// Nothing to act on: the burst's changes cancelled out (a file made and
    /// deleted again) and nothing was lost or noticed.
    public var isEmpty: Bool { changes.isEmpty && !needsResync && notices.isEmpty }
}
