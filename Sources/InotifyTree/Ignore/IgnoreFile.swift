import Glibc
import SystemPackage

/// The patterns of one ignore file (a `.gitignore`, `info/exclude` or the
/// global excludes file), in line order, with the file they came from and
/// the problems found in it.
///
/// Within a file the last matching line decides, negated or not: git reads
/// the patterns from the end and stops at the first that matches.
struct IgnoreFile: Sendable {
    /// Where the file was read from.
    let path: FilePath
    /// The directory the patterns are relative to, relative to the top of
    /// the repository (or of the tree, outside one), without a trailing
    /// slash; empty for the top, `info/exclude` and the global file.
    let base: [UInt8]
    let patterns: [IgnorePattern]
    let problems: [IgnoreProblem]
    /// How many bytes were read.
    let size: Int
    /// A digest of what was read: whether a file read again says anything new.
    let digest: Int
    /// Every pattern's bytes, one after the other, and what matching needs
    /// of each: what ``lastMatch(_:nameStart:isDirectory:)`` reads.
    private let storage: [UInt8]
    private let matchers: [IgnorePattern.Matcher]

    /// The file `path` holding `contents`, split into lines as git splits
    /// them: at LF only, a UTF-8 byte order mark at the start skipped, a
    /// last line without LF read all the same. `problems`: what was found
    /// before its contents, such as why there are none.
    init(path: FilePath, base: [UInt8], contents: [UInt8], problems: [IgnoreProblem] = []) {
        self.path = path
        self.base = base
        size = contents.count
        var hasher = Hasher()
        hasher.combine(contents)
        digest = hasher.finalize()
        var patterns: [IgnorePattern] = []
        var problems = problems
        var body = contents[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        var number = 1
        var lineStart = body.startIndex
        while lineStart <= body.endIndex {
            let lineEnd = body[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? body.endIndex
            if let pattern = IgnorePattern(line: body[lineStart..<lineEnd], number: number) {
                if let defect = pattern.defect {
                    problems.append(IgnoreProblem(file: path, line: number, message: defect))
                }
                patterns.append(pattern)
            }
            number += 1
            lineStart = lineEnd + 1
        }
        self.patterns = patterns
        self.problems = problems
        var storage: [UInt8] = []
        var matchers: [IgnorePattern.Matcher] = []
        for pattern in patterns {
            matchers.append(pattern.matcher(start: storage.count))
            storage += pattern.bytes
        }
        self.storage = storage
        self.matchers = matchers
    }

    /// What reading an ignore file found.
    enum Reading {
        case file(IgnoreFile)
        /// Nothing there: the usual case, reported to nobody.
        case missing
        /// There, but not read: said why.
        case unreadable(IgnoreProblem)
    }

    /// Reads the ignore file at `path` (a C string, relative to the
    /// directory open as `directory` unless absolute; `shownAs` is the path
    /// its problems name, `path` itself when nil). A `.gitignore` in the
    /// tree is read without following a symbolic link, as git (since 2.32)
    /// reads it; `info/exclude` and the global file are followed.
    static func read(
        _ path: UnsafePointer<CChar>, in directory: CInt = AT_FDCWD, shownAs: FilePath? = nil, base: [UInt8],
        followSymbolicLinks: Bool
    ) -> Reading {
        let shown = { shownAs ?? FilePath(platformString: path) }
        switch FileContents.read(path, in: directory, followSymbolicLinks: followSymbolicLinks) {
        case .success(let contents):
            return .file(IgnoreFile(path: shown(), base: base, contents: contents))
        case .failure(.missing):
            return .missing
        case .failure(let failure):
            let message: String
            switch failure {
            case .symbolicLink: message = "is a symbolic link, which git does not follow for a \(IgnoreRules.fileName) in the tree: its patterns do not apply"
            case .notRegularFile: message = "is not a regular file: not read, and git reads no patterns from it either"
            case .error(let errno): message = "cannot be read (\(errno)): its patterns do not apply"
            case .missing: return .missing
            }
            return .unreadable(IgnoreProblem(file: shown(), line: 0, message: message))
        }
    }

    /// The same patterns read from `path`, relative to `base`: the file's
    /// directory was renamed, and its anchored patterns follow it.
    func rebased(path: FilePath, base: [UInt8]) -> IgnoreFile {
        IgnoreFile(path: path, base: base, patterns: patterns,
                   problems: problems.map { IgnoreProblem(file: path, line: $0.line, message: $0.message) },
                   size: size, digest: digest, storage: storage, matchers: matchers)
    }

    private init(
        path: FilePath, base: [UInt8], patterns: [IgnorePattern], problems: [IgnoreProblem], size: Int, digest: Int,
        storage: [UInt8], matchers: [IgnorePattern.Matcher]
    ) {
        self.path = path
        self.base = base
        self.size = size
        self.digest = digest
        self.patterns = patterns
        self.problems = problems
        self.storage = storage
        self.matchers = matchers
    }

    /// ``read(_:in:shownAs:base:followSymbolicLinks:)`` for a `FilePath`.
    static func read(_ path: FilePath, base: [UInt8], followSymbolicLinks: Bool) -> Reading {
        path.withPlatformString { read($0, base: base, followSymbolicLinks: followSymbolicLinks) }
    }

    /// The index in ``patterns`` of the last pattern matching `path` (see
    /// ``IgnorePattern/matches(_:nameStart:base:isDirectory:)``), or nil.
    func lastMatch(_ path: UnsafeBufferPointer<UInt8>, nameStart: Int, isDirectory: Bool) -> Int? {
        storage.withUnsafeBufferPointer { storage in
            matchers.withUnsafeBufferPointer { matchers in
                base.withUnsafeBufferPointer { base in
                    var index = matchers.count - 1
                    while index >= 0 {
                        if IgnorePattern.matches(matchers[index], storage, path, nameStart: nameStart, base: base, isDirectory: isDirectory) {
                            return index
                        }
                        index -= 1
                    }
                    return nil
                }
            }
        }
    }

    /// What `git check-ignore -v` says about the pattern at `index`.
    func match(at index: Int) -> IgnoreMatch {
        let pattern = patterns[index]
        return IgnoreMatch(file: path, line: pattern.line, pattern: pattern.text, isNegated: pattern.isNegated)
    }
}
