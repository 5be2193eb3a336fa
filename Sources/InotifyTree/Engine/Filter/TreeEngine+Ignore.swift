import Glibc
import Inotify
import SystemPackage

// git's ignore rules in the tree (Options.gitIgnore): what is ignored gets
// no watch, no listing and no change. The rules of a directory are read when
// it is listed (through the listing's descriptor, before its entries are
// judged), or, for a leaf the first scan does not list, through its parent's
// descriptor. How the rules follow the tree as it changes is in
// `TreeEngine+IgnoreWalk.swift`.

extension TreeEngine {
    static let ignoreFileName = EventName(Array(IgnoreRules.fileName.utf8))
    static let gitDirectoryName = EventName(Array(".git".utf8))
    private static let ignoreFileSubpath = Array(IgnoreRules.fileName.utf8CString)
    /// What changes a directory's `.gitignore`.
    static let ignoreFileEvents: Inotify.EventMask = [.create, .closeWrite, .movedTo, .delete, .movedFrom]

    /// Whether `path` (relative to the root, `name` its last component) is
    /// out of the watcher's sight: ignored by git's rules, or a `.git`.
    /// Its parent is known not to be ignored, except while a walk is due
    /// (the rules changed and the tree has not caught up yet).
    func ignores(_ path: FilePath, name: EventName, isDirectory: Bool) -> Bool {
        guard let ignore else { return false }
        if !options.watchGitDirectory && name == Self.gitDirectoryName { return true }
        return ignore.isIgnored(path, isDirectory: isDirectory, ancestorsChecked: reconsiderations.isEmpty)
    }

    /// Reads the rules afresh, with `Options.gitIgnore` (at the start, and at
    /// a rescan, which lists the tree again): what applies to the whole tree,
    /// and its problems not reported yet. Nothing of a change is left to walk.
    func readIgnoreRules(_ out: inout [Change]) {
        guard options.gitIgnore else { return }
        let rules = IgnoreRules(root: root, environment: options.gitEnvironment ?? IgnoreRules.processEnvironment)
        ignore = rules
        reconsiderations.removeAll()
        walked.removeAll()
        forgetRulesChange()
        reportTreeWideProblems(rules.treeWideProblems, &out)
    }

    /// The rules have stopped changing under the events: what was kept to
    /// tell what the consumer has meanwhile goes.
    func forgetRulesChange() {
        if !consumerKnows.isEmpty { consumerKnows.removeAll() }
        if !walkSuperseded.isEmpty { walkSuperseded.removeAll() }
        if !listedWhileChanging.isEmpty { listedWhileChanging.removeAll() }
    }

    /// Reads the `.gitignore` of directory `wd` (`path` relative to the
    /// root) at `subpath` of the directory open as `fd`, and reports what is
    /// wrong in it. Reading it opens, reads and closes a file of a watched
    /// directory: OPEN, ACCESS and CLOSE_NOWRITE under the name `.gitignore`
    /// on `wd`'s watch, the watcher's own, told apart as a listing's are.
    func loadIgnoreFile(of wd: Int32, path: FilePath, from fd: CInt, at subpath: [CChar]? = nil, _ out: inout [Change]) throws {
        guard ignore != nil else { return }
        let start = countsOwnEvents ? try streamPosition() : 0
        let (problems, dataReads) = ignore!.load(directory: path, from: fd, at: subpath ?? Self.ignoreFileSubpath)
        if countsOwnEvents {
            log.caused(ListingLog.OwnCounts(), on: Self.noDirectory,
                       ListingLog.OwnCounts(open: 1, access: dataReads, closeNoWrite: 1), onParent: wd,
                       name: Self.ignoreFileName, from: start, to: try streamPosition())
        }
        reportIgnoreProblems(problems, of: path, &out)
    }

    /// No watch has it: a file's own events are its directory's, by name.
    private static let noDirectory: Int32 = -1

    /// A leaf's `.gitignore`, read through its parent: `name/.gitignore`.
    func loadIgnoreFile(ofLeaf wd: Int32, name: EventName, path: FilePath, in parentFD: CInt, _ out: inout [Change]) throws {
        guard ignore != nil else { return }
        var subpath = name.cString
        subpath.removeLast()
        subpath.append(CChar(bitPattern: UInt8(ascii: "/")))
        subpath += Self.ignoreFileSubpath
        try loadIgnoreFile(of: wd, path: path, from: parentFD, at: subpath, &out)
    }

    /// Reports the problems of `directory`'s `.gitignore` that were not
    /// reported for it last time (a file read again after another file's
    /// change is not reported again; one fixed and broken again is).
    func reportIgnoreProblems(_ problems: [IgnoreProblem], of directory: FilePath, _ out: inout [Change]) {
        if problems.isEmpty && reportedProblems.isEmpty { return }
        let old = reportedProblems[directory] ?? []
        if problems == old { return }
        reportedProblems[directory] = problems.isEmpty ? nil : problems
        let file = directory.appending(IgnoreRules.fileName)
        for problem in problems where !old.contains(problem) {
            out.append(Change(.ignoreProblem(problem), path: file, root: root, isDirectory: false))
        }
    }

    /// The problems of the files that apply to the whole tree (git's
    /// configuration, the global file, `info/exclude`, those above the
    /// root), not reported already.
    func reportTreeWideProblems(_ problems: [IgnoreProblem], _ out: inout [Change]) {
        for problem in problems where !reportedTreeWideProblems.contains(problem) {
            out.append(Change(.ignoreProblem(problem), path: FilePath(), root: root, isDirectory: false))
        }
        reportedTreeWideProblems = Set(problems)
    }

    /// A directory left the tree or went: its rules and problems go with it.
    func forgetIgnoreFiles(under path: FilePath) {
        guard ignore != nil else { return }
        ignore!.unload(under: path)
        if !reportedProblems.isEmpty {
            reportedProblems = reportedProblems.filter { !$0.key.starts(with: path) }
        }
    }
}
