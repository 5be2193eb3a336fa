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

    static let lockFiles: [FilePath] = [".git/index.lock", ".hg/wlock"]

    init(root: FilePath) {
        var candidates: [FilePath] = []
        var directory = root
        while true {
            for lock in Self.lockFiles { candidates.append(directory.pushing(lock)) }
            guard !directory.removingLastComponent().isEmpty, directory.removingLastComponent() != directory
            else { break }
            directory.removeLastComponent()
        }
        self.candidates = candidates
    }

    /// Whether a lock is held now.
    var isHeld: Bool {
        candidates.contains { path in
            path.withPlatformString { if case .success = Syscalls.status(of: $0, followingLinks: false) { true } else { false } }
        }
    }
}
