import Glibc
import SystemPackage

/// Where the user's global excludes file is: `core.excludesFile` where git's
/// configuration names it, else `$XDG_CONFIG_HOME/git/ignore` (with
/// `$XDG_CONFIG_HOME` unset or empty: `$HOME/.config/git/ignore`).
///
/// The configuration is read from the files git reads, in its order, the
/// last setting winning: `$GIT_CONFIG_GLOBAL` if set, else
/// `$XDG_CONFIG_HOME/git/config` (or `$HOME/.config/git/config`) then
/// `$HOME/.gitconfig`; then the repository's own `config`. Not read: the
/// system file (`/etc/gitconfig`, whose place depends on how git was
/// built), `include` and `includeIf` directives, and settings given on
/// git's command line or through `GIT_CONFIG_COUNT`. The value is a path as
/// git reads one: `~/` and `~user/` expanded, a relative path taken from
/// the top of the working tree (where git runs); `%(prefix)/` is not
/// expanded.
enum GitConfigExcludes {
    /// The global excludes file, and what was wrong in the configuration on
    /// the way. `repositoryConfig`: the repository's `config` file, if any;
    /// `top`: the directory a relative path is taken from.
    static func globalExcludesFile(
        environment: [String: String], repositoryConfig: FilePath?, top: FilePath
    ) -> (file: FilePath?, problems: [IgnoreProblem]) {
        var problems: [IgnoreProblem] = []
        var setting: (value: [UInt8], file: FilePath, line: Int)? = nil
        for file in configFiles(environment: environment) + (repositoryConfig.map { [$0] } ?? []) {
            guard case .success(let contents) = FileContents.read(file, followSymbolicLinks: true) else { continue }
            let parsed = parse(contents, file: file)
            problems += parsed.problems
            if let last = parsed.excludesFile { setting = (last.value, file, last.line) }
        }
        guard let setting else { return (defaultFile(environment: environment), problems) }
        guard !setting.value.isEmpty else { return (nil, problems) }
        guard let expanded = expand(setting.value, home: environment["HOME"]) else {
            problems.append(IgnoreProblem(file: setting.file, line: setting.line,
                message: "core.excludesFile: cannot expand the user directory in '\(String(decoding: setting.value, as: UTF8.self))' (git stops here)"))
            return (nil, problems)
        }
        return (expanded.isAbsolute ? expanded : top.pushing(expanded), problems)
    }

    /// The user's configuration files, in the order git reads them.
    static func configFiles(environment: [String: String]) -> [FilePath] {
        if let global = environment["GIT_CONFIG_GLOBAL"] { return global.isEmpty ? [] : [FilePath(global)] }
        var files: [FilePath] = []
        if let xdg = xdgConfigHome(environment) { files.append(xdg.appending("git/config")) }
        if let home = environment["HOME"] { files.append(FilePath(home).appending(".gitconfig")) }
        return files
    }

    /// `$XDG_CONFIG_HOME/git/ignore`, where git looks when no `core.excludesFile` is set.
    static func defaultFile(environment: [String: String]) -> FilePath? {
        xdgConfigHome(environment)?.appending("git/ignore")
    }

    private static func xdgConfigHome(_ environment: [String: String]) -> FilePath? {
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return FilePath(xdg) }
        return environment["HOME"].map { FilePath($0).appending(".config") }
    }

    /// git's `interpolate_path`: `~` and `~/...` from `home`, `~user/...` from the password database.
    static func expand(_ value: [UInt8], home: String?) -> FilePath? {
        guard value.first == UInt8(ascii: "~") else { return FilePath(platformBytes: value) }
        let slash = value.firstIndex(of: UInt8(ascii: "/")) ?? value.endIndex
        let user = value[1..<slash]
        let directory: [UInt8]
        if user.isEmpty {
            guard let home else { return nil }
            directory = Array(home.utf8)
        } else {
            let found = (Array(user) + [0]).withUnsafeBufferPointer { name in
                name.withMemoryRebound(to: CChar.self) { name -> [UInt8]? in
                    guard let entry = getpwnam(name.baseAddress!), let dir = entry.pointee.pw_dir else { return nil }
                    return Array(UnsafeRawBufferPointer(start: dir, count: strlen(dir)))
                }
            }
            guard let found else { return nil }
            directory = found
        }
        return FilePath(platformBytes: directory + value[slash...])
    }

    /// What a configuration file says: the value of its last
    /// `core.excludesFile` and that setting's line, and its problems.
    ///
    /// A reader of git's syntax (config.c), as far as this key needs:
    /// `[section]` and `[section "subsection"]` headers (a subsection is
    /// another section: `[core "x"]` is not `[core]`), section and key names
    /// in any case, `#` and `;` comments, values with their surrounding
    /// blanks dropped, double quotes, the escapes `\"` `\\` `\n` `\t` `\b`
    /// and a backslash before a line's end continuing the value. At a line
    /// git refuses, reading stops with a problem, as git stops.
    static func parse(_ contents: [UInt8], file: FilePath) -> (excludesFile: (value: [UInt8], line: Int)?, problems: [IgnoreProblem]) {
        var reader = ConfigReader(contents)
        var result: (value: [UInt8], line: Int)? = nil
        var problems: [IgnoreProblem] = []
        do {
            while let entry = try reader.next() {
                guard entry.name == Array("core.excludesfile".utf8) else { continue }
                guard let value = entry.value else {
                    problems.append(IgnoreProblem(file: file, line: entry.line,
                        message: "core.excludesFile has no value (git refuses the configuration)"))
                    continue
                }
                result = (value, entry.line)
            }
        } catch {
            problems.append(IgnoreProblem(file: file, line: error.line,
                message: "bad configuration line: git refuses the file, and nothing after this line is read"))
        }
        return (result, problems)
    }
}

/// git's configuration syntax, one setting at a time (config.c: git_parse_source).
private struct ConfigReader {
    struct Entry {
        /// `section.key` or `section.subsection.key`, section and key in lower case.
        let name: [UInt8]
        /// Nil for a key with no `=` (a boolean true).
        let value: [UInt8]?
        let line: Int
    }

    struct BadLine: Error { let line: Int }

    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var atEnd = false
    private var section: [UInt8] = []

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    }

    /// git's get_next_char: CR LF reads as LF, and the end reads as LF.
    private mutating func nextChar() -> UInt8 {
        guard index < bytes.count else {
            atEnd = true
            return UInt8(ascii: "\n")
        }
        var c = bytes[index]
        index += 1
        if c == UInt8(ascii: "\r"), index < bytes.count, bytes[index] == UInt8(ascii: "\n") {
            index += 1
            c = UInt8(ascii: "\n")
        }
        if c == UInt8(ascii: "\n") { line += 1 }
        return c
    }

    private static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
    private static func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z") }
    private static func isKeyChar(_ c: UInt8) -> Bool {
        isAlpha(c) || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "-")
    }
    private static func lower(_ c: UInt8) -> UInt8 { isAlpha(c) ? c | 0x20 : c }

    mutating func next() throws(BadLine) -> Entry? {
        var comment = false
        while true {
            let c = nextChar()
            if c == UInt8(ascii: "\n") {
                if atEnd { return nil }
                comment = false
                continue
            }
            if comment || Self.isSpace(c) { continue }
            if c == UInt8(ascii: "#") || c == UInt8(ascii: ";") {
                comment = true
                continue
            }
            if c == UInt8(ascii: "[") {
                try readSection()
                continue
            }
            guard Self.isAlpha(c), !section.isEmpty else { throw BadLine(line: line) }
            return try readEntry(first: c)
        }
    }

    private mutating func readSection() throws(BadLine) {
        var name: [UInt8] = []
        while true {
            let c = nextChar()
            if atEnd { throw BadLine(line: line) }
            if c == UInt8(ascii: "]") { break }
            if Self.isSpace(c) {
                try readSubsection(into: &name, after: c)
                break
            }
            guard Self.isKeyChar(c) || c == UInt8(ascii: ".") else { throw BadLine(line: line) }
            name.append(Self.lower(c))
        }
        guard !name.isEmpty else { throw BadLine(line: line) }
        section = name
    }

    private mutating func readSubsection(into name: inout [UInt8], after first: UInt8) throws(BadLine) {
        var c = first
        repeat {
            if c == UInt8(ascii: "\n") { throw BadLine(line: line - 1) }
            c = nextChar()
        } while Self.isSpace(c)
        guard c == UInt8(ascii: "\"") else { throw BadLine(line: line) }
        name.append(UInt8(ascii: "."))
        while true {
            var c = nextChar()
            if c == UInt8(ascii: "\n") { throw BadLine(line: line - 1) }
            if c == UInt8(ascii: "\"") { break }
            if c == UInt8(ascii: "\\") {
                c = nextChar()
                if c == UInt8(ascii: "\n") { throw BadLine(line: line - 1) }
            }
            name.append(c)
        }
        guard nextChar() == UInt8(ascii: "]") else { throw BadLine(line: line) }
    }

    private mutating func readEntry(first: UInt8) throws(BadLine) -> Entry {
        let entryLine = line
        var name = section + [UInt8(ascii: "."), Self.lower(first)]
        var c: UInt8
        while true {
            c = nextChar()
            if atEnd || !Self.isKeyChar(c) { break }
            name.append(Self.lower(c))
        }
        while c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") { c = nextChar() }
        if c == UInt8(ascii: "\n") { return Entry(name: name, value: nil, line: entryLine) }
        guard c == UInt8(ascii: "=") else { throw BadLine(line: line) }
        return Entry(name: name, value: try readValue(), line: entryLine)
    }

    /// git's parse_value: blanks outside quotes before and after the value
    /// dropped, inside it kept as spaces; a comment ends it.
    private mutating func readValue() throws(BadLine) -> [UInt8] {
        var value: [UInt8] = []
        var quoted = false
        var comment = false
        var spaces = 0
        while true {
            var c = nextChar()
            if c == UInt8(ascii: "\n") {
                if quoted { throw BadLine(line: line - 1) }
                return value
            }
            if comment { continue }
            if Self.isSpace(c) && !quoted {
                if !value.isEmpty { spaces += 1 }
                continue
            }
            if !quoted && (c == UInt8(ascii: ";") || c == UInt8(ascii: "#")) {
                comment = true
                continue
            }
            value.append(contentsOf: repeatElement(UInt8(ascii: " "), count: spaces))
            spaces = 0
            if c == UInt8(ascii: "\\") {
                c = nextChar()
                switch c {
                case UInt8(ascii: "\n"): continue
                case UInt8(ascii: "t"): c = UInt8(ascii: "\t")
                case UInt8(ascii: "b"): c = 0x08
                case UInt8(ascii: "n"): c = UInt8(ascii: "\n")
                case UInt8(ascii: "\\"), UInt8(ascii: "\""): break
                default: throw BadLine(line: line)
                }
                value.append(c)
                continue
            }
            if c == UInt8(ascii: "\"") {
                quoted.toggle()
                continue
            }
            value.append(c)
        }
    }
}
