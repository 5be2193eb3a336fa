import Glibc
import Inotify
import SystemPackage

/// Which paths of a watched tree git ignores: the answer of
/// `git check-ignore --no-index` for every path below the root, from the
/// same files.
///
/// ```swift
/// var rules = IgnoreRules(root: "/src/project")
/// rules.load(directory: "")                    // the root's own .gitignore
/// rules.load(directory: "Sources")             // each directory as it is listed
/// rules.isIgnored("Sources/.build", isDirectory: true)
/// rules.problems                               // patterns git can never match, unreadable files
/// ```
///
/// What applies, first match deciding:
/// 1. The `.gitignore` of the path's directory, then of each directory above
///    it, deepest first, up to the top of the repository: those in the tree
///    as ``load(directory:)`` reads them, those between the repository's top
///    and the root once, by the initializer. Within a file the last
///    matching line wins.
/// 2. The repository's `info/exclude`.
/// 3. The user's global excludes file: git's `core.excludesFile`, else
///    `$XDG_CONFIG_HOME/git/ignore` (`$HOME/.config/git/ignore` where
///    `XDG_CONFIG_HOME` is unset or empty).
///
/// A matching negated pattern (`!`) decides too: the path is not ignored.
/// Everything inside an ignored directory is ignored, whatever the files
/// deeper down say: git does not look into an ignored directory, so it
/// cannot re-include anything there. A directory's own `.gitignore` never
/// applies to the directory itself.
///
/// The root may be the top of a repository or any directory inside one (the
/// nearest directory at or above the root that holds `.git`): the
/// `.gitignore` files of the directories between the top and the root then
/// apply too, each to paths relative to its own directory, and the root
/// itself is ignored, with all below it, where those files or the exclude
/// files ignore it or a directory above it. A root in no repository has no
/// `info/exclude` and nothing above it: only the `.gitignore` files at and
/// below the root and the global file apply, as if the root were the top
/// of a repository.
///
/// Names are compared byte for byte and case-sensitively (git's default
/// where `core.ignoreCase` is off, as on Linux filesystems); `.git` gets no
/// special treatment (git never reports it, as it never lists it).
///
/// Cost: a directory with no `.gitignore` holds no memory, and loading it is
/// one failed open. ``isIgnored(_:isDirectory:ancestorsChecked:)`` allocates
/// nothing on the heap for paths of usual length (what it needs is on the
/// stack); ``match(_:isDirectory:)`` allocates its answer. A question costs
/// one pattern test per pattern that applies, for the path and for each
/// directory above it, or for the path alone with `ancestorsChecked`.
public struct IgnoreRules: Sendable {
    /// The name of the per-directory ignore file: what a watcher looks out
    /// for, to call ``load(directory:)`` when one is made, edited or replaced
    /// and ``unload(directory:)`` when it goes.
    public static let fileName = ".gitignore"

    /// The tree's root, absolute.
    public let root: FilePath
    /// The top of the repository the root is in (no symbolic links), or nil outside one.
    public let repositoryTop: FilePath?

    /// The root's bytes, for opening the files below it.
    private let rootBytes: [UInt8]
    /// The root relative to the repository's top, without slashes at either
    /// end: empty where the root is the top or in no repository.
    private let rootInTop: [UInt8]
    /// The `.gitignore` files from the repository's top down to the root's parent.
    private let above: [IgnoreFile]
    /// What ignores the root itself, and so everything in the tree.
    private let rootMatch: IgnoreMatch?
    private let repositoryExclude: IgnoreFile?
    private let globalExclude: IgnoreFile?
    /// Problems of the configuration and of the files read by the initializer.
    private let initialProblems: [IgnoreProblem]

    /// A loaded `.gitignore` of the tree, and its directory relative to the root.
    private struct Loaded: Sendable {
        let directory: [UInt8]
        let file: IgnoreFile
    }

    private var loaded: [Loaded] = []
    /// Positions in `loaded` by the digest of their directory; a list for
    /// the rare digests that two directories share.
    private var loadedByDigest: [UInt64: [Int]] = [:]
    /// One bit per loaded directory's digest (see ``filterBit(_:)``): a
    /// clear bit tells that a directory has no loaded file, without hashing.
    private var digestFilter: UInt64 = 0

    /// Where a decision came from, without building its ``IgnoreMatch``.
    private enum Source { case loaded(Int), above(Int), repository, global }
    private struct Found {
        let source: Source
        let pattern: Int
    }

    /// Finds the repository `root` is in, and reads what applies to the whole
    /// tree: the configuration, the global excludes file, `info/exclude` and
    /// the `.gitignore` files between the repository's top and the root. The
    /// root's own `.gitignore` and those below it are read by
    /// ``load(directory:)``.
    ///
    /// `environment`: where `HOME`, `XDG_CONFIG_HOME`, `GIT_CONFIG_GLOBAL` and
    /// `GIT_CEILING_DIRECTORIES` are looked up; the process's own by default.
    /// Never fails: a file that cannot be read is one of ``problems``.
    public init(root: FilePath, environment: [String: String] = IgnoreRules.processEnvironment) {
        let absolute = root.isAbsolute ? root : Self.currentDirectory().pushing(root)
        self.root = absolute.lexicallyNormalized()
        rootBytes = self.root.platformBytes
        let canonical = Self.realPath(self.root) ?? self.root
        let repository = GitRepository.containing(canonical, environment: environment)
        repositoryTop = repository?.top
        var problems: [IgnoreProblem] = []

        let global = GitConfigExcludes.globalExcludesFile(
            environment: environment,
            repositoryConfig: repository.map { $0.commonDirectory.appending("config") },
            top: repository?.top ?? canonical)
        problems += global.problems
        let globalExclude = global.file.flatMap { Self.readWhole($0, base: [], followSymbolicLinks: true, into: &problems) }
        let repositoryExclude = repository.flatMap {
            Self.readWhole($0.commonDirectory.appending("info/exclude"), base: [], followSymbolicLinks: true, into: &problems)
        }
        self.globalExclude = globalExclude
        self.repositoryExclude = repositoryExclude

        var above: [IgnoreFile] = []
        var rootInTop: [UInt8] = []
        var rootMatch: IgnoreMatch? = nil
        if let top = repository?.top, top != canonical {
            var relative = canonical
            _ = relative.removePrefix(top)
            rootInTop = relative.platformBytes
            // Down from the top as git goes: each directory is first matched
            // against the files above it, and only read when not ignored.
            var directory = top
            var directoryInTop: [UInt8] = []
            for component in relative.components {
                if let file = Self.readWhole(directory.appending(Self.fileName), base: directoryInTop,
                                             followSymbolicLinks: false, into: &problems) {
                    above.append(file)
                }
                directory.append(component)
                let nameStart = directoryInTop.isEmpty ? 0 : directoryInTop.count + 1
                directoryInTop = Self.joined(directoryInTop, FilePath(root: nil, [component]).platformBytes)
                let decided = directoryInTop.withUnsafeBufferPointer { path in
                    Self.firstMatch(path, nameStart: nameStart, isDirectory: true,
                                    files: above, exclude: repositoryExclude, global: globalExclude)
                }
                if let decided, decided.isIgnored {
                    rootMatch = decided
                    break
                }
            }
        }
        self.above = above
        self.rootInTop = rootInTop
        self.rootMatch = rootMatch
        initialProblems = problems
    }

    // MARK: Loading

    /// Reads, or reads again after a change, the `.gitignore` of `directory`
    /// (relative to the root; empty for the root itself) and returns its
    /// problems. A missing file forgets what was loaded for the directory,
    /// so this is also the answer to its deletion; a file with no patterns
    /// and no problems is not kept.
    @discardableResult
    public mutating func load(directory: FilePath) -> [IgnoreProblem] {
        let relative = relativeBytes(directory)
        let base = Self.joined(rootInTop, relative)
        let reading = withFilePath(directory: relative) { path in
            IgnoreFile.read(path, base: base, followSymbolicLinks: false)
        }
        return apply(reading, at: relative, base: base)
    }

    /// ``load(directory:)`` through a descriptor: the `.gitignore` at
    /// `subpath` (`.gitignore`, or `name/.gitignore` for a directory `name`
    /// in it) of the directory open as `descriptor`, which the tree watcher
    /// holds. The file read is the one in the directory it has listed,
    /// whatever has been renamed above it meanwhile. Also says how many
    /// read(2) calls returned bytes.
    mutating func load(
        directory: FilePath, from descriptor: CInt, at subpath: [CChar]
    ) -> (problems: [IgnoreProblem], dataReads: Int) {
        let relative = relativeBytes(directory)
        let base = Self.joined(rootInTop, relative)
        let shown = withFilePath(directory: relative) { FilePath(platformString: $0) }
        let reading = subpath.withUnsafeBufferPointer {
            IgnoreFile.read($0.baseAddress!, in: descriptor, shownAs: shown, base: base, followSymbolicLinks: false)
        }
        var dataReads = 0
        if case .file(let file) = reading { dataReads = (file.size + FileContents.chunkSize - 1) / FileContents.chunkSize }
        return (apply(reading, at: relative, base: base), dataReads)
    }

    private mutating func apply(_ reading: IgnoreFile.Reading, at relative: [UInt8], base: [UInt8]) -> [IgnoreProblem] {
        switch reading {
        case .missing:
            remove(relative)
            return []
        case .unreadable(let problem):
            // Kept as a file without patterns, so that its problem is reported until it is fixed.
            store(IgnoreFile(path: problem.file, base: base, contents: [], problems: [problem]), at: relative)
            return [problem]
        case .file(let file):
            if file.patterns.isEmpty && file.problems.isEmpty {
                remove(relative)
            } else {
                store(file, at: relative)
            }
            return file.problems
        }
    }

    /// Forgets the `.gitignore` of `directory`: the directory was removed,
    /// or its `.gitignore` was.
    public mutating func unload(directory: FilePath) {
        remove(relativeBytes(directory))
    }

    /// Forgets the `.gitignore` files of `directory` and of every directory
    /// below it: the directory left the tree, or was deleted.
    mutating func unload(under directory: FilePath) {
        let relative = relativeBytes(directory)
        for directory in loaded.map(\.directory) where Self.isAtOrBelow(directory, relative) {
            remove(directory)
        }
    }

    /// The `.gitignore` files of `directory` and below, renamed to `target`
    /// with it: their anchored patterns now start from the new place.
    mutating func move(directory: FilePath, to target: FilePath) {
        let from = relativeBytes(directory)
        let to = relativeBytes(target)
        let moving = loaded.filter { Self.isAtOrBelow($0.directory, from) }
        guard !moving.isEmpty else { return }
        for entry in moving { remove(entry.directory) }
        for entry in moving {
            let newDirectory = to + entry.directory.dropFirst(from.count)
            let path = withFilePath(directory: newDirectory) { FilePath(platformString: $0) }
            store(entry.file.rebased(path: path, base: Self.joined(rootInTop, newDirectory)), at: newDirectory)
        }
    }

    /// Whether `directory` is `ancestor` or below it (both relative to the root).
    private static func isAtOrBelow(_ directory: [UInt8], _ ancestor: [UInt8]) -> Bool {
        if ancestor.isEmpty { return true }
        guard directory.starts(with: ancestor) else { return false }
        return directory.count == ancestor.count || directory[ancestor.count] == UInt8(ascii: "/")
    }

    /// The problems of git's configuration and of the files that apply to
    /// the whole tree: the global file, `info/exclude`, those above the root.
    var treeWideProblems: [IgnoreProblem] { initialProblems }

    /// Every problem found in the files that apply now, the configuration's
    /// and the tree-wide files' first, then the loaded ones' by file and line.
    public var problems: [IgnoreProblem] {
        initialProblems + loaded.flatMap(\.file.problems).sorted {
            ($0.file.string, $0.line) < ($1.file.string, $1.line)
        }
    }

    /// Every ignore file that applies now: the global excludes file,
    /// `info/exclude`, those above the root, then the loaded ones by path.
    public var files: [FilePath] {
        [globalExclude?.path, repositoryExclude?.path].compactMap { $0 } + above.map(\.path)
            + loaded.map(\.file.path).sorted { $0.string < $1.string }
    }

    /// The digest of the `.gitignore` held for `directory` (see
    /// ``IgnoreFile/digest``), nil where none is: whether reading it again
    /// changed anything.
    func digest(ofDirectory directory: FilePath) -> Int? {
        position(of: relativeBytes(directory)).map { loaded[$0].file.digest }
    }

    /// How many `.gitignore` files of the tree are held.
    public var loadedCount: Int { loaded.count }

    private mutating func store(_ kept: IgnoreFile, at directory: [UInt8]) {
        if let index = position(of: directory) {
            loaded[index] = Loaded(directory: directory, file: kept)
        } else {
            let digest = Self.digest(directory)
            loadedByDigest[digest, default: []].append(loaded.count)
            digestFilter |= Self.filterBit(digest)
            loaded.append(Loaded(directory: directory, file: kept))
        }
    }

    private mutating func remove(_ directory: [UInt8]) {
        guard let index = position(of: directory) else { return }
        Self.forget(index, digest: Self.digest(directory), in: &loadedByDigest)
        let last = loaded.count - 1
        if index != last {
            // The last one moves into the hole.
            let moved = Self.digest(loaded[last].directory)
            Self.forget(last, digest: moved, in: &loadedByDigest)
            loadedByDigest[moved, default: []].append(index)
            loaded.swapAt(index, last)
        }
        loaded.removeLast()
        digestFilter = loadedByDigest.keys.reduce(0) { $0 | Self.filterBit($1) }
    }

    private static func forget(_ index: Int, digest: UInt64, in table: inout [UInt64: [Int]]) {
        table[digest]?.removeAll { $0 == index }
        if table[digest]?.isEmpty == true { table[digest] = nil }
    }

    private func position(of directory: [UInt8]) -> Int? {
        let digest = Self.digest(directory)
        return directory.withUnsafeBufferPointer { directory in
            loaded.withUnsafeBufferPointer { position(of: directory, digest: digest, in: $0) }
        }
    }

    // MARK: Questions

    /// Whether git ignores `path` (relative to the root; a directory when
    /// `isDirectory`, which changes what patterns ending in `/` do: pass
    /// false for a symbolic link to a directory, as git does).
    ///
    /// `ancestorsChecked`: the caller knows that no directory above `path`
    /// is ignored (a walk that never enters an ignored directory knows it),
    /// so only `path` itself is matched.
    public func isIgnored(_ path: FilePath, isDirectory: Bool, ancestorsChecked: Bool = false) -> Bool {
        path.withPlatformString { pointer in
            let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: strlen(pointer))
            return isIgnored(bytes: bytes, isDirectory: isDirectory, ancestorsChecked: ancestorsChecked)
        }
    }

    /// ``isIgnored(_:isDirectory:ancestorsChecked:)`` for a path's bytes:
    /// names separated by single slashes, none at either end, no `.` or `..`.
    public func isIgnored(bytes path: UnsafeBufferPointer<UInt8>, isDirectory: Bool, ancestorsChecked: Bool = false) -> Bool {
        if let rootMatch { return rootMatch.isIgnored }
        guard let found = find(path, isDirectory: isDirectory, ancestorsChecked: ancestorsChecked) else { return false }
        return !pattern(of: found).isNegated
    }

    /// The pattern that decides about `path`, negated or not, as
    /// `git check-ignore -v` reports it (for a path inside an ignored
    /// directory: the pattern that ignores the directory); nil where none does.
    public func match(_ path: FilePath, isDirectory: Bool) -> IgnoreMatch? {
        if let rootMatch { return rootMatch }
        let bytes = relativeBytes(path)
        let found = bytes.withUnsafeBufferPointer { find($0, isDirectory: isDirectory, ancestorsChecked: false) }
        return found.map { file(of: $0.source).match(at: $0.pattern) }
    }

    private func file(of source: Source) -> IgnoreFile {
        switch source {
        case .loaded(let index): loaded[index].file
        case .above(let index): above[index]
        case .repository: repositoryExclude!
        case .global: globalExclude!
        }
    }

    private func pattern(of found: Found) -> IgnorePattern {
        file(of: found.source).patterns[found.pattern]
    }

    /// The decision about `path` (relative to the root), walking down from
    /// the root as git does: each directory above the path is matched
    /// against the files above it, and if one is ignored, that decides.
    private func find(_ path: UnsafeBufferPointer<UInt8>, isDirectory: Bool, ancestorsChecked: Bool) -> Found? {
        guard !path.isEmpty else { return nil }
        let slashes = path.reduce(0) { $0 + ($1 == UInt8(ascii: "/") ? 1 : 0) }
        return withPathInTop(path) { full, offset in
            loaded.withUnsafeBufferPointer { loaded in
                withUnsafeTemporaryAllocation(of: Int.self, capacity: slashes + 1) { levels -> Found? in
                    var depth = 0
                    var digest = Self.digestStart
                    if let index = position(of: UnsafeBufferPointer(rebasing: path[0..<0]), digest: digest, in: loaded) {
                        levels[depth] = index
                        depth += 1
                    }
                    var nameStart = 0
                    for i in 0..<path.count {
                        let byte = path[i]
                        if byte == UInt8(ascii: "/") {
                            if !ancestorsChecked,
                               let found = firstMatch(UnsafeBufferPointer(rebasing: full[0..<(offset + i)]), nameStart: offset + nameStart,
                                                      isDirectory: true, levels: UnsafeBufferPointer(rebasing: levels[0..<depth]), loaded),
                               !pattern(of: found).isNegated {
                                return found
                            }
                            if let index = position(of: UnsafeBufferPointer(rebasing: path[0..<i]), digest: digest, in: loaded) {
                                levels[depth] = index
                                depth += 1
                            }
                            nameStart = i + 1
                        }
                        digest = Self.digest(digest, byte)
                    }
                    return firstMatch(full, nameStart: offset + nameStart, isDirectory: isDirectory,
                                      levels: UnsafeBufferPointer(rebasing: levels[0..<depth]), loaded)
                }
            }
        }
    }

    /// The loaded file of `directory`, whose digest is `digest`, if any. The
    /// filter answers most directories, which have no file, without a lookup.
    @inline(__always)
    private func position(
        of directory: UnsafeBufferPointer<UInt8>, digest: UInt64, in loaded: UnsafeBufferPointer<Loaded>
    ) -> Int? {
        guard digestFilter & Self.filterBit(digest) != 0, let candidates = loadedByDigest[digest] else { return nil }
        for index in candidates where loaded[index].directory.elementsEqual(directory) { return index }
        return nil
    }

    /// The first file that has a matching pattern, in the order of precedence:
    /// the loaded files at `levels` deepest first, those above the root, `info/exclude`, the global file.
    private func firstMatch(
        _ path: UnsafeBufferPointer<UInt8>, nameStart: Int, isDirectory: Bool, levels: UnsafeBufferPointer<Int>,
        _ loaded: UnsafeBufferPointer<Loaded>
    ) -> Found? {
        for level in levels.reversed() {
            if let pattern = loaded[level].file.lastMatch(path, nameStart: nameStart, isDirectory: isDirectory) {
                return Found(source: .loaded(level), pattern: pattern)
            }
        }
        let aboveMatch = above.withUnsafeBufferPointer { above -> Found? in
            for index in above.indices.reversed() {
                if let pattern = above[index].lastMatch(path, nameStart: nameStart, isDirectory: isDirectory) {
                    return Found(source: .above(index), pattern: pattern)
                }
            }
            return nil
        }
        if let aboveMatch { return aboveMatch }
        if let pattern = repositoryExclude?.lastMatch(path, nameStart: nameStart, isDirectory: isDirectory) {
            return Found(source: .repository, pattern: pattern)
        }
        if let pattern = globalExclude?.lastMatch(path, nameStart: nameStart, isDirectory: isDirectory) {
            return Found(source: .global, pattern: pattern)
        }
        return nil
    }

    /// ``firstMatch(_:nameStart:isDirectory:levels:)`` for the initializer's walk above the root.
    private static func firstMatch(
        _ path: UnsafeBufferPointer<UInt8>, nameStart: Int, isDirectory: Bool,
        files: [IgnoreFile], exclude: IgnoreFile?, global: IgnoreFile?
    ) -> IgnoreMatch? {
        for file in files.reversed() {
            if let index = file.lastMatch(path, nameStart: nameStart, isDirectory: isDirectory) { return file.match(at: index) }
        }
        for file in [exclude, global].compactMap({ $0 }) {
            if let index = file.lastMatch(path, nameStart: nameStart, isDirectory: isDirectory) { return file.match(at: index) }
        }
        return nil
    }

    /// Calls `body` with the path relative to the repository's top (the
    /// root's place in it, then `path`) and where `path` starts in it.
    private func withPathInTop<R>(
        _ path: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>, Int) -> R
    ) -> R {
        if rootInTop.isEmpty { return body(path, 0) }
        let offset = rootInTop.count + 1
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: offset + path.count) { buffer in
            _ = buffer.initialize(from: rootInTop)
            buffer[rootInTop.count] = UInt8(ascii: "/")
            _ = UnsafeMutableBufferPointer(rebasing: buffer[offset...]).initialize(from: path)
            return body(UnsafeBufferPointer(buffer), offset)
        }
    }

    // MARK: Paths

    /// `directory`'s bytes relative to the root: empty for the root (`""` or `.`).
    private func relativeBytes(_ directory: FilePath) -> [UInt8] {
        var relative = directory
        if relative.isAbsolute { _ = relative.removePrefix(root) }
        relative = relative.lexicallyNormalized()
        if relative.string == "." { return [] }
        return relative.platformBytes
    }

    /// Calls `body` with `<root>/<directory>/.gitignore` as a C string, built on the stack where it fits.
    private func withFilePath<R>(directory: [UInt8], _ body: (UnsafePointer<CChar>) -> R) -> R {
        let name = Array(Self.fileName.utf8)
        let length = rootBytes.count + 1 + directory.count + (directory.isEmpty ? 0 : 1) + name.count + 1
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: length) { buffer in
            buffer.withMemoryRebound(to: UInt8.self) { bytes in
                var at = 0
                func put(_ part: [UInt8]) {
                    _ = UnsafeMutableBufferPointer(rebasing: bytes[at...]).initialize(from: part)
                    at += part.count
                }
                put(rootBytes)
                put([UInt8(ascii: "/")])
                if !directory.isEmpty { put(directory); put([UInt8(ascii: "/")]) }
                put(name)
                bytes[at] = 0
            }
            return body(UnsafePointer(buffer.baseAddress!))
        }
    }

    private static func joined(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        a.isEmpty ? b : b.isEmpty ? a : a + [UInt8(ascii: "/")] + b
    }

    /// Reads a file that applies to the whole tree, adding its problems, or why it could not be read, to `problems`.
    private static func readWhole(
        _ path: FilePath, base: [UInt8], followSymbolicLinks: Bool, into problems: inout [IgnoreProblem]
    ) -> IgnoreFile? {
        switch IgnoreFile.read(path, base: base, followSymbolicLinks: followSymbolicLinks) {
        case .file(let file):
            problems += file.problems
            return file.patterns.isEmpty ? nil : file
        case .missing:
            return nil
        case .unreadable(let problem):
            problems.append(problem)
            return nil
        }
    }

    // FNV-1a: a directory's digest is built a byte at a time while the path is walked.
    private static let digestStart: UInt64 = 0xCBF2_9CE4_8422_2325
    @inline(__always)
    private static func digest(_ digest: UInt64, _ byte: UInt8) -> UInt64 {
        (digest ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }
    private static func digest(_ bytes: [UInt8]) -> UInt64 {
        bytes.reduce(digestStart, digest)
    }
    /// The digest's top six bits pick its bit of the filter.
    @inline(__always)
    private static func filterBit(_ digest: UInt64) -> UInt64 { 1 << (digest >> 58) }

    // MARK: The process

    /// The variables the rules read, from the process's environment.
    public static var processEnvironment: [String: String] {
        var environment: [String: String] = [:]
        for name in ["HOME", "XDG_CONFIG_HOME", "GIT_CONFIG_GLOBAL", "GIT_CEILING_DIRECTORIES"] {
            if let value = getenv(name) { environment[name] = String(cString: value) }
        }
        return environment
    }

    private static func currentDirectory() -> FilePath {
        (try? Syscalls.currentDirectory().get()) ?? "/"
    }

    /// `path` with every symbolic link resolved, as git sees its working directory; nil if it does not exist.
    private static func realPath(_ path: FilePath) -> FilePath? {
        try? path.withPlatformString { Syscalls.realPath($0) }.get()
    }
}
