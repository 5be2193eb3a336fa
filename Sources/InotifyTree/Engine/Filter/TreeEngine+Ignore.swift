import Glibc
import Inotify
import SystemPackage

// git's ignore rules in the tree (Options.gitIgnore): what is ignored gets
// no watch, no listing and no change. The rules of a directory are read when
// it is listed (through the listing's descriptor, before its entries are
// judged), or, for a leaf the first scan does not list, through its parent's
// descriptor. How the rules follow the tree as it changes is in
// `TreeEngine+IgnoreWalk.swift`; what they keep, in ``IgnoreState``.

extension TreeEngine {
    static let ignoreFileName = EventName(Array(IgnoreRules.fileName.utf8))
    private static let ignoreFileSubpath = Array(IgnoreRules.fileName.utf8CString)
    /// What changes a directory's `.gitignore`.
    static let ignoreFileEvents: Inotify.EventMask = [.create, .closeWrite, .movedTo, .delete, .movedFrom]

    /// Whether `path` (relative to the root, `name` its last component) is
    /// out of the watcher's sight (``IgnoreState/hides(_:name:isDirectory:)``);
    /// never without `Options.gitIgnore`.
    func ignores(_ path: FilePath, name: EventName, isDirectory: Bool) -> Bool {
        ignore?.hides(path, name: name, isDirectory: isDirectory) ?? false
    }

    /// Reads the rules afresh, with `Options.gitIgnore` (at the start, and at
    /// a rescan, which lists the tree again): what applies to the whole tree,
    /// and its problems not reported yet. Nothing of a change is left to walk.
    func readIgnoreRules(_ out: inout [Change]) {
        guard options.gitIgnore else { return }
        let rules = IgnoreRules(root: root, environment: options.gitEnvironment ?? IgnoreRules.processEnvironment)
        if ignore == nil {
            ignore = IgnoreState(rules: rules, watchesGitDirectory: options.watchGitDirectory)
        } else {
            ignore!.restart(with: rules)
        }
        for problem in ignore!.unreportedTreeWide(rules.treeWideProblems) {
            out.append(Change(.ignoreProblem(problem), path: FilePath(), root: root, isDirectory: false))
        }
    }

    /// Reads the `.gitignore` of directory `wd` (`path` relative to the
    /// root) at `subpath` of the directory open as `fd`, and reports what is
    /// wrong in it. Reading it opens, reads and closes a file of a watched
    /// directory: OPEN, ACCESS and CLOSE_NOWRITE under the name `.gitignore`
    /// on `wd`'s watch, the watcher's own, told apart as a listing's are.
    func loadIgnoreFile(of wd: Int32, path: FilePath, from fd: CInt, at subpath: [CChar]? = nil, _ out: inout [Change]) throws {
        guard ignore != nil else { return }
        let start = countsOwnEvents ? try streamPosition() : 0
        let (problems, dataReads) = ignore!.rules.load(directory: path, from: fd, at: subpath ?? Self.ignoreFileSubpath)
        if countsOwnEvents {
            log.caused(ListingLog.OwnCounts(), on: Self.noDirectory,
                       ListingLog.OwnCounts(open: 1, access: dataReads, closeNoWrite: 1), onParent: wd,
                       name: Self.ignoreFileName, from: start, to: try streamPosition())
        }
        let file = path.appending(IgnoreRules.fileName)
        for problem in ignore!.unreported(problems, of: path) {
            out.append(Change(.ignoreProblem(problem), path: file, root: root, isDirectory: false))
        }
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

    /// A directory left the tree or went: its rules and problems go with it.
    func forgetIgnoreFiles(under path: FilePath) {
        guard ignore != nil else { return }
        ignore!.forget(under: path)
    }
}
