import Inotify
import SystemPackage

/// What the options keep out, decided apart from acting on it: directories
/// not watched at all (``TreeWatcher/Options/excludeDirectories``,
/// ``TreeWatcher/Options/excludeDirectory``), and changes not reported (kinds
/// not asked for, paths not included or excluded). git's rules, which follow
/// the tree as it changes, are ``IgnoreState``'s.
struct ChangeFilter {
    private let excludeDirectories: [String]
    private let excludeDirectory: (@Sendable (FilePath) -> Bool)?
    private let includePaths: [String]
    private let excludePaths: [String]
    private let reported: Change.Kinds
    /// Whether a directory's exclusion needs its path, not only its name:
    /// a pattern with `/`, or code.
    let excludesDirectoriesByPath: Bool

    init(_ options: TreeWatcher.Options) {
        excludeDirectories = options.excludeDirectories
        excludeDirectory = options.excludeDirectory
        includePaths = options.includePaths
        excludePaths = options.excludePaths
        reported = options.reported
        excludesDirectoriesByPath = options.excludeDirectory != nil || options.excludeDirectories.contains { $0.contains("/") }
    }

    /// Whether the directory `name` (at `path`, made only when a pattern or
    /// code needs it) is left unwatched.
    func excludesDirectory(name: EventName, path: () -> FilePath) -> Bool {
        if excludeDirectories.contains(where: { pattern in
            pattern.contains("/") ? Directory.matches(pattern, path()) : Directory.matches(pattern, FilePath(names: [name]))
        }) {
            return true
        }
        if let excludeDirectory { return excludeDirectory(path()) }
        return false
    }

    /// Whether a change of `kind` at `path` is reported.
    func reports(_ kind: Change.Kind, at path: FilePath) -> Bool {
        guard wanted(kind) else { return false }
        if !path.isEmpty {
            if !includePaths.isEmpty && !includePaths.contains(where: { Directory.matches($0, path) }) {
                return false
            }
            if excludePaths.contains(where: { Directory.matches($0, path) }) { return false }
        }
        return true
    }

    /// Changes of kinds the options did not ask for are not reported (the
    /// watches still ask the kernel for what the tree's structure needs).
    private func wanted(_ kind: Change.Kind) -> Bool {
        guard let asked = kind.askedAs else { return true }
        return reported.contains(asked)
    }
}
