import CInotifyCommand
import Glibc
@_spi(Concurrency) import Inotify

/// One option as getopt_long found it: which row of the table, and its value
/// (bytes, as given) if it has one.
struct GivenOption: Sendable, Equatable {
    let key: OptionKey
    let argument: [UInt8]?

    /// The value as text, for the options whose values are names or numbers.
    var text: String { argument.map { String(decoding: $0, as: UTF8.self) } ?? "" }
}

/// Command-line parsing by glibc's getopt_long, the parser inotify-tools
/// uses, so that every spelling those tools accept is accepted here:
/// abbreviated long options, `-t5`, `--event=x`, `-mr`, operands before
/// options, `--` to end the options.
enum Getopt {
    /// How a parse ended.
    enum Outcome: Equatable {
        /// Every option was taken; the operands, as given (getopt moves them
        /// after the options).
        case finished(operands: [[UInt8]])
        /// The caller's `take` said stop (a refused value, `--help`).
        case stopped
        /// getopt_long refused an option; what came after it was not read.
        case failed(GetoptError)
    }

    /// Parses `arguments` (without the program name) with `table`, handing
    /// each option to `take` as it is found, as inotifywait handles each one
    /// before it reads the next: `take` returns false to stop there.
    static func parse(
        arguments: [[UInt8]], table: GetoptTable, take: (GivenOption) -> Bool
    ) -> Outcome {
        // getopt_long keeps its scan in globals (optind and glibc's own
        // position inside a cluster), so one parse runs at a time; the tests
        // parse from many threads.
        cic_getopt_lock()
        defer { cic_getopt_unlock() }
        return parseAlone(arguments: arguments, table: table, take: take)
    }

    private static func parseAlone(
        arguments: [[UInt8]], table: GetoptTable, take: (GivenOption) -> Bool
    ) -> Outcome {
        // getopt reads argv[0] only for its messages, which are off.
        let strings = [Array("inotify".utf8)] + arguments
        var argv: [UnsafeMutablePointer<CChar>?] = strings.map { Optional(mallocCString($0)) }
        argv.append(nil)
        let names: [UnsafeMutablePointer<CChar>?] = table.longOptions.map { strdup($0.name) }
        defer {
            argv.forEach { free($0) }
            names.forEach { free($0) }
        }
        var longOptions: [option] = zip(table.longOptions, names).map { entry, name in
            option(name: name, has_arg: entry.argument.hasArg, flag: nil, val: entry.code)
        }
        longOptions.append(option(name: nil, has_arg: 0, flag: nil, val: 0))

        cic_getopt_reset()
        return argv.withUnsafeMutableBufferPointer { argvBuffer in
            longOptions.withUnsafeBufferPointer { longBuffer in
                var next: CInt = 1
                while true {
                    var argument: UnsafeMutablePointer<CChar>? = nil
                    var failedCode: CInt = 0
                    let code = cic_getopt_long(
                        CInt(strings.count), argvBuffer.baseAddress, table.shortOptions, longBuffer.baseAddress,
                        &argument, &next, &failedCode)
                    if code == -1 { break }
                    if code == CInt(UInt8(ascii: "?")) || code == CInt(UInt8(ascii: ":")) {
                        let last = argvBuffer[Int(next) - 1].map(bytes) ?? []
                        return .failed(GetoptError(returned: code, failedCode: failedCode, lastArgument: last, table: table))
                    }
                    guard let option = table.option(code: code) else { continue }
                    if !take(GivenOption(key: option.key, argument: argument.map(bytes))) { return .stopped }
                }
                // getopt permutes argv so that the operands come last.
                let operands = (Int(next)..<strings.count).compactMap { argvBuffer[$0].map(bytes) }
                return .finished(operands: operands)
            }
        }
    }


    private static func bytes(_ pointer: UnsafeMutablePointer<CChar>) -> [UInt8] {
        Array(UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)))
    }
}
