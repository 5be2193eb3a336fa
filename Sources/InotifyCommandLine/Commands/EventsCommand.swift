import Inotify

/// `inotify events`: the kernel's events as they are, in py-inotify's line
/// format, for seeing what really arrives.
enum EventsCommand {
    static func run(program: String, arguments: [[UInt8]]) -> Int32 {
        let options: EventsOptions
        switch EventsOptions.parse(program: program, arguments: arguments) {
        case .run(let parsed): options = parsed
        case .help: return HelpText.show(.events, program: program)
        case .version: return ProjectVersion.show(program: program)
        case .refused(let refusal): return refusal.report()
        }
        guard !options.operands.isEmpty else {
            printError("No files specified to watch!")
            return 1
        }
        guard let watch = RawWatch(paths: options.operands, mask: options.mask.isEmpty ? .allEvents : options.mask,
                                   noDereference: false, diagnostics: Diagnostics(syslog: false, identity: "inotify"))
        else { return 1 }
        var out = OutputBuffer(descriptor: 1)
        var seen = 0
        var failed = false
        let stop = watch.readEvents(
            timeout: 0,
            handle: { event, _ in
                out.append(event.makeEvent().description)
                out.bytes.append(0x0A)
                seen += 1
                return options.count == 0 || seen < options.count
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
