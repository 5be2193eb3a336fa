import Foundation
@testable import InotifyTree
import InotifyTestSupport
import SystemPackage
import Testing

/// Files and directories named by bytes, for the ignore tests: names and
/// ignore files need not be UTF-8.
enum ByteFiles {
    /// Writes `contents` to the file at `path` (made, or emptied first).
    static func write(_ path: [UInt8], _ contents: [UInt8]) throws {
        let fd = (path + [0]).withUnsafeBufferPointer {
            $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0o644) }
        }
        guard fd >= 0 else { throw Errno(rawValue: errno) }
        defer { close(fd) }
        var written = 0
        while written < contents.count {
            let count = contents.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + written, contents.count - written) }
            guard count > 0 else { throw Errno(rawValue: errno) }
            written += count
        }
    }

    static func write(_ path: FilePath, _ text: String) throws {
        try write(path.bytes, Array(text.utf8))
    }

    /// Makes the directory at `path` and those above it that are missing.
    static func makeDirectories(_ path: [UInt8]) throws {
        var prefix: [UInt8] = []
        for component in path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            if !prefix.isEmpty || path.first == UInt8(ascii: "/") { prefix.append(UInt8(ascii: "/")) }
            prefix += component
            if component.isEmpty { continue }
            let result = (prefix + [0]).withUnsafeBufferPointer {
                $0.withMemoryRebound(to: CChar.self) { mkdir($0.baseAddress!, 0o755) }
            }
            guard result == 0 || errno == EEXIST else { throw Errno(rawValue: errno) }
        }
    }

    /// Every path below `root` (relative, root-most first, sorted), except
    /// `.git` at the top; symbolic links are not followed.
    static func walk(_ root: FilePath) -> [(path: [UInt8], isDirectory: Bool)] {
        var result: [(path: [UInt8], isDirectory: Bool)] = []
        func visit(_ relative: [UInt8]) {
            let absolute = root.bytes + (relative.isEmpty ? [] : [UInt8(ascii: "/")] + relative)
            guard let stream = (absolute + [0]).withUnsafeBufferPointer({
                $0.withMemoryRebound(to: CChar.self) { opendir($0.baseAddress!) }
            }) else { return }
            var names: [[UInt8]] = []
            while let entry = readdir(stream) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
                if name == [UInt8(ascii: ".")] || name == [UInt8(ascii: "."), UInt8(ascii: ".")] { continue }
                if relative.isEmpty && name == Array(".git".utf8) { continue }
                names.append(name)
            }
            closedir(stream)
            for name in names.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
                let path = relative.isEmpty ? name : relative + [UInt8(ascii: "/")] + name
                var info = stat()
                let full = absolute + [UInt8(ascii: "/")] + name + [0]
                let isDirectory = full.withUnsafeBufferPointer {
                    $0.withMemoryRebound(to: CChar.self) { lstat($0.baseAddress!, &info) }
                } == 0 && info.st_mode & S_IFMT == S_IFDIR
                result.append((path, isDirectory))
                if isDirectory { visit(path) }
            }
        }
        visit([])
        return result
    }

    /// `path` with every symbolic link resolved, as git sees it.
    static func realPath(_ path: FilePath) -> FilePath {
        guard let resolved = path.withPlatformString({ realpath($0, nil) }) else { return path }
        defer { free(resolved) }
        return FilePath(platformString: resolved)
    }
}

extension FilePath {
    /// A path from bytes that need not be UTF-8.
    init(testBytes bytes: [UInt8]) {
        self = (bytes + [0]).withUnsafeBufferPointer {
            $0.withMemoryRebound(to: CChar.self) { FilePath(platformString: $0.baseAddress!) }
        }
    }
}

/// Text for a failure message, with bytes that are not UTF-8 shown as \xNN.
func shown(_ bytes: [UInt8]) -> String {
    var text = ""
    for byte in bytes {
        if byte >= 0x20 && byte < 0x7F { text.append(Character(UnicodeScalar(byte))) }
        else { text += String(format: "\\x%02X", byte) }
    }
    return text
}

/// IgnoreRules for `root` with the `.gitignore` of every directory below it loaded.
func loadedRules(root: FilePath, environment: [String: String]) -> IgnoreRules {
    var rules = IgnoreRules(root: root, environment: environment)
    rules.load(directory: "")
    for entry in ByteFiles.walk(root) where entry.isDirectory {
        rules.load(directory: FilePath(testBytes: entry.path))
    }
    return rules
}

/// The real git, run in a sandbox: a home, an XDG configuration directory
/// and no system configuration, so that nothing of the machine's user
/// reaches it, and the same variables handed to IgnoreRules.
struct Git {
    /// git's path on PATH, or nil.
    static let executable: String? = {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/git"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }()

    static var isAvailable: Bool { executable != nil }

    /// The directory everything is made in: repositories, home, configuration.
    let sandbox: TemporaryDirectory
    let home: FilePath
    /// What both git and IgnoreRules are given. Discovery never goes above the sandbox.
    var environment: [String: String]

    init(_ label: String) throws {
        sandbox = try TemporaryDirectory(label)
        let base = ByteFiles.realPath(sandbox.path)
        home = base.appending("home")
        try ByteFiles.makeDirectories(home.bytes)
        environment = ["HOME": home.string, "GIT_CEILING_DIRECTORIES": base.string]
    }

    /// The sandbox with symbolic links resolved.
    var base: FilePath { ByteFiles.realPath(sandbox.path) }

    /// A new repository at `path` below the sandbox (made if missing), its top.
    func initRepository(_ path: String) throws -> FilePath {
        let top = base.appending(path)
        try ByteFiles.makeDirectories(top.bytes)
        let result = try run(["init", "-q"], in: top)
        try #require(result.status == 0, "git init failed: \(result.errors)")
        return top
    }

    struct Output {
        let status: Int32
        let output: [UInt8]
        let errors: String
    }

    /// Runs git with `arguments` in `directory`, `input` on its standard input.
    func run(_ arguments: [String], in directory: FilePath, input: [UInt8] = []) throws -> Output {
        let executable = try #require(Self.executable)
        // Files, not pipes: nothing can fill up and block either side.
        let scratch = base.appending("git-io-\(UUID().uuidString)")
        try ByteFiles.makeDirectories(scratch.bytes)
        defer { try? FileManager.default.removeItem(atPath: scratch.string) }
        let inputFile = scratch.appending("in"), outputFile = scratch.appending("out"), errorFile = scratch.appending("err")
        try ByteFiles.write(inputFile.bytes, input)
        try ByteFiles.write(outputFile.bytes, [])
        try ByteFiles.write(errorFile.bytes, [])
        var environment = self.environment
        environment["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["LC_ALL"] = "C"
        // git -C: posix_spawn has no working directory of its own to give.
        let status = try ChildProcess.run(
            executable, ["-C", directory.string] + arguments, environment: environment,
            stdin: inputFile, stdout: outputFile, stderr: errorFile)
        let output = try Data(contentsOf: URL(fileURLWithPath: outputFile.string))
        let errors = try String(contentsOfFile: errorFile.string, encoding: .utf8)
        return Output(status: status, output: Array(output), errors: errors)
    }

    /// What `git check-ignore --no-index -v -n` says about each of `paths`
    /// (relative to `directory`, where it runs): the deciding pattern's
    /// file (made absolute from the top), line and text, or nil.
    func checkIgnore(_ paths: [[UInt8]], in directory: FilePath, top: FilePath) throws -> [Verdict?] {
        let input: [UInt8] = paths.flatMap { path -> [UInt8] in path + [0] }
        let result = try run(["check-ignore", "--no-index", "-v", "-n", "-z", "--stdin"], in: directory, input: input)
        try #require(result.status == 0 || result.status == 1, "git check-ignore failed (\(result.status)): \(result.errors)")
        // -z -v: source, line, pattern, path, each ended by NUL.
        let fields = result.output.split(separator: 0, omittingEmptySubsequences: false).map(Array.init)
        try #require(fields.count >= paths.count * 4, "git check-ignore said too little: \(shown(result.output))")
        return try paths.indices.map { index in
            let source = fields[index * 4], line = fields[index * 4 + 1], pattern = fields[index * 4 + 2]
            try #require(fields[index * 4 + 3] == paths[index], "git answered out of order")
            if source.isEmpty { return nil }
            let file = FilePath(testBytes: source)
            return Verdict(
                file: file.isAbsolute ? file : top.pushing(file),
                line: Int(String(decoding: line, as: UTF8.self)) ?? -1,
                pattern: pattern)
        }
    }
}

/// The pattern that decides about a path: git's answer, or IgnoreRules'.
struct Verdict: Equatable, CustomStringConvertible {
    let file: FilePath
    let line: Int
    let pattern: [UInt8]

    var isIgnored: Bool { pattern.first != UInt8(ascii: "!") }

    init(file: FilePath, line: Int, pattern: [UInt8]) {
        self.file = file
        self.line = line
        self.pattern = pattern
    }

    init(_ match: IgnoreMatch) {
        self.init(file: match.file, line: match.line, pattern: match.pattern)
    }

    var description: String { "\(file):\(line):\(shown(pattern))" }
}

/// The paths on which IgnoreRules and git disagree about the deciding
/// pattern, each as a line: the path, then git's answer, then ours.
/// `prefix`: the root's place below the directory git runs in.
func disagreements(
    _ git: Git, rules: IgnoreRules, root: FilePath, runIn directory: FilePath, top: FilePath, prefix: [UInt8] = []
) throws -> [String] {
    let entries = ByteFiles.walk(root)
    let verdicts = try git.checkIgnore(entries.map { prefix + $0.path }, in: directory, top: top)
    var gitIgnores: [[UInt8]: Bool] = [:]
    for (entry, theirs) in zip(entries, verdicts) { gitIgnores[entry.path] = theirs?.isIgnored ?? false }
    var lines: [String] = []
    for (entry, theirs) in zip(entries, verdicts) {
        let path = FilePath(testBytes: entry.path)
        let ours = rules.match(path, isDirectory: entry.isDirectory).map(Verdict.init)
        let ignored = rules.isIgnored(path, isDirectory: entry.isDirectory)
        // Where git finds the parent not ignored, matching the path alone must give the same answer.
        let parent = entry.path.lastIndex(of: UInt8(ascii: "/")).map { Array(entry.path[..<$0]) }
        let parentIgnored = parent.map { gitIgnores[$0] ?? true } ?? rules.isIgnored("", isDirectory: true)
        let alone = parentIgnored ? nil : rules.isIgnored(path, isDirectory: entry.isDirectory, ancestorsChecked: true)
        let expected = theirs?.isIgnored ?? false
        if ours != theirs || ignored != expected || (alone != nil && alone != expected) {
            lines.append("\(shown(entry.path))\(entry.isDirectory ? "/" : ""): git \(theirs.map(\.description) ?? "-"), "
                + "ours \(ours.map(\.description) ?? "-") (isIgnored \(ignored), alone \(alone.map(String.init) ?? "-"))")
        }
    }
    return lines
}
