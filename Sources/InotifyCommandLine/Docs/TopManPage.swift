/// `inotify(1)`: the subcommands, the names it answers to as a drop-in,
/// and its own options; each command's page has the rest.
enum TopManPage {
    static func render() -> String {
        let links = DropInNames.all
        let linkList = links.dropLast().map { Roff.bold($0.name) }.joined(separator: ", ")
            + (links.count > 1 ? " and " : "") + (links.last.map { Roff.bold($0.name) } ?? "")
        let synopsis = [Roff.bold("inotify") + " " + Roff.italic("subcommand") + " [" + Roff.italic("options") + "] "
            + Roff.italic("path") + "..."]
            + TopLevelOption.all.map { option in
                Roff.bold("inotify " + (option.spellings.last ?? "")) + (option.value.map { " " + Roff.italic($0) } ?? "")
            }
        let sections = [
            ManPage.titleLine("inotify"),
            ManPage.nameSection("inotify", summary: "Linux inotify and fanotify from the command line"),
            Roff.request("SH", ["SYNOPSIS"]) + "\n" + synopsis.joined(separator: "\n" + Roff.request("br") + "\n"),
            Roff.request("SH", ["DESCRIPTION"]) + "\n" + Roff.bold("inotify") + Roff.escape(
                " watches files and directories with the kernel's inotify(7) and fanotify(7) interfaces. Each "
                    + "subcommand has a page of its own. It also answers to the names ")
                + linkList + Roff.escape(
                    ", as that tool, a drop-in replacement: a link to inotify so named runs it (ln -s inotify "
                        + "\(links.first?.name ?? "inotifywait")). Each of these names has a page too."),
            Roff.request("SH", ["SUBCOMMANDS"]) + "\n" + CommandSpec.all.map { spec in
                [Roff.request("TP"), Roff.bold(spec.command.rawValue),
                 Roff.text(spec.summary + "."), "See " + Roff.reference(ManPage.subcommandPageName(spec.command)) + "."]
                    .joined(separator: "\n")
            }.joined(separator: "\n"),
            Roff.request("SH", ["DROP-IN NAMES"]) + "\n" + links.map { link in
                [Roff.request("TP"), Roff.bold(link.name),
                 Roff.bold("inotify \(link.command.rawValue)") + " under this name; see " + Roff.reference(link.name) + "."]
                    .joined(separator: "\n")
            }.joined(separator: "\n"),
            Roff.request("SH", ["OPTIONS"]) + "\n" + TopLevelOption.all.map { option in
                [Roff.request("TP"),
                 option.spellings.map(Roff.bold).joined(separator: ", ") + (option.value.map { " " + Roff.italic($0) } ?? ""),
                 Roff.text(option.text)].joined(separator: "\n")
            }.joined(separator: "\n"),
            ManPage.seeAlsoSection(
                ManPage.all.filter { $0.name != "inotify" }.map { (name: $0.name, section: ManPage.section) }
                    + [(name: "inotify", section: 7), (name: "fanotify", section: 7)]),
        ]
        return sections.joined(separator: "\n") + "\n"
    }
}
