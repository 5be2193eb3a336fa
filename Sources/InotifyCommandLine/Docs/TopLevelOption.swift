/// An option `inotify` takes itself, in place of a subcommand: its help,
/// and what prints its man pages and its shell completions. `inotify
/// --help` lists only the subcommands; `inotify(1)` and the completions
/// list these.
struct TopLevelOption: Sendable {
    /// `-h`, `--help`.
    let spellings: [String]
    /// The value's name (`page`); nil for an option without one.
    let value: String?
    let text: String

    static let all = [
        TopLevelOption(spellings: ["-h", "--help"], value: nil, text: "Print the subcommands, and exit."),
        TopLevelOption(spellings: ["--version"], value: nil, text: "Print the version, and exit."),
        TopLevelOption(
            spellings: ["--man"], value: "page",
            text: "Print the man page <page> in roff, the name without its section (inotify-wait, inotifywait), "
                + "and exit; 'inotify --man inotifywait | man -l -' shows it."),
        TopLevelOption(spellings: ["--man-pages"], value: nil, text: "Print the names of the man pages, one per line."),
        TopLevelOption(
            spellings: ["--completions"], value: "shell",
            text: "Print the completion script of bash, zsh or fish for inotify and its drop-in names; "
                + "'source <(inotify --completions bash)' loads it."),
    ]

    /// What the option's value completes to: the pages, the shells.
    var choices: [String] {
        switch spellings.last {
        case "--man": ManPage.all.map(\.name)
        case "--completions": CompletionShell.allCases.map(\.rawValue)
        default: []
        }
    }
}
