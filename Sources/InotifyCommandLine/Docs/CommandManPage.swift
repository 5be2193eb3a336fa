/// A command's man page, from the same ``CommandSpec`` and rows of
/// ``OptionSpec/table`` as its `--help`: what help says, in roff, under the
/// name the page is for.
enum CommandManPage {
    /// The page `page` of `command` run as `program` (`inotify wait` or `inotifywait`).
    static func render(_ command: Command, program: String, page: String) -> String {
        let spec = CommandSpec.spec(command)
        let options = OptionSpec.options(of: command)
        var sections = [
            ManPage.titleLine(page),
            ManPage.nameSection(page, summary: spec.summary),
            Roff.request("SH", ["SYNOPSIS"]) + "\n" + Roff.request("B", [Roff.escape(program)]) + "\n"
                + Roff.text(spec.usage),
            description(spec, program: program),
            Roff.request("SH", ["OPTIONS"]) + "\n" + options.map { item($0, command: command) }.joined(separator: "\n"),
        ]
        if !spec.operands.isEmpty {
            sections.append(Roff.request("SH", ["ARGUMENTS"]) + "\n" + spec.operands.map {
                [Roff.request("TP"), Roff.bold($0.name), Roff.text($0.text)].joined(separator: "\n")
            }.joined(separator: "\n"))
        }
        if spec.listsEventNames {
            sections.append(Roff.request("SH", ["EVENTS"]) + "\n"
                + Roff.text("The names of events, as options take them, in any case:") + "\n"
                + Roff.request("PP") + "\n"
                + HelpText.eventNames.map(Roff.bold).joined(separator: ",\n"))
        }
        if !spec.exitStatuses.isEmpty {
            sections.append(Roff.request("SH", ["EXIT STATUS"]) + "\n" + spec.exitStatuses.map {
                [Roff.request("TP"), Roff.bold($0.name), Roff.text($0.text)].joined(separator: "\n")
            }.joined(separator: "\n"))
        }
        sections.append(ManPage.seeAlsoSection(seeAlso(command, page: page, options: options)))
        return sections.joined(separator: "\n") + "\n"
    }

    /// An option's tag and text: `-e, --event events`, as help spells it.
    static func item(_ option: OptionSpec, command: Command) -> String {
        var tag = option.short.map { Roff.bold("-\($0)") + ", " } ?? ""
        tag += Roff.bold("--" + option.long)
        switch option.argument {
        case .none: break
        case .required(let value): tag += " " + Roff.italic(value)
        case .optional(let value): tag += "[=" + Roff.italic(value) + "]"
        }
        return [Roff.request("TP"), tag, Roff.text(option.help(for: command) ?? "")].joined(separator: "\n")
    }

    /// Help's description, then which names run the command: a drop-in
    /// name's page says whose page it is, a subcommand's names its drop-ins.
    private static func description(_ spec: CommandSpec, program: String) -> String {
        var text = Roff.request("SH", ["DESCRIPTION"]) + "\n" + Roff.text(spec.description)
        let links = spec.linkNames
        guard let first = links.first else { return text }
        let subcommand = "inotify \(spec.command.rawValue)"
        text += "\n" + Roff.request("PP") + "\n"
        if links.contains(program) {
            text += Roff.bold(program) + " is " + Roff.bold(subcommand) + " under the name of the tool it stands in "
                + "for: " + Roff.bold("inotify") + " run by a link so named (" + Roff.escape("ln -s inotify \(program)")
                + ") is " + Roff.escape(program) + ". Its help and messages name it " + Roff.escape(program) + "."
        } else {
            text += Roff.escape("It runs as ") + links.map(Roff.bold).joined(separator: " or ")
                + Roff.escape(" too, a drop-in for that tool, when inotify is run by a link so named (ln -s inotify \(first)).")
        }
        return text
    }

    /// The command's other pages, its twin's (fsnotifywait and inotify
    /// wait), `inotify(1)`, and the kernel's pages of what it watches with.
    private static func seeAlso(_ command: Command, page: String, options: [OptionSpec])
        -> [(name: String, section: Int)]
    {
        let twins = Command.allCases.filter { other in
            other != command
                && (CommandSpec.spec(command).sharesOptionsOf == other || CommandSpec.spec(other).sharesOptionsOf == command)
        }
        var names = ["inotify"] + ManPage.pageNames(of: command).filter { $0 != page }
        names += twins.map(ManPage.subcommandPageName)
        var kernel = [(name: "inotify", section: 7)]
        if options.contains(where: { $0.key == .fanotify }) { kernel.append((name: "fanotify", section: 7)) }
        return names.map { (name: $0, section: ManPage.section) } + kernel
    }
}
