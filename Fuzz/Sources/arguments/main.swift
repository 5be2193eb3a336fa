// Each command's whole argument parsing, through glibc's getopt_long as the
// command runs it: argv is the input split at its NUL bytes. Any argv is a
// refusal (lines to print, status 1) or options to run with, never a crash;
// parsing it again gives the same (getopt's global state is reset each time);
// the operands are arguments as given, in their order. What `wait` parsed
// also makes its printer, which prints a line.

import FuzzSupport
import Inotify
@testable import InotifyCommandLine

@_cdecl("LLVMFuzzerTestOneInput")
public func argumentsTarget(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    let arguments = bytes.split(separator: 0, omittingEmptySubsequences: false).map(Array.init)

    let wait = check(arguments, operands: \.operands) { WaitOptions.parse(program: "inotifywait", arguments: $0) }
    if let wait { printLine(wait) }
    _ = check(arguments, operands: \.operands) { StatsOptions.parse(program: "inotifywatch", arguments: $0) }
    let events = check(arguments, operands: \.operands) { EventsOptions.parse(program: "inotify events", arguments: $0) }
    if let events { require(events.count >= 0, "--count \(events.count)") }
    return 0
}

/// Parses `arguments` twice and checks what came of it; the options when
/// they are to run with.
func check<Options: Equatable>(
    _ arguments: [[UInt8]], operands: KeyPath<Options, [[UInt8]]>,
    parse: ([[UInt8]]) -> ParsedArguments<Options>
) -> Options? {
    let parsed = parse(arguments)
    let again = parse(arguments)
    require(parsed == again, "\(arguments) parsed as \(parsed), then as \(again)")
    switch parsed {
    case .help, .version:
        return nil
    case .refused(let refusal):
        require(refusal.status == 1, "a refusal with status \(refusal.status)")
        require(!refusal.lines.isEmpty, "\(arguments) refused without a word")
        require(refusal.lines.allSatisfy { !$0.isEmpty }, "\(arguments) refused with an empty line: \(refusal.lines)")
        return nil
    case .run(let options):
        require(isSubsequence(options[keyPath: operands], of: arguments),
                "operands \(options[keyPath: operands]) are not arguments of \(arguments), in order")
        return options
    }
}

func isSubsequence(_ part: [[UInt8]], of whole: [[UInt8]]) -> Bool {
    var rest = whole[...]
    for element in part {
        guard let found = rest.firstIndex(of: element) else { return false }
        rest = rest[(found + 1)...]
    }
    return true
}

/// `wait`'s printer, made from the options as the command makes it, prints
/// an event's line.
func printLine(_ options: WaitOptions) {
    var printer = Printer(options)
    var out: [UInt8] = []
    let watched: [UInt8] = Array("d/".utf8)
    let name: [UInt8] = Array("f".utf8)
    watched.withUnsafeBytes { watched in
        name.withUnsafeBytes { name in
            printer.append(EventLine(watched: watched, name: name, mask: [.create, .isDir], cookie: 1), to: &out)
        }
    }
    // A --format may print nothing (`%T` with an empty --timefmt); every other line has bytes.
    if options.quiet < 2 && options.format == nil {
        require(!out.isEmpty, "options \(options) printed nothing")
    }
}
