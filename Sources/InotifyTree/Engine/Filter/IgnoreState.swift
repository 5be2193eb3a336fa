import Inotify
import SystemPackage

/// Everything the tree keeps for git's ignore rules (`Options.gitIgnore`), in
/// one place: the rules themselves; while they change under the events, what
/// is left to walk, the walks done, and what the consumer was told meanwhile;
/// and the problems reported, so that none is reported twice.
///
/// The engine acts on it (`TreeEngine+Ignore.swift` reads the rules,
/// `TreeEngine+IgnoreWalk.swift` follows them as the tree changes,
/// `TreeEngine+Hidden.swift` handles the events of names they hide); what
/// only the state needs is here.
struct IgnoreState {
    /// The part of the tree to judge again after the batch, with the rules
    /// and path its decisions were taken by.
    struct Reconsideration {
        let wd: Int32
        let before: IgnoreRules
        /// Where the directory was when `before` applied; nil: where it is.
        let oldPath: FilePath?
        /// Walks tried while the directory was out of reach.
        var attempts = 0
    }

    /// A walk done, kept until the events before its end are read: what
    /// it did not see (renamed or deleted before it listed) the consumer
    /// has as the rules before it decided.
    struct Walked {
        let item: Reconsideration
        let start: UInt64
        let end: UInt64
    }

    /// git's rules for the tree, as read so far.
    var rules: IgnoreRules
    /// `.git` directories are watched too (`Options.watchGitDirectory`).
    let watchesGitDirectory: Bool
    /// Parts of the tree whose ignore decisions may have changed, to be
    /// walked after the batch: out of reach when their rules changed (a
    /// rename above them still to be read), or renamed as a listing found.
    var reconsiderations: [Reconsideration] = []
    /// Walks done whose end the events read have not passed yet.
    var walked: [Walked] = []
    /// Names a walk reported (brought into sight, or out of it), by where
    /// it listed them: their entry events from before are superseded.
    var walkSuperseded: [WatchTree.ChildKey: UInt64] = [:]
    /// While the rules change under the events (a walk due or not yet
    /// passed), what the consumer was last told of a name: in sight (made,
    /// moved there, brought into sight by a walk) or not (deleted, moved
    /// away, out of sight). Where it holds a name, that, not the rules of
    /// before, says what the consumer has.
    var consumerKnows: [WatchTree.ChildKey: Bool] = [:]
    /// Directories a reporting scan listed while the rules changed: what
    /// they held was reported by the rules of then, not of before.
    var listedWhileChanging: [Int32: UInt64] = [:]
    /// The problems reported for each directory's `.gitignore`, by the
    /// directory's path, and for the files that apply to the whole tree.
    private var reportedProblems: [FilePath: [IgnoreProblem]] = [:]
    private var reportedTreeWideProblems = Set<IgnoreProblem>()

    static let gitDirectoryName = EventName(Array(".git".utf8))

    init(rules: IgnoreRules, watchesGitDirectory: Bool) {
        self.rules = rules
        self.watchesGitDirectory = watchesGitDirectory
    }

    /// The rules read afresh (a rescan lists the tree again): nothing of a
    /// change is left to walk. The problems reported stay reported.
    mutating func restart(with rules: IgnoreRules) {
        self.rules = rules
        reconsiderations.removeAll()
        walked.removeAll()
        forgetRulesChange()
    }

    /// The rules are changing under the events: a walk is due, or one has
    /// not been passed by the events read.
    var isChanging: Bool { !reconsiderations.isEmpty || !walked.isEmpty }

    /// The rules have stopped changing under the events: what was kept to
    /// tell what the consumer has meanwhile goes.
    mutating func forgetRulesChange() {
        if !consumerKnows.isEmpty { consumerKnows.removeAll() }
        if !walkSuperseded.isEmpty { walkSuperseded.removeAll() }
        if !listedWhileChanging.isEmpty { listedWhileChanging.removeAll() }
    }

    /// Forgets the walks whose every earlier event has been read.
    mutating func passedWalks(_ position: UInt64) {
        walked.removeAll { $0.end <= position }
    }

    /// Whether `path` (relative to the root, `name` its last component) is
    /// out of the watcher's sight: ignored by git's rules, or a `.git`.
    /// Its parent is known not to be ignored, except while a walk is due
    /// (the rules changed and the tree has not caught up yet).
    func hides(_ path: FilePath, name: EventName, isDirectory: Bool) -> Bool {
        if !watchesGitDirectory && name == Self.gitDirectoryName { return true }
        return rules.isIgnored(path, isDirectory: isDirectory, ancestorsChecked: reconsiderations.isEmpty)
    }

    /// What `before` decided about `path` (a `.git` aside, the same always).
    func hid(_ path: FilePath, name: EventName, isDirectory: Bool, by before: IgnoreRules) -> Bool {
        if !watchesGitDirectory && name == Self.gitDirectoryName { return true }
        return before.isIgnored(path, isDirectory: isDirectory)
    }

    // MARK: Problems

    /// The problems of `directory`'s `.gitignore` that were not reported for
    /// it last time (a file read again after another file's change is not
    /// reported again; one fixed and broken again is).
    mutating func unreported(_ problems: [IgnoreProblem], of directory: FilePath) -> [IgnoreProblem] {
        if problems.isEmpty && reportedProblems.isEmpty { return [] }
        let old = reportedProblems[directory] ?? []
        if problems == old { return [] }
        reportedProblems[directory] = problems.isEmpty ? nil : problems
        return problems.filter { !old.contains($0) }
    }

    /// The problems of the files that apply to the whole tree (git's
    /// configuration, the global file, `info/exclude`, those above the
    /// root), not reported already.
    mutating func unreportedTreeWide(_ problems: [IgnoreProblem]) -> [IgnoreProblem] {
        let new = problems.filter { !reportedTreeWideProblems.contains($0) }
        reportedTreeWideProblems = Set(problems)
        return new
    }

    /// A directory renamed within the tree: the problems reported for the
    /// files below it are theirs at the new path.
    mutating func moveReportedProblems(from: FilePath, to: FilePath) {
        guard !reportedProblems.isEmpty else { return }
        var moved: [FilePath: [IgnoreProblem]] = [:]
        for (directory, problems) in reportedProblems {
            var below = directory
            if below.removePrefix(from) {
                moved[to.pushing(below)] = problems.map {
                    IgnoreProblem(file: rules.root.pushing(to.pushing(below)).appending(IgnoreRules.fileName),
                                  line: $0.line, message: $0.message)
                }
            } else {
                moved[directory] = problems
            }
        }
        reportedProblems = moved
    }

    /// A directory left the tree or went: its rules and problems go with it.
    mutating func forget(under path: FilePath) {
        rules.unload(under: path)
        if !reportedProblems.isEmpty {
            reportedProblems = reportedProblems.filter { !$0.key.starts(with: path) }
        }
    }
}
