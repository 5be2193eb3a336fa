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
    private let events: Inotify.EventMask
    /// Whether a directory's exclusion needs its path, not only its name:
    /// a pattern with `/`, or code.
    let excludesDirectoriesByPath: Bool

    init(_ options: TreeWatcher.Options) {
        excludeDirectories = options.excludeDirectories
        excludeDirectory = options.excludeDirectory
        includePaths = options.includePaths
        excludePaths = options.excludePaths
        events = options.events
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
        switch kind {
        case .created: events.contains(.create)
        case .deleted: events.contains(.delete)
        case .moved, .movedIn, .movedOut: !events.isDisjoint(with: .move)
        case .modified: events.contains(.modify)
        case .attributesChanged: events.contains(.attrib)
        case .closedAfterWrite: events.contains(.closeWrite)
        case .other: true  // built only from events asked for
        case .rootDeleted, .rootMoved, .unmounted, .overflow, .rescanned, .unwatched, .ignoreProblem, .becameIgnored: true
        }
    }
}
