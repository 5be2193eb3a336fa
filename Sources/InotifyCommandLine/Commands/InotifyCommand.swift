import Glibc

/// The executable's entry: a subcommand (`inotify wait ...`), or the tool a
/// link is named after (`inotifywait ...`).
public enum InotifyCommand {
    /// Runs with the process's arguments, bytes as given; returns the exit status.
    public static func main(arguments: [[UInt8]]) -> Int32 {
        let invokedAs = arguments.first.map { lastPathComponent($0) } ?? "inotify"
        let rest = Array(arguments.dropFirst())
        if let command = CommandSpec.command(linkedAs: invokedAs) {
            return run(command, program: invokedAs, arguments: rest)
        }
        guard let subcommand = rest.first.map({ String(decoding: $0, as: UTF8.self) }) else {
            print(HelpText.renderTop(), terminator: "")
            return 1
        }
        if let command = Command(rawValue: subcommand) {
            return run(command, program: "inotify \(subcommand)", arguments: Array(rest.dropFirst()))
        }
        switch subcommand {
        case "-h", "--help", "help":
            print(HelpText.renderTop(), terminator: "")
            return 0
        case "--version":
            print(ProjectVersion.topLine)
            return 0
        case let option where DocsCommand.options.contains(option):
            return DocsCommand.run(rest.map { String(decoding: $0, as: UTF8.self) })
        default:
            let names = Command.allCases.map(\.rawValue)
            printError("inotify: unknown subcommand '\(subcommand)'; expected "
                + names.dropLast().joined(separator: ", ") + " or \(names.last ?? "")"
                + " (see 'inotify --help').")
            return 1
        }
    }

    private static func run(_ command: Command, program: String, arguments: [[UInt8]]) -> Int32 {
        switch command {
        case .wait: WaitCommand.run(program: program, arguments: arguments)
        case .stats: StatsCommand.run(program: program, arguments: arguments)
        case .events: EventsCommand.run(program: program, arguments: arguments)
        case .run: RunCommand.run(program: program, arguments: arguments)
        case .fsnotifywait: WaitCommand.run(program: program, arguments: arguments, command: .fsnotifywait)
        case .fsnotifywatch: StatsCommand.run(program: program, arguments: arguments, command: .fsnotifywatch)
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
