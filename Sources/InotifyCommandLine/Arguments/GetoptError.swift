/// An option getopt_long refused, and glibc's words for it.
///
/// getopt_long runs with its own messages off (they would go to the
/// process's `stderr` stream, which a test cannot read without taking it
/// from everything else in its process); what it refused is worked out from
/// what it returns and worded here as glibc words it, byte for byte, so
/// inotifywait's messages and these stay the same (the differential tests
/// hold them side by side).
enum GetoptError: Error, Equatable, Sendable {
    /// `--bogus`, `--bogus=1`: the argument as given.
    case unrecognized([UInt8])
    /// `--ex`: the argument as given, and the long names it could abbreviate.
    case ambiguous([UInt8], candidates: [String])
    /// `--monitor=x`: the option's full name.
    case argumentNotAllowed(long: String)
    /// `--event` last: the option's full name.
    case argumentMissing(long: String)
    /// `-e` last.
    case shortArgumentMissing(UInt8)
    /// `-x`.
    case invalidShort(UInt8)

    /// The line glibc's getopt_long prints, without its newline.
    func message(program: String) -> [UInt8] {
        var line = Array(program.utf8)
        func quoted(_ bytes: [UInt8]) -> [UInt8] { [UInt8(ascii: "'")] + bytes + [UInt8(ascii: "'")] }
        switch self {
        case .unrecognized(let argument):
            line += Array(": unrecognized option ".utf8) + quoted(argument)
        case .ambiguous(let argument, let candidates):
            line += Array(": option ".utf8) + quoted(argument) + Array(" is ambiguous; possibilities:".utf8)
            for candidate in candidates { line += Array(" '--\(candidate)'".utf8) }
        case .argumentNotAllowed(let long):
            line += Array(": option '--\(long)' doesn't allow an argument".utf8)
        case .argumentMissing(let long):
            line += Array(": option '--\(long)' requires an argument".utf8)
        case .shortArgumentMissing(let letter):
            line += Array(": option requires an argument -- ".utf8) + quoted([letter])
        case .invalidShort(let letter):
            line += Array(": invalid option -- ".utf8) + quoted([letter])
        }
        return line
    }

    /// What getopt_long refused, from what it returned (`?` or `:`), its
    /// `optopt`, and the argument it stopped after (`argv[optind - 1]`,
    /// which for a long option is the option itself).
    init(returned code: Int32, failedCode: Int32, lastArgument: [UInt8], table: GetoptTable) {
        let isLong = lastArgument.starts(with: [UInt8(ascii: "-"), UInt8(ascii: "-")])
        if code == Int32(UInt8(ascii: ":")) {
            // A value is missing: `:` leads the short-option string.
            if isLong, let option = table.option(code: failedCode) {
                self = .argumentMissing(long: option.long)
            } else {
                self = .shortArgumentMissing(UInt8(truncatingIfNeeded: failedCode))
            }
        } else if failedCode == 0 {
            // Unknown or ambiguous long option: optopt is 0 for both.
            let candidates = isLong ? Self.candidates(lastArgument.dropFirst(2), in: table) : []
            self = candidates.count > 1 ? .ambiguous(lastArgument, candidates: candidates) : .unrecognized(lastArgument)
        } else if let option = table.option(code: failedCode) {
            // A known option's code with `?` can only be a value given to a
            // long option that takes none: a known short letter never fails so.
            self = .argumentNotAllowed(long: option.long)
        } else {
            self = .invalidShort(UInt8(truncatingIfNeeded: failedCode))
        }
    }

    /// The long names `name` (up to any `=`) abbreviates, as glibc lists
    /// them: the first match, then every later one that differs from it.
    private static func candidates(_ argument: ArraySlice<UInt8>, in table: GetoptTable) -> [String] {
        let name = argument.prefix { $0 != UInt8(ascii: "=") }
        let matches = table.longOptions.filter { $0.name.utf8.starts(with: name) }
        guard let first = matches.first else { return [] }
        let others = matches.dropFirst().filter { $0.code != first.code || $0.argument.hasArg != first.argument.hasArg }
        return [first.name] + others.map(\.name)
    }
}
