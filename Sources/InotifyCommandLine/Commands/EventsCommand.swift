import Inotify

/// `inotify events`: the kernel's events as they are, in py-inotify's line
/// format, for seeing what really arrives.
enum EventsCommand {
    static func run(program: String, arguments: [[UInt8]]) -> Int32 {
        let parsed = Getopt.parse(
            program: program, arguments: arguments, short: "he:n:",
            long: [
                LongOption(name: "help", takesArgument: false, code: Getopt.code("h")),
                LongOption(name: "mask", takesArgument: true, code: Getopt.code("e")),
                LongOption(name: "count", takesArgument: true, code: Getopt.code("n")),
            ])
        if parsed.failed { return 1 }
        var mask: UInt32 = 0
        var limit = 0
        for (code, argument) in parsed.options {
            let text = argument.map { String(decoding: $0, as: UTF8.self) } ?? ""
            switch code {
            case Getopt.code("h"):
                HelpText.events(program: program)
                return 0
            case Getopt.code("e"):
                guard let bits = EventNames.parseOption(text) else { return 1 }
                mask |= bits
            case Getopt.code("n"):
                guard let count = Int(text), count > 0 else {
                    printError("--count '\(text)' is not a positive whole number.")
                    return 1
                }
                limit = count
            default: break
            }
        }
        guard !parsed.operands.isEmpty else {
            printError("No files specified to watch!")
            return 1
        }
        guard let watch = RawWatch(paths: parsed.operands, mask: mask == 0 ? Inotify.IN_ALL_EVENTS : mask,
                                   noDereference: false, diagnostics: Diagnostics(syslog: false, identity: "inotify"))
        else { return 1 }
        var out = OutputBuffer(descriptor: 1)
        var seen = 0
        var failed = false
        let stop = watch.run(
            timeout: 0,
            handle: { event, _ in
                out.append(event.makeEvent().description)
                out.bytes.append(0x0A)
                seen += 1
                return limit == 0 || seen < limit
            },
            batchEnd: {
                if let failure = out.flush() {
                    printError("Couldn't write events: \(errnoText(failure))")
                    failed = true
                    return false
                }
                return true
            })
        return failed || stop == .failed ? 1 : 0
    }
}
