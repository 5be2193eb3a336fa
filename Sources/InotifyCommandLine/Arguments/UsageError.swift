/// Why a command's arguments were refused: the lines to print on standard
/// error, getopt's and the tool's own, in the order inotify-tools prints them.
struct UsageError: Error, Equatable, Sendable {
    var lines: [[UInt8]]

    init(lines: [[UInt8]]) {
        self.lines = lines
    }

    init(_ message: String) {
        lines = [Array(message.utf8)]
    }

    /// The exit status: inotify-tools exits 1 after every usage error.
    var status: Int32 { 1 }

    /// The lines as text, each ending in a newline, as they are printed.
    var text: String {
        String(decoding: lines.flatMap { $0 + [UInt8(ascii: "\n")] }, as: UTF8.self)
    }

    /// Prints the lines on standard error and gives the exit status.
    func report() -> Int32 {
        for line in lines { printError(line) }
        return status
    }
}

/// What a command's arguments come to.
enum ParsedArguments<Options> {
    /// Options to run with, operands included.
    case run(Options)
    /// `--help` came before anything was refused: print the help, stop.
    case help
    /// `--version` came before anything was refused: print the version, stop.
    case version
    case refused(UsageError)
}

extension ParsedArguments: Equatable where Options: Equatable {}
extension ParsedArguments: Sendable where Options: Sendable {}
