import Inotify

/// Each command's `--help`, made from ``CommandSpec`` and its rows of
/// ``OptionSpec/table``, and `inotify --help` from the list of commands.
enum HelpText {
    /// Lines are wrapped to fit a terminal this wide.
    static let width = 80
    /// A name longer than this puts its text on the next line.
    private static let widestColumn = 30

    /// The help of `command` run as `program`.
    static func render(_ command: Command, program: String) -> String {
        let spec = CommandSpec.spec(command)
        let options = OptionSpec.options(of: command).map { option in
            (left: spelling(option), text: option.help(for: command) ?? "")
        }
        let operands = spec.operands.map { (left: $0.name, text: $0.text) }
        let column = self.column(for: (options + operands).map(\.left))
        var sections = ["USAGE: \(program) \(spec.usage)", wrap(spec.description, indent: 0)]
        if !operands.isEmpty { sections.append("ARGUMENTS:\n" + rows(operands, column: column)) }
        sections.append("OPTIONS:\n" + rows(options, column: column))
        if spec.listsEventNames { sections.append("EVENTS:\n" + wrap(eventNames.joined(separator: " "), indent: 2)) }
        if !spec.exitStatuses.isEmpty {
            let statuses = spec.exitStatuses.map { (left: $0.name, text: $0.text) }
            sections.append("EXIT STATUS:\n" + rows(statuses, column: self.column(for: statuses.map(\.left))))
        }
        return sections.joined(separator: "\n\n") + "\n"
    }

    /// Prints the help of `command` on standard output and gives the exit
    /// status that follows it.
    static func show(_ command: Command, program: String) -> Int32 {
        print(render(command, program: program), terminator: "")
        return CommandSpec.spec(command).helpStatus
    }

    /// `inotify --help`.
    static func renderTop() -> String {
        let commands = CommandSpec.all.map { (left: $0.command.rawValue, text: $0.summary) }
        let links = CommandSpec.all.flatMap(\.linkNames)
        let description = "Linux inotify(7) and fanotify(7) from the command line. Also answers to the names "
            + links.dropLast().joined(separator: ", ") + " and \(links.last ?? "")"
            + " (ln -s inotify \(links.first ?? "")), as that tool."
        let options = TopLevelOption.all.map { option in
            (left: option.spellings.joined(separator: ", ") + (option.value.map { " <\($0)>" } ?? ""), text: option.text)
        }
        return [
            "USAGE: inotify <subcommand> [options] path...",
            wrap(description, indent: 0),
            "SUBCOMMANDS:\n" + rows(commands, column: column(for: commands.map(\.left))),
            "OPTIONS:\n" + rows(options, column: column(for: options.map(\.left))),
            "See 'inotify <subcommand> --help' for each one's options.",
        ].joined(separator: "\n\n") + "\n"
    }

    /// `-e, --event <events>`; a long-only option lines up with the long
    /// names; `--name[=<value>]` for a value that may be left out.
    static func spelling(_ option: OptionSpec) -> String {
        var text = option.short.map { "-\($0), " } ?? "    "
        text += "--" + option.long
        switch option.argument {
        case .none: break
        case .required(let value): text += " <\(value)>"
        case .optional(let value): text += "[=<\(value)>]"
        }
        return text
    }

    /// The names `-e` takes that ask for events or that the kernel sends
    /// unasked, in the table's order; not the flags (`isdir`, `oneshot`),
    /// which `-e` takes too but which name no event.
    static var eventNames: [String] {
        let events: Inotify.EventMask = [.allEvents, .unmount, .queueOverflow, .ignored]
        return EventList.names.filter { !$0.mask.isDisjoint(with: events) }.map { $0.name.lowercased() }
    }

    /// Where the texts of rows start: two spaces past the widest name, up
    /// to ``widestColumn``.
    private static func column(for names: [String]) -> Int {
        min(2 + (names.map(\.count).max() ?? 0) + 2, widestColumn)
    }

    /// Rows of a name and its text, the text wrapped at `column`.
    private static func rows(_ rows: [(left: String, text: String)], column: Int) -> String {
        rows.map { row in
            let name = "  " + row.left
            let text = wrap(row.text, indent: column)
            let body = text.dropFirst(column)
            if name.count + 2 <= column {
                return name + String(repeating: " ", count: column - name.count) + body
            }
            return name + "\n" + text
        }.joined(separator: "\n")
    }

    /// `text` broken at spaces into lines of at most ``width``, each
    /// indented by `indent`; a word longer than a line has one to itself.
    static func wrap(_ text: String, indent: Int) -> String {
        let margin = String(repeating: " ", count: indent)
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && indent + line.count + 1 + word.count > width {
                lines.append(margin + line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        lines.append(margin + line)
        return lines.joined(separator: "\n")
    }
}
