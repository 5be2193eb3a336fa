import SystemPackage

/// The pattern that decides about a path: what `git check-ignore -v` prints.
/// A negated pattern decides too (the path is then not ignored, even where
/// a shallower file or an earlier line would ignore it).
public struct IgnoreMatch: Sendable, Hashable, CustomStringConvertible {
    /// The ignore file the pattern is in.
    public let file: FilePath
    /// The pattern's line in it, counted from 1.
    public let line: Int
    /// The pattern as git prints it: the line without its trailing spaces,
    /// with its `!` and its trailing `/`.
    public let pattern: [UInt8]
    /// Whether the pattern starts with `!`: the path is re-included.
    public let isNegated: Bool

    /// Whether the path is ignored: the pattern is not a negation.
    public var isIgnored: Bool { !isNegated }

    /// `file:line:pattern`, as `git check-ignore -v` prints it (names that are not UTF-8 repaired).
    public var description: String {
        "\(file):\(line):\(String(decoding: pattern, as: UTF8.self))"
    }
}
