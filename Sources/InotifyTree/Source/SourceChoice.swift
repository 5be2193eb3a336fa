import Inotify
import SystemPackage

extension TreeWatcher {
    /// What watches a tree made with ``TreeWatcher/init(root:options:)``
    /// (``Options/source``).
    public enum SourceKind: String, Sendable, Hashable, CustomStringConvertible {
        /// inotify: a watch on every directory (``InotifySource``). The default.
        case inotify
        /// fanotify: one filesystem mark for the whole tree
        /// (``FanotifySource``); the watcher fails where it cannot be had.
        case fanotify
        /// fanotify where it can be had (CAP_SYS_ADMIN, a kernel that reports
        /// names and renames, a filesystem with file handles, options it
        /// follows), else inotify; ``TreeWatcher/sourceChoice`` says which and why.
        case automatic

        /// `inotify`, `fanotify`, `automatic`.
        public var description: String { rawValue }
    }

    /// The source a watcher uses, and why.
    public struct SourceChoice: Sendable, Hashable, CustomStringConvertible {
        /// `.inotify` or `.fanotify` (never `.automatic`); nil for a watcher
        /// made from a source of another kind.
        public let kind: SourceKind?
        /// Why: asked for, or what ruled fanotify out.
        public let reason: String

        /// `fanotify (a filesystem mark: asked for)`.
        public var description: String {
            let name = kind.map { "\($0)" } ?? "a source of its own"
            return "\(name) (\(reason))"
        }
    }

    /// Makes the source `options` ask for, probing fanotify for `.automatic`.
    static func makeSource(root: FilePath, options: Options) throws -> (any ChangeSource, SourceChoice) {
        switch options.source {
        case .inotify:
            return (try InotifySource(root: root, options: options), SourceChoice(kind: .inotify, reason: "asked for"))
        case .fanotify:
            return (
                try FanotifySource(root: root, options: options),
                SourceChoice(kind: .fanotify, reason: "one filesystem mark, asked for")
            )
        case .automatic:
            if let unsupported = FanotifySource.unsupportedOption(in: options) {
                return (
                    try InotifySource(root: root, options: options),
                    SourceChoice(kind: .inotify, reason: "fanotify does not follow \(unsupported.option)")
                )
            }
            do {
                return (
                    try FanotifySource(root: root, options: options),
                    SourceChoice(kind: .fanotify, reason: "one filesystem mark: fanotify is permitted here")
                )
            } catch let error as Fanotify.Error {
                return (
                    try InotifySource(root: root, options: options),
                    SourceChoice(kind: .inotify, reason: "fanotify cannot be had: \(error)")
                )
            }
        }
    }
}
