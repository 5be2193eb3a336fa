import Glibc
import Inotify
import SystemPackage

/// The git repository a directory is in, found as git finds it from a
/// working directory: the nearest directory at or above it that holds a
/// `.git`, a directory or a file naming one (`gitdir: ...`, as worktrees
/// and submodules have), never going into a directory listed in
/// `GIT_CEILING_DIRECTORIES`.
///
/// Not followed: `GIT_DIR` and `GIT_WORK_TREE`, bare repositories, and
/// git's checks that a `.git` is a valid repository (HEAD, objects) and is
/// owned by the user (safe.directory).
struct GitRepository: Sendable, Hashable {
    /// The top of the working tree: the directory holding `.git`.
    let top: FilePath
    /// The directory shared by all worktrees, where `info/exclude` and
    /// `config` are: `.git` itself except in a linked worktree.
    let commonDirectory: FilePath

    /// The repository `directory` (absolute, with no symbolic links) is in, or nil.
    static func containing(_ directory: FilePath, environment: [String: String]) -> GitRepository? {
        let ceilings = (environment["GIT_CEILING_DIRECTORIES"] ?? "")
            .split(separator: ":").map { FilePath(String($0)).lexicallyNormalized() }
        var candidate = directory
        while true {
            if let repository = at(candidate) { return repository }
            guard !candidate.removingRoot().isEmpty else { return nil }
            candidate.removeLastComponent()
            if ceilings.contains(candidate) { return nil }
        }
    }

    /// The repository whose working tree's top is `top`, if `top/.git` is one.
    private static func at(_ top: FilePath) -> GitRepository? {
        let dotGit = top.appending(".git")
        guard case .success(let info) = dotGit.withPlatformString({ Syscalls.status(of: $0, followingLinks: true) })
        else { return nil }
        let gitDirectory: FilePath
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
            gitDirectory = dotGit
        case S_IFREG:
            guard let named = gitFileTarget(dotGit) else { return nil }
            gitDirectory = named.isAbsolute ? named : top.pushing(named)
        default:
            return nil
        }
        return GitRepository(top: top, commonDirectory: commonDirectory(of: gitDirectory))
    }

    /// What a `.git` file names: its `gitdir: ` line, without the line's end.
    private static func gitFileTarget(_ file: FilePath) -> FilePath? {
        guard case .success(let contents) = FileContents.read(file, followSymbolicLinks: true) else { return nil }
        let prefix = Array("gitdir: ".utf8)
        guard contents.starts(with: prefix) else { return nil }
        var target = contents.dropFirst(prefix.count)
        while let last = target.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") { target = target.dropLast() }
        return target.isEmpty ? nil : FilePath(platformBytes: target)
    }

    /// A linked worktree's git directory names the shared one in its `commondir` file.
    private static func commonDirectory(of gitDirectory: FilePath) -> FilePath {
        guard case .success(let contents) = FileContents.read(gitDirectory.appending("commondir"), followSymbolicLinks: true)
        else { return gitDirectory }
        var named = contents[...]
        while let last = named.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") { named = named.dropLast() }
        guard !named.isEmpty else { return gitDirectory }
        let path = FilePath(platformBytes: named)
        return (path.isAbsolute ? path : gitDirectory.pushing(path)).lexicallyNormalized()
    }
}
