@testable import Inotify
@testable import InotifyTree
import Foundation
import InotifyTestSupport
import SystemPackage
import Testing

/// A repository to watch with `gitIgnore`: `repo` in a ``Git`` sandbox,
/// whose home, XDG configuration directory and discovery ceiling are its
/// own, so that no git configuration of the machine's user (a global
/// excludes file above all) changes a result. Made by `git init` for tests
/// that run git; otherwise by `mkdir .git`, which is all it takes for a
/// directory to be a repository's top to the watcher.
struct WatchedRepository {
    var git: Git
    let top: FilePath

    init(_ label: String, gitInit: Bool = false) throws {
        git = try Git(label)
        git.environment["XDG_CONFIG_HOME"] = git.base.appending("xdg").string
        if gitInit {
            top = try git.initRepository("repo")
        } else {
            top = git.base.appending("repo")
            try ByteFiles.makeDirectories(top.appending(".git").bytes)
        }
    }

    /// `gitIgnore` on, with the sandbox's environment.
    var options: TreeWatcher.Options {
        var options = TreeWatcher.Options()
        options.gitIgnore = true
        options.gitEnvironment = git.environment
        return options
    }

    /// The global excludes file git and the watcher read here: `$XDG_CONFIG_HOME/git/ignore`.
    var globalExcludes: FilePath { git.base.appending("xdg/git/ignore") }

    func path(_ relative: String) -> FilePath { relative.isEmpty ? top : top.appending(relative) }

    /// Makes each entry below the top: one ending in `/` a directory, any
    /// other an empty file, with the directories above it.
    ///
    /// Files in the tree are written from a descriptor table of their own
    /// (``withOwnDescriptorTable(_:)``): the other tests start processes all
    /// the time, and a copy of the descriptor held by a child delays the
    /// file's CLOSE_WRITE (for a `.gitignore`, the event that has it read
    /// again) past the marker a settle makes next.
    func make(_ entries: [String]) throws {
        let paths = entries.map { entry in (path(entry.hasSuffix("/") ? String(entry.dropLast()) : entry), entry.hasSuffix("/")) }
        try withOwnDescriptorTable {
            for (full, isDirectory) in paths {
                if isDirectory {
                    try ByteFiles.makeDirectories(full.bytes)
                } else {
                    try ByteFiles.makeDirectories(full.removingLastComponent().bytes)
                    try ByteFiles.write(full.bytes, [])
                }
            }
        }
    }

    /// Writes the file at `relative` (made, or emptied first).
    func write(_ relative: String, _ text: String) throws {
        let full = path(relative)
        try withOwnDescriptorTable { try ByteFiles.write(full, text) }
    }

    /// Appends `text` to the file at `relative`, from a descriptor table of its own (as ``make(_:)``).
    func append(_ relative: String, _ text: String) throws {
        let full = path(relative)
        try withOwnDescriptorTable { try Files.write(full, text) }
    }

    /// Replaces (or makes) the file at `relative` in one step, as an editor
    /// saving atomically does: a file written outside the tree, renamed
    /// onto it. The watcher can only ever read the old or the new text.
    func replace(_ relative: String, _ text: String) throws {
        let staged = git.base.appending("staged-\(UUID().uuidString)")
        // From a descriptor table of its own too: a copy of the staged file's
        // descriptor held by another test's child would close it, and queue
        // its CLOSE_WRITE, once it is the tree's `.gitignore`.
        try withOwnDescriptorTable { try ByteFiles.write(staged, text) }
        try Files.rename(staged, path(relative))
    }

    /// Writes a global excludes file (before the watcher starts: it is read once).
    func writeGlobalExcludes(_ text: String) throws {
        try ByteFiles.makeDirectories(globalExcludes.removingLastComponent().bytes)
        try ByteFiles.write(globalExcludes, text)
    }

    /// Every directory below the top (`.git` ones included) by inode, and the top as ".".
    func directoriesByInode() -> [UInt64: String] {
        var result: [UInt64: String] = [:]
        if let inode = inode(top) { result[inode] = "." }
        for (relative, isDirectory) in DiskTree(walking: top).entries where isDirectory {
            if let inode = inode(path(relative)) { result[inode] = relative }
        }
        return result
    }

    func inode(_ path: FilePath) -> UInt64? {
        var info = stat()
        return path.withPlatformString { lstat($0, &info) } == 0 ? UInt64(info.st_ino) : nil
    }
}

/// A watcher on a repository, its changes collected, and a way to know it
/// has caught up with the disk.
final class RepositoryWatch {
    let repository: WatchedRepository
    let watcher: TreeWatcher
    let collector: Collector
    private var marks = 0
    private var taken = 0

    init(_ repository: WatchedRepository, options: TreeWatcher.Options? = nil) throws {
        self.repository = repository
        watcher = try TreeWatcher(root: repository.top, options: options ?? repository.options)
        collector = Collector(watcher)
    }

    deinit {
        collector.stop()
        watcher.close()
    }

    static func isMarker(_ change: Change) -> Bool {
        change.path.components.count == 1 && change.path.string.hasPrefix("mark-")
    }

    /// Makes a marker file at the top and waits for its creation to be
    /// reported: the watcher has then handled every event queued before it
    /// (one kernel queue, read in order). Returns the changes since the last
    /// call (the first time: since the start), the markers' own left out.
    func settle(sourceLocation: SourceLocation = #_sourceLocation) async throws -> [Change] {
        marks += 1
        let mark = "mark-\(marks)"
        let fd = try FileDescriptor.open(repository.path(mark), .writeOnly, options: [.create], permissions: .ownerReadWrite)
        try fd.close()
        let isMark = { (change: Change) in change.kind == .created && change.path.string == mark }
        let seen = await collector.wait { $0.contains(where: isMark) }
        let all = collector.changes
        #expect(seen, "marker \(mark) never reported; changes: \(all[taken...])", sourceLocation: sourceLocation)
        let end = all.firstIndex(where: isMark).map { $0 + 1 } ?? all.count
        defer { taken = end }
        return all[taken..<end].filter { !Self.isMarker($0) }
    }

    /// The directories whose inodes the watcher's kernel watches hold, by
    /// their path ("." for the top), sorted; a watch twice on one directory
    /// shows twice, one on an inode not below the top by its number.
    func watchedDirectories() -> [String] {
        let byInode = repository.directoriesByInode()
        return Files.kernelWatchedInodes(watcher.inotify.fileDescriptor)
            .map { byInode[$0] ?? "<inode \($0), not in the tree>" }
            .sorted()
    }

    /// What differs between the watched directories and `expected`, by the
    /// kernel's own list of watches and by the watcher's count; nil if nothing.
    func watchMismatch(_ expected: [String]) -> String? {
        let found = watchedDirectories()
        var differences: [String] = []
        if found != expected.sorted() {
            let missing = Set(expected).subtracting(found).sorted()
            let extra = found.filter { !expected.contains($0) }
            differences.append("watched: missing \(shortened(missing)), not expected \(shortened(extra))")
            let twice = Dictionary(grouping: found) { $0 }.filter { $0.value.count > 1 }.keys.sorted()
            if !twice.isEmpty { differences.append("watched twice: \(shortened(twice))") }
        }
        if watcher.watchedDirectories != expected.count {
            differences.append("the watcher counts \(watcher.watchedDirectories) watched directories, expected \(expected.count)")
        }
        return differences.isEmpty ? nil : differences.joined(separator: "; ")
    }

    /// That exactly `expected` is watched.
    func expectWatched(_ expected: [String], _ comment: String = "", sourceLocation: SourceLocation = #_sourceLocation) {
        let mismatch = watchMismatch(expected)
        #expect(mismatch == nil, "\(comment) \(mismatch ?? "")", sourceLocation: sourceLocation)
    }
}

/// At most 12 of `paths`, and how many there are: 20,000 would drown a failure message.
func shortened(_ paths: [String]) -> String {
    paths.count <= 12 ? "\(paths)" : "\(paths.prefix(12)) and \(paths.count - 12) more"
}

/// The changes that say what the tree holds, as compared by these tests
/// (`created a/ (scan)`, `moved a -> b`, `movedOut c/`): contents and
/// metadata changes left out, and so are the `.gitignore` files' own
/// creations, edits and deletions, which are reported as any file's.
func structural(_ changes: [Change]) -> [String] {
    changes.filter { change in
        switch change.kind {
        case .modified, .attributesChanged, .closedAfterWrite: return false
        case .ignoreProblem: return true
        default: return change.path.lastComponent?.string != IgnoreRules.fileName
        }
    }.map(\.description)
}

/// Paths that some change names (a move's source included).
func namedPaths(_ changes: [Change]) -> Set<String> {
    var paths: Set<String> = []
    for change in changes {
        paths.insert(change.path.string)
        if case .moved(let from) = change.kind { paths.insert(from.string) }
    }
    return paths
}

/// Whether every path made `created` in `changes` comes after its parent's
/// creation, where the parent's is among them too: a consumer can build the
/// tree in order.
func parentsComeFirst(_ changes: [Change]) -> Bool {
    var seen: Set<String> = []
    let created = Set(changes.filter { $0.kind == .created || $0.kind == .movedIn }.map(\.path.string))
    for change in changes where change.kind == .created || change.kind == .movedIn {
        let parent = change.path.removingLastComponent().string
        if created.contains(parent) && !seen.contains(parent) { return false }
        seen.insert(change.path.string)
    }
    return true
}
