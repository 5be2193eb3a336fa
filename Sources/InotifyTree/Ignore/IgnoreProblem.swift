import SystemPackage

/// Something wrong in an ignore file or in git's configuration: a pattern
/// that git accepts without a word but can never match, a file that cannot
/// be read, a configuration line git would refuse. The rest of the file
/// still applies, as it does for git.
public struct IgnoreProblem: Sendable, Hashable, CustomStringConvertible {
    /// The file the problem is in.
    public let file: FilePath
    /// Its line, counted from 1; 0 when the problem is the file as a whole.
    public let line: Int
    /// What is wrong, and what git does about it.
    public let message: String

    /// A problem in `file` at `line` (0 for the whole file).
    public init(file: FilePath, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `file:line: message`, as compilers print, or `file: message` for the whole file.
    public var description: String {
        line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)"
    }
}
