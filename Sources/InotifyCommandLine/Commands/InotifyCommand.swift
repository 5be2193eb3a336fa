import Glibc

/// The executable's entry: a subcommand (`inotify wait ...`), or the tool a
/// link is named after (`inotifywait ...`).
public enum InotifyCommand {
    /// Runs with the process's arguments, bytes as given; returns the exit status.
    public static func main(arguments: [[UInt8]]) -> Int32 {
        let invokedAs = arguments.first.map { lastPathComponent($0) } ?? "inotify"
        let rest = Array(arguments.dropFirst())
        switch invokedAs {
        case "inotifywait": return WaitCommand.run(program: "inotifywait", arguments: rest)
        case "inotifywatch": return StatsCommand.run(program: "inotifywatch", arguments: rest)
        default: break
        }
        guard let subcommand = rest.first.map({ String(decoding: $0, as: UTF8.self) }) else {
            HelpText.top()
            return 1
        }
        let subArguments = Array(rest.dropFirst())
        switch subcommand {
        case "wait": return WaitCommand.run(program: "inotify wait", arguments: subArguments)
        case "stats": return StatsCommand.run(program: "inotify stats", arguments: subArguments)
        case "events": return EventsCommand.run(program: "inotify events", arguments: subArguments)
        case "-h", "--help", "help":
            HelpText.top()
            return 0
        default:
            printError("inotify: unknown subcommand '\(subcommand)'; expected wait, stats or events (see 'inotify --help').")
            return 1
        }
    }

    /// The arguments exactly as the kernel passed them: Swift's
    /// `CommandLine.arguments` would replace bytes that are not UTF-8.
    public static func rawArguments() -> [[UInt8]] {
        (0..<Int(CommandLine.argc)).map { index in
            guard let pointer = CommandLine.unsafeArgv[index] else { return [] }
            return Array(UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)))
        }
    }

    private static func lastPathComponent(_ bytes: [UInt8]) -> String {
        let name = bytes.split(separator: UInt8(ascii: "/")).last.map(Array.init) ?? bytes
        return String(decoding: name, as: UTF8.self)
    }
}
