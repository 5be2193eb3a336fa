/// The zsh completion script: an `_arguments` function per command, and
/// `_inotify`, which zsh runs for `inotify` and each drop-in name. It works
/// both as a file `_inotify` on $fpath and sourced after compinit.
enum ZshCompletion {
    static func script() -> String {
        let names = ["inotify"] + DropInNames.all.map(\.name)
        var lines = [
            "#compdef \(names.joined(separator: " "))",
            "# zsh completion for inotify and its drop-in names.",
            "# Made by 'inotify --completions zsh' from inotify's table of options. To load it, save it",
            "# as _inotify in a directory of $fpath, or after compinit: source <(inotify --completions zsh)",
            "",
            "__inotify_event_names() {",
            "    _values -s , event \(CompletionValue.eventNames.joined(separator: " "))",
            "}",
            "",
            "__inotify_event_or_total() {",
            "    local expl",
            "    _wanted events expl event compadd - total \(CompletionValue.eventNames.joined(separator: " "))",
            "}",
            "",
            "__inotify_timefmts() {",
            "    local expl",
            "    local -a formats",
            "    formats=(\(CompletionValue.timeFormats.map(CompletionShell.singleQuoted).joined(separator: " ")))",
            "    _wanted formats expl 'time format' compadd -a formats",
            "}",
            "",
        ]
        lines += Command.allCases.map(function(for:))
        lines += [top(), ""]
        // Autoloaded from $fpath, the file is _inotify's body: it defines
        // the functions above and completes; sourced, it registers them.
        lines += [
            "if [[ $funcstack[1] == _inotify ]]; then",
            "    _inotify \"$@\"",
            "else",
            "    compdef _inotify \(names.joined(separator: " "))",
            "fi",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// `_inotify_wait`: the function that completes `command`'s words.
    static func functionName(_ command: Command) -> String { "_inotify_\(command.rawValue)" }

    /// `command`'s options as `_arguments` specs, short and long apart,
    /// each repeatable (`-qq`, `-e a -e b`), then its operands: files; after
    /// `--`, where a command follows it (inotify run), that command's words.
    static func function(for command: Command) -> String {
        var specs: [String] = []
        for option in OptionSpec.options(of: command) {
            let description = "[" + escape(CompletionShell.shortDescription(option.help(for: command) ?? "")) + "]"
            let value = action(for: option)
            // `-e+`: the value attached or the next word; `--event=`: after `=` or the next word.
            let (short, long) =
                switch option.argument {
                case .none: ("", "")
                case .required: ("+", "=")
                case .optional: ("-", "=-")
                }
            if let letter = option.short { specs.append("*-\(letter)\(short)\(description)\(value)") }
            specs.append("*--\(option.long)\(long)\(description)\(value)")
        }
        specs.append("*:path:_files")
        var lines = ["\(functionName(command))() {"]
        if CommandSpec.spec(command).usage.contains("-- command") {
            lines += [
                "    local separator=${words[(i)--]}",
                "    if ((separator < CURRENT)); then",
                "        shift $separator words",
                "        ((CURRENT -= separator))",
                "        _normal",
                "        return",
                "    fi",
            ]
        }
        lines.append("    _arguments -s -S \\")
        lines.append(specs.map { "        " + CompletionShell.singleQuoted($0) }.joined(separator: " \\\n"))
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// `:events:__inotify_event_names`: the value's message and what completes it.
    private static func action(for option: OptionSpec) -> String {
        let message = escape(option.argument.valueName ?? "value")
        let optional = if case .optional = option.argument { "::" } else { ":" }
        switch CompletionValue.of(option) {
        case .none: return ""
        case .events: return optional + message + ":__inotify_event_names"
        case .eventOrTotal: return optional + message + ":__inotify_event_or_total"
        case .timeFormat: return optional + message + ":__inotify_timefmts"
        case .path: return optional + message + ":_files"
        case .choices(let words): return optional + message + ":(" + words.joined(separator: " ") + ")"
        // A space: the message is shown, nothing is offered.
        case .free: return optional + message + ": "
        }
    }

    /// `_inotify`: a drop-in name's command, or inotify's subcommand (or
    /// own option) and then the subcommand's words.
    private static func top() -> String {
        let subcommands = CommandSpec.all.map {
            CompletionShell.singleQuoted(escape($0.command.rawValue) + ":" + $0.summary)
        }
        let options = TopLevelOption.all.flatMap { option in
            option.spellings.map { CompletionShell.singleQuoted(escape($0) + ":" + CompletionShell.shortDescription(option.text)) }
        }
        var lines = [
            "_inotify() {",
            "    local curcontext=$curcontext expl",
            "    case $service in",
        ]
        lines += DropInNames.all.map { "        \($0.name)) \(functionName($0.command)); return ;;" }
        lines += [
            "    esac",
            "    if ((CURRENT == 2)); then",
            "        local -a subcommands options",
            "        subcommands=(\(subcommands.joined(separator: " ")))",
            "        options=(\(options.joined(separator: " ")))",
            "        _describe -t subcommands 'inotify subcommand' subcommands",
            "        [[ $PREFIX == -* ]] && _describe -t options option options",
            "        return 0",
            "    fi",
            "    local subcommand=$words[2]",
            "    shift words",
            "    ((CURRENT--))",
            "    curcontext=${curcontext%:*:*}:inotify-$subcommand:",
            "    case $subcommand in",
        ]
        lines += Command.allCases.map { "        \($0.rawValue)) \(functionName($0)) ;;" }
        for option in TopLevelOption.all where !option.choices.isEmpty {
            lines.append("        \(option.spellings.joined(separator: "|"))) ((CURRENT == 2)) && _wanted values expl "
                + "\(option.value ?? "value") compadd - \(option.choices.joined(separator: " ")) ;;")
        }
        lines += ["    esac", "}"]
        return lines.joined(separator: "\n")
    }

    /// Text inside an `_arguments` spec or a `_describe` name: its brackets,
    /// colons and backslashes escaped.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if "[]:\\".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}
