/// The bash completion script: a function per command, bound to
/// `inotify` (after its subcommand) and to each drop-in name.
enum BashCompletion {
    static func script() -> String {
        var lines = [
            "# bash completion for inotify and its drop-in names (\(DropInNames.all.map(\.name).joined(separator: ", "))).",
            "# Made by 'inotify --completions bash' from inotify's table of options. To load it:",
            "#   source <(inotify --completions bash)",
            "",
            "__inotify_event_names=(\(CompletionValue.eventNames.joined(separator: " ")))",
            // Each as it is typed on a line: a space escaped.
            "__inotify_timefmts=(\(CompletionValue.timeFormats.map { CompletionShell.singleQuoted($0.replacing(" ", with: "\\ ")) }.joined(separator: " ")))",
            "",
            "# Adds to COMPREPLY each word after the first two arguments that starts",
            "# with the second, after the first.",
            "__inotify_add() {",
            "    local prefix=$1 cur=$2 word",
            "    shift 2",
            "    for word in \"$@\"; do",
            "        [[ $word == \"$cur\"* ]] && COMPREPLY+=(\"$prefix$word\")",
            "    done",
            "    return 0",
            "}",
            "",
            "# Completes the name after the last comma of a list of names.",
            "__inotify_list() {",
            "    local cur=$1 prefix=",
            "    shift",
            "    [[ $cur == *,* ]] && prefix=${cur%,*},",
            "    __inotify_add \"$prefix\" \"${cur##*,}\" \"$@\"",
            "}",
            "",
            "__inotify_files() {",
            "    compopt -o filenames 2>/dev/null",
            "    local IFS=$'\\n'",
            "    COMPREPLY+=($(compgen -f -- \"$1\"))",
            "}",
            "",
        ]
        lines += Command.allCases.map(function(for:))
        lines += [top(), ""]
        lines.append("complete -F _inotify inotify")
        lines += DropInNames.all.map { "complete -F \(functionName($0.command)) \($0.name)" }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `_inotify_wait`: the function that completes `command`'s words.
    static func functionName(_ command: Command) -> String { "_inotify_\(command.rawValue)" }

    /// The function that completes `command`: an option's value after the
    /// option, options after `-`, files otherwise; after `--`, a command
    /// where one follows it (inotify run), files where operands do.
    static func function(for command: Command) -> String {
        let options = OptionSpec.options(of: command)
        let takesCommand = CommandSpec.spec(command).usage.contains("-- command")
        var lines = [
            "\(functionName(command))() {",
            "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} i",
            "    COMPREPLY=()",
            // `--event=clo` is three words: --event, =, clo.
            "    [[ $prev == = && $COMP_CWORD -gt 1 ]] && prev=${COMP_WORDS[COMP_CWORD-2]}",
            "    for ((i = 1; i < COMP_CWORD; i++)); do",
            "        if [[ ${COMP_WORDS[i]} == -- ]]; then",
        ]
        if takesCommand {
            lines += [
                "            if ((i == COMP_CWORD - 1)); then COMPREPLY=($(compgen -c -- \"$cur\")); else __inotify_files \"$cur\"; fi",
            ]
        } else {
            lines += ["            __inotify_files \"$cur\""]
        }
        lines += ["            return", "        fi", "    done", "    case $prev in"]
        var byValue: [(pattern: [String], action: String)] = []
        for option in options {
            let action: String
            switch CompletionValue.of(option) {
            case .none: continue
            case .events: action = "__inotify_list \"$cur\" \"${__inotify_event_names[@]}\""
            case .eventOrTotal: action = "__inotify_add \"\" \"$cur\" total \"${__inotify_event_names[@]}\""
            case .timeFormat: action = "__inotify_add \"\" \"$cur\" \"${__inotify_timefmts[@]}\""
            case .path: action = "__inotify_files \"$cur\""
            case .choices(let words): action = "__inotify_add \"\" \"$cur\" \(words.joined(separator: " "))"
            case .free: action = ":"
            }
            if let index = byValue.firstIndex(where: { $0.action == action }) {
                byValue[index].pattern += option.spellings
            } else {
                byValue.append((option.spellings, action))
            }
        }
        for entry in byValue {
            lines.append("        \(entry.pattern.joined(separator: "|"))) \(entry.action); return ;;")
        }
        lines += [
            "    esac",
            "    if [[ $cur == -* ]]; then",
            "        __inotify_add \"\" \"$cur\" \(options.flatMap(\.spellings).joined(separator: " "))",
            "        return",
            "    fi",
            "    __inotify_files \"$cur\"",
            "}",
            "",
        ]
        return lines.joined(separator: "\n")
    }

    /// `_inotify`: the subcommand, or inotify's own options, then the subcommand's function.
    private static func top() -> String {
        let first = Command.allCases.map(\.rawValue) + TopLevelOption.all.flatMap(\.spellings)
        var lines = [
            "_inotify() {",
            "    local cur=${COMP_WORDS[COMP_CWORD]}",
            "    COMPREPLY=()",
            "    if ((COMP_CWORD == 1)); then",
            "        __inotify_add \"\" \"$cur\" \(first.joined(separator: " "))",
            "        return",
            "    fi",
            "    case ${COMP_WORDS[1]} in",
        ]
        lines += Command.allCases.map { "        \($0.rawValue)) \(functionName($0)) ;;" }
        for option in TopLevelOption.all where !option.choices.isEmpty {
            lines.append("        \(option.spellings.joined(separator: "|"))) ((COMP_CWORD == 2)) && "
                + "__inotify_add \"\" \"$cur\" \(option.choices.joined(separator: " ")) ;;")
        }
        lines += [
            "    esac",
            "    return 0",
            "}",
        ]
        return lines.joined(separator: "\n")
    }
}
