import Inotify
import SystemPackage

/// The lock files version control holds while it rewrites a working tree:
/// git's index lock (a checkout, a merge, a rebase step) and Mercurial's
/// working-directory lock. While one exists, a settled batch stays open, so
/// that one checkout of thousands of files is one batch, not a dozen.
struct VersionControlLock {
    /// Where each lock would be, as absolute paths: in the root, and in the
    /// directories above it (a root below a repository's top).
    let candidates: [FilePath]

    /// Where each tool's state file would be: what it replaces (git renames
    /// its index lock onto the index) or rewrites as it lets go.
    let stateFiles: [FilePath]

    static let lockFiles: [FilePath] = [".git/index.lock", ".hg/wlock"]
    static let states: [FilePath] = [".git/index", ".hg/dirstate"]

    init(root: FilePath) {
        var candidates: [FilePath] = []
        var stateFiles: [FilePath] = []
        var directory = root
        while true {
            for lock in Self.lockFiles { candidates.append(directory.pushing(lock)) }
            for state in Self.states { stateFiles.append(directory.pushing(state)) }
            guard !directory.removingLastComponent().isEmpty, directory.removingLastComponent() != directory
            else { break }
            directory.removeLastComponent()
        }
        self.candidates = candidates
        self.stateFiles = stateFiles
    }

    /// When a state file last changed (its ctime, on the real-time clock, in
    /// seconds): a lock let go since then may have covered changes not read
    /// yet. Nil where there is none.
    var stateChanged: Double? {
        stateFiles.compactMap { path -> Double? in
            path.withPlatformString { name in
                guard case .success(let info) = Syscalls.status(of: name, followingLinks: false) else { return nil }
                return Double(info.st_ctim.tv_sec) + Double(info.st_ctim.tv_nsec) / 1e9
            }
        }.max()
    }

    /// Whether a lock is held now.
    var isHeld: Bool {
        candidates.contains { path in
            path.withPlatformString { if case .success = Syscalls.status(of: $0, followingLinks: false) { true } else { false } }
        }
    }
}
