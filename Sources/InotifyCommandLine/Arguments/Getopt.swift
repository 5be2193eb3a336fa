import CInotifyCommand
import Glibc

/// One long option for ``Getopt``: `--name`, with or without a value, reported
/// as `code` (a short option letter, or any value above 255 for long-only ones).
struct LongOption {
    let name: String
    let takesArgument: Bool
    let code: Int32
}

/// Command-line parsing by glibc's getopt_long, the parser inotify-tools uses,
/// so that every spelling those tools accept is accepted here and every bad
/// one gets the same message (`inotifywait: unrecognized option '--foo'`).
enum Getopt {
    struct Parsed {
        /// Options in the order given, each with its value (bytes, as given) if it takes one.
        var options: [(code: Int32, argument: [UInt8]?)] = []
        /// The operands, as given (getopt moves them after the options).
        var operands: [[UInt8]] = []
        /// getopt reported an unknown option or a missing value (it printed why).
        var failed = false
    }

    /// Parses `arguments` (without the program name). `program` is the name
    /// getopt's messages start with. Stops at the first bad option, as the
    /// tools do.
    /// Arguments are bytes: a path need not be UTF-8.
    static func parse(program: String, arguments: [[UInt8]], short: String, long: [LongOption]) -> Parsed {
        let strings = [Array(program.utf8)] + arguments
        var argv: [UnsafeMutablePointer<CChar>?] = strings.map(duplicate)
        argv.append(nil)
        let names: [UnsafeMutablePointer<CChar>?] = long.map { strdup($0.name) }
        defer {
            argv.forEach { free($0) }
            names.forEach { free($0) }
        }
        var table: [option] = zip(long, names).map { entry, name in
            option(name: name, has_arg: entry.takesArgument ? required_argument : no_argument, flag: nil, val: entry.code)
        }
        table.append(option(name: nil, has_arg: 0, flag: nil, val: 0))

        var parsed = Parsed()
        cic_getopt_reset()
        var next: CInt = 1
        argv.withUnsafeMutableBufferPointer { argvBuffer in
            table.withUnsafeBufferPointer { longBuffer in
                while true {
                    var argument: UnsafeMutablePointer<CChar>? = nil
                    let code = cic_getopt_long(
                        CInt(strings.count), argvBuffer.baseAddress, short, longBuffer.baseAddress, &argument, &next)
                    if code == -1 { break }
                    if code == CInt(UInt8(ascii: "?")) || code == CInt(UInt8(ascii: ":")) {
                        parsed.failed = true
                        break
                    }
                    parsed.options.append((code, argument.map(bytes)))
                }
                // getopt permutes argv so that the operands come last.
                if !parsed.failed {
                    for index in Int(next)..<strings.count {
                        if let pointer = argvBuffer[index] { parsed.operands.append(bytes(pointer)) }
                    }
                }
            }
        }
        return parsed
    }

    private static func duplicate(_ bytes: [UInt8]) -> UnsafeMutablePointer<CChar>? {
        let copy = malloc(bytes.count + 1)!.assumingMemoryBound(to: CChar.self)
        bytes.withUnsafeBytes { source in
            if let base = source.baseAddress { UnsafeMutableRawPointer(copy).copyMemory(from: base, byteCount: bytes.count) }
        }
        copy[bytes.count] = 0
        return copy
    }

    private static func bytes(_ pointer: UnsafeMutablePointer<CChar>) -> [UInt8] {
        Array(UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)))
    }

    static func code(_ letter: Unicode.Scalar) -> Int32 { Int32(letter.value) }
}
