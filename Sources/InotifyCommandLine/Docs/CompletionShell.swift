/// A shell `inotify --completions` writes a script for. Each script
/// completes `inotify` (its subcommands, then each one's options) and each
/// drop-in name (`inotifywait`: wait's options), from ``OptionSpec/table``.
enum CompletionShell: String, CaseIterable, Sendable {
    case bash, zsh, fish

    /// The shell's script.
    func script() -> String {
        switch self {
        case .bash: BashCompletion.script()
        case .zsh: ZshCompletion.script()
        case .fish: FishCompletion.script()
        }
    }

    /// The first clause of a help line, which a shell shows beside an
    /// option: `Events to report`, `Print this help`. A clause ends at a
    /// `. `, `; ` or `: ` outside parentheses.
    static func shortDescription(_ help: String) -> String {
        let characters = Array(help)
        var depth = 0
        var end = characters.count
        for index in characters.indices {
            let character = characters[index]
            if character == "(" { depth += 1 }
            if character == ")" { depth = max(depth - 1, 0) }
            if ".;:".contains(character), depth == 0, index + 1 < characters.count, characters[index + 1] == " " {
                end = index
                break
            }
        }
        var text = String(characters[..<end])
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// `text` as one word for sh and zsh: in single quotes.
    static func singleQuoted(_ text: String) -> String {
        "'" + text.replacing("'", with: "'\\''") + "'"
    }
}
