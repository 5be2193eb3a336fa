import Glibc

/// One line of an ignore file, parsed and matched as git does (dir.c:
/// `add_patterns_from_buffer`, `parse_path_pattern`, `match_basename`,
/// `match_pathname`), on bytes.
///
/// - A line that is empty, or starts with `#`, is no pattern (`\#` starts a
///   pattern with `#`); a CR before the line's end is dropped, as is
///   everything from a NUL byte on.
/// - Trailing spaces are dropped unless the last one is escaped with a
///   backslash (tabs are kept, as git keeps them).
/// - `!` first negates (`\!` is a literal `!`); a `/` last makes the pattern
///   match directories only.
/// - A pattern with no other `/` matches a name at any depth below the
///   ignore file's directory; one with a `/` at the start or in the middle
///   matches the path relative to that directory, with `*`, `?` and `[...]`
///   not matching `/`, and `**` matching any number of directories where it
///   stands between slashes or at either end (elsewhere it is a `*`).
///
/// Backslashes stay in the pattern: the matcher (``Wildmatch``) reads them,
/// as git's does.
struct IgnorePattern: Sendable, Hashable {
    struct Flags: OptionSet, Sendable, Hashable {
        let rawValue: UInt8
        static let negated = Flags(rawValue: 1)
        static let directoryOnly = Flags(rawValue: 2)
        /// No `/` but a trailing one: the pattern matches a path's last name.
        static let basenameOnly = Flags(rawValue: 4)
        /// `*` then no special character: matched as a suffix of the name.
        static let endsWith = Flags(rawValue: 8)
    }

    /// What is matched: the line without its `!`, its trailing `/` and its
    /// trailing spaces.
    let bytes: [UInt8]
    let flags: Flags
    /// How many bytes at the start hold no special character (git's
    /// `nowildcardlen`): compared as they are before any glob matching.
    let literalLength: Int
    /// The line in its file, from 1.
    let line: Int

    /// The pattern on `raw` (a line without its newline), or nil where the
    /// line holds none (empty, a comment, or only spaces).
    init?(line raw: some Collection<UInt8>, number: Int) {
        guard let first = raw.first, first != UInt8(ascii: "#") else { return nil }
        var text = Array(raw)
        if text.last == UInt8(ascii: "\r") { text.removeLast() }
        if let nul = text.firstIndex(of: 0) { text.removeSubrange(nul...) }
        Self.trimTrailingSpaces(&text)
        guard !text.isEmpty else { return nil }
        self.init(trimmed: text, number: number)
    }

    private init(trimmed: [UInt8], number: Int) {
        var text = trimmed[...]
        var flags: Flags = []
        if text.first == UInt8(ascii: "!") {
            flags.insert(.negated)
            text = text.dropFirst()
        }
        // git finds `*literal` on the text before its trailing `/` is cut; a `/` is no special character, so it agrees.
        if text.first == UInt8(ascii: "*") && !text.dropFirst().contains(where: Wildmatch.isSpecial) {
            flags.insert(.endsWith)
        }
        if text.last == UInt8(ascii: "/") {
            flags.insert(.directoryOnly)
            text = text.dropLast()
        }
        if !text.contains(UInt8(ascii: "/")) { flags.insert(.basenameOnly) }
        bytes = Array(text)
        self.flags = flags
        literalLength = bytes.firstIndex(where: Wildmatch.isSpecial) ?? bytes.count
        line = number
    }

    /// git's `trim_trailing_spaces`: spaces only, and a backslash protects
    /// the byte after it. A line ending in a lone backslash keeps its spaces
    /// before it (there are none after it to trim).
    private static func trimTrailingSpaces(_ text: inout [UInt8]) {
        var lastSpace: Int? = nil
        var i = 0
        while i < text.count {
            switch text[i] {
            case UInt8(ascii: " "):
                if lastSpace == nil { lastSpace = i }
            case UInt8(ascii: "\\"):
                i += 1
                if i == text.count { return }
                lastSpace = nil
            default:
                lastSpace = nil
            }
            i += 1
        }
        if let lastSpace { text.removeSubrange(lastSpace...) }
    }

    var isNegated: Bool { flags.contains(.negated) }

    /// The pattern as git prints it (`git check-ignore -v`): with its `!` and its trailing `/`.
    var text: [UInt8] {
        (isNegated ? [UInt8(ascii: "!")] : []) + bytes + (flags.contains(.directoryOnly) ? [UInt8(ascii: "/")] : [])
    }

    /// Why git can never match this pattern, though it takes the line
    /// without a word; nil for a pattern that can match.
    ///
    /// The matcher reads a pattern from left to right and gives up on the
    /// whole match when it reaches an unterminated `[`, an unknown
    /// `[:class:]` or a backslash with nothing after it; every match must
    /// reach every part of the pattern, so such a pattern matches nothing.
    /// (A `[:` without its `:]` is no defect: git reads the `[` as a member.)
    var defect: String? {
        let shown = String(decoding: text, as: UTF8.self)
        if bytes.isEmpty {
            return "the pattern '\(shown)' names nothing: git never matches it"
        }
        return bytes.withUnsafeBufferPointer { pattern -> String? in
            var i = 0
            while i < pattern.count {
                switch pattern[i] {
                case UInt8(ascii: "\\"):
                    if i + 1 == pattern.count {
                        return flags.contains(.directoryOnly)
                            ? "the backslash before the final '/' of '\(shown)' escapes nothing (that '/' only says directory): git never matches it"
                            : "the pattern '\(shown)' ends in a backslash that escapes nothing: git never matches it"
                    }
                    i += 2
                case UInt8(ascii: "["):
                    switch Wildmatch.bracket(pattern, opening: i, byte: 0) {
                    case .set(_, let closing):
                        i = closing + 1
                    case .unterminated:
                        return "the '[' at byte \(i + 1) of '\(shown)' has no closing ']': git never matches it"
                    case .unknownClass(let name):
                        let className = String(decoding: pattern[name], as: UTF8.self)
                        return "'[:\(className):]' in '\(shown)' is no character class git knows: git never matches it"
                    }
                default:
                    i += 1
                }
            }
            return nil
        }
    }

    /// What matching needs of a pattern besides its bytes, which are kept
    /// elsewhere: an ``IgnoreFile`` keeps all its patterns' bytes in one
    /// buffer, so that its matching loop touches no reference.
    struct Matcher: Sendable {
        /// Where the pattern's bytes start in the buffer, and how many there are.
        let start: Int
        let count: Int
        let literalLength: Int
        let flags: Flags
    }

    /// This pattern's ``Matcher``, its bytes at `start` of a buffer.
    func matcher(start: Int) -> Matcher {
        Matcher(start: start, count: bytes.count, literalLength: literalLength, flags: flags)
    }

    /// Whether the pattern matches `path`, a path relative to the top of the
    /// repository (or of the tree, outside one) whose last name starts at
    /// `nameStart`, for an ignore file in directory `base` (relative the same
    /// way, empty for the top). Only paths below `base` are ever asked about
    /// for a name pattern, so its base is not checked.
    func matches(
        _ path: UnsafeBufferPointer<UInt8>, nameStart: Int, base: UnsafeBufferPointer<UInt8>, isDirectory: Bool
    ) -> Bool {
        bytes.withUnsafeBufferPointer { storage in
            Self.matches(matcher(start: 0), storage, path, nameStart: nameStart, base: base, isDirectory: isDirectory)
        }
    }

    /// ``matches(_:nameStart:base:isDirectory:)`` for the pattern `matcher`
    /// describes, its bytes in `storage`.
    @inline(__always)
    static func matches(
        _ matcher: Matcher, _ storage: UnsafeBufferPointer<UInt8>,
        _ path: UnsafeBufferPointer<UInt8>, nameStart: Int, base: UnsafeBufferPointer<UInt8>, isDirectory: Bool
    ) -> Bool {
        if matcher.flags.contains(.directoryOnly) && !isDirectory { return false }
        let pattern = UnsafeBufferPointer(rebasing: storage[matcher.start..<(matcher.start + matcher.count)])
        return matcher.flags.contains(.basenameOnly)
            ? matchesName(pattern, matcher, UnsafeBufferPointer(rebasing: path[nameStart...]))
            : matchesPath(pattern, matcher, path, base: base)
    }

    @inline(__always)
    private static func matchesName(_ pattern: UnsafeBufferPointer<UInt8>, _ matcher: Matcher, _ name: UnsafeBufferPointer<UInt8>) -> Bool {
        if matcher.literalLength == pattern.count {
            return pattern.count == name.count && equal(pattern, 0, name, 0, count: name.count)
        }
        if matcher.flags.contains(.endsWith) {
            let suffix = pattern.count - 1
            return suffix <= name.count && equal(pattern, 1, name, name.count - suffix, count: suffix)
        }
        return Wildmatch.matches(pattern, name, pathname: false)
    }

    private static func matchesPath(
        _ whole: UnsafeBufferPointer<UInt8>, _ matcher: Matcher, _ path: UnsafeBufferPointer<UInt8>, base: UnsafeBufferPointer<UInt8>
    ) -> Bool {
        var pattern = whole[...]
        var literal = matcher.literalLength
        if pattern.first == UInt8(ascii: "/") {
            pattern = pattern.dropFirst()
            literal -= 1
        }
        guard path.count >= base.count + 1,
              base.isEmpty || path[base.count] == UInt8(ascii: "/"),
              equal(path, 0, base, 0, count: base.count)
        else { return false }
        var name = path[(base.isEmpty ? 0 : base.count + 1)...]
        if literal > 0 {
            // The literal start is compared first, as git compares it: this
            // is not only faster, it decides whether a `**` that follows it
            // stands at the start of what is left.
            guard literal <= name.count,
                  equal(whole, pattern.startIndex, path, name.startIndex, count: literal)
            else { return false }
            pattern = pattern.dropFirst(literal)
            name = name.dropFirst(literal)
            if pattern.isEmpty && name.isEmpty { return true }
        }
        return Wildmatch.matches(UnsafeBufferPointer(rebasing: pattern), UnsafeBufferPointer(rebasing: name), pathname: true)
    }

    /// Byte comparison, in line: most names and literal starts are short, where a call to memcmp costs more than the loop.
    @inline(__always)
    private static func equal(
        _ a: UnsafeBufferPointer<UInt8>, _ aStart: Int, _ b: UnsafeBufferPointer<UInt8>, _ bStart: Int, count: Int
    ) -> Bool {
        if count > 32 { return memcmp(a.baseAddress! + aStart, b.baseAddress! + bStart, count) == 0 }
        var i = 0
        while i < count {
            if a[aStart + i] != b[bStart + i] { return false }
            i += 1
        }
        return true
    }
}
