/// A man page `inotify --man` prints: `inotify(1)`, a subcommand's
/// (`inotify-wait(1)`), or a drop-in name's (`inotifywait(1)`), which is
/// the same command's page under the name it runs as. All are made from
/// ``CommandSpec`` and ``OptionSpec/table``, as `--help` is, so the two
/// cannot disagree.
struct ManPage: Sendable, Hashable {
    /// What a page documents.
    enum Subject: Sendable, Hashable {
        /// `inotify` itself: its subcommands and the names it answers to.
        case top
        /// A command, run as `program` (`inotify wait`, `inotifywait`).
        case command(Command, program: String)
    }

    /// The page's name without its section: `inotify-wait`.
    let name: String
    let subject: Subject

    /// The section of every page: user commands.
    static let section = 1

    /// Every page, `inotify` first, then the subcommands', then the drop-in names'.
    static var all: [ManPage] {
        [ManPage(name: "inotify", subject: .top)]
            + Command.allCases.map { command in
                ManPage(name: subcommandPageName(command), subject: .command(command, program: "inotify \(command.rawValue)"))
            }
            + DropInNames.all.map { ManPage(name: $0.name, subject: .command($0.command, program: $0.name)) }
    }

    /// The page called `name` (no section), if there is one.
    static func named(_ name: String) -> ManPage? {
        all.first { $0.name == name }
    }

    /// `inotify-wait`: the page of a subcommand.
    static func subcommandPageName(_ command: Command) -> String {
        "inotify-\(command.rawValue)"
    }

    /// The pages of `command`: its subcommand's, then its drop-in names'.
    static func pageNames(of command: Command) -> [String] {
        [subcommandPageName(command)] + CommandSpec.spec(command).linkNames
    }

    /// The page in roff, for man(1).
    func render() -> String {
        switch subject {
        case .top: TopManPage.render()
        case .command(let command, let program): CommandManPage.render(command, program: program, page: name)
        }
    }

    /// `.TH`: the page's title, section, date, source and manual; then no
    /// hyphenation, which would break option names at the end of a line.
    static func titleLine(_ name: String) -> String {
        // The date's hyphens are hyphens, not the minus signs of options.
        Roff.request("TH", [
            Roff.escape(name.uppercased()), "\(section)", ProjectVersion.date,
            "inotify \(ProjectVersion.version)", "User Commands",
        ]) + "\n" + Roff.request("nh")
    }

    /// `.SH NAME`'s line, as whatis(1) and apropos(1) read it: `name \- summary`.
    static func nameSection(_ name: String, summary: String) -> String {
        Roff.request("SH", ["NAME"]) + "\n" + Roff.escape(name) + " \\- " + Roff.escape(summary)
    }

    /// `.SH "SEE ALSO"`: references separated by commas.
    static func seeAlsoSection(_ references: [(name: String, section: Int)]) -> String {
        let lines = references.enumerated().map { index, reference in
            Roff.request("BR", [Roff.escape(reference.name), "(\(reference.section))" + (index < references.count - 1 ? "," : "")])
        }
        return ([Roff.request("SH", ["SEE ALSO"])] + lines).joined(separator: "\n")
    }
}
