/// The fish completion script: `complete` lines for each drop-in name, and
/// for `inotify`, its subcommands and then each one's options.
enum FishCompletion {
    static func script() -> String {
        var lines = [
            "# fish completion for inotify and its drop-in names.",
            "# Made by 'inotify --completions fish' from inotify's table of options. To load it, save it",
            "# as ~/.config/fish/completions/inotify.fish (and under each drop-in name), or:",
            "#   inotify --completions fish | source",
            "",
            "# The event names, each after the list typed so far: a comma-separated list grows by one.",
            "function __inotify_event_names",
            "    set -l token (string replace -r -- '^-[^=]*=' '' (commandline -ct))",
            "    set -l prefix (string match -r -- '^.*,' $token)",
            "    for name in \(CompletionValue.eventNames.joined(separator: " "))",
            "        printf '%s\\n' \"$prefix$name\"",
            "    end",
            "end",
            "",
            "function __inotify_timefmts",
            "    printf '%s\\n' \(CompletionValue.timeFormats.map(quoted).joined(separator: " "))",
            "end",
            "",
        ]
        for link in DropInNames.all {
            lines += self.lines(for: link.command, program: link.name, condition: nil)
            lines.append("")
        }
        let top = "complete -c inotify -n __fish_use_subcommand"
        lines += CommandSpec.all.map { "\(top) -f -a \($0.command.rawValue) -d \(quoted($0.summary))" }
        for option in TopLevelOption.all {
            let names = option.spellings.map { $0.hasPrefix("--") ? "-l " + $0.dropFirst(2) : "-s " + $0.dropFirst() }
            let value = option.value == nil ? "-f" : "-x -a " + quoted(option.choices.joined(separator: " "))
            lines.append("\(top) \(names.joined(separator: " ")) \(value) -d \(quoted(CompletionShell.shortDescription(option.text)))")
        }
        for command in Command.allCases {
            lines += self.lines(
                for: command, program: "inotify", condition: "__fish_seen_subcommand_from \(command.rawValue)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A `complete` line per option of `command` run as `program`, under
    /// `condition` where the command is a subcommand.
    static func lines(for command: Command, program: String, condition: String?) -> [String] {
        let prefix = "complete -c \(program)" + (condition.map { " -n " + quoted($0) } ?? "")
        return OptionSpec.options(of: command).map { option in
            var line = prefix
            if let short = option.short { line += " -s \(short)" }
            line += " -l \(option.long)"
            let required = if case .required = option.argument { true } else { false }
            // -x: a value must follow, none of them files; -f: no files.
            let noFiles = required ? " -x" : " -f"
            switch CompletionValue.of(option) {
            case .none: break
            case .events: line += noFiles + " -a '(__inotify_event_names)'"
            case .eventOrTotal: line += noFiles + " -a " + quoted((["total"] + CompletionValue.eventNames).joined(separator: " "))
            case .timeFormat: line += noFiles + " -a '(__inotify_timefmts)'"
            case .path: line += (required ? " -r" : "") + " -F"
            case .choices(let words): line += noFiles + " -a " + quoted(words.joined(separator: " "))
            case .free: line += noFiles
            }
            return line + " -d " + quoted(CompletionShell.shortDescription(option.help(for: command) ?? ""))
        }
    }

    /// `text` as one fish word: in single quotes, where only `\` and `'` are escaped.
    static func quoted(_ text: String) -> String {
        "'" + text.replacing("\\", with: "\\\\").replacing("'", with: "\\'") + "'"
    }
}
