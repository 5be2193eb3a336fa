import Glibc
import Inotify
@testable import InotifyCommandLine
import InotifyTestSupport
import Testing
import InotifyTestLanes

/// The one table of options and what is made from it: getopt_long's tables
/// and each command's help hold exactly the table's rows, and the spellings
/// it says are inotify-tools' are the ones inotify-tools takes.
@Suite(.inBlockingLane)
struct OptionTableTests {
    @Test(arguments: Command.allCases)
    func getoptTablesHoldExactlyTheCommandsRows(_ command: Command) {
        let rows = OptionSpec.table.filter { $0.help(for: command) != nil }
        let table = GetoptTable(for: command)
        #expect(table.longOptions.map(\.name) == rows.map(\.long))
        #expect(table.longOptions.map(\.argument) == rows.map(\.argument))
        for (entry, row) in zip(table.longOptions, rows) {
            #expect(table.option(code: entry.code)?.key == row.key, "--\(row.long)")
        }
        // The short string: `:`, then each short letter once, with a `:` if it needs a value.
        var expected: [Character: String] = [:]
        for row in rows {
            guard let letter = row.short else { continue }
            #expect(expected[letter] == nil, "-\(letter) twice")
            expected[letter] = row.argument == .none ? "" : ":"
            #expect(table.option(code: Int32(letter.asciiValue!))?.key == row.key, "-\(letter)")
        }
        #expect(table.shortOptions.first == ":")
        var found: [Character: String] = [:]
        var letters = Array(table.shortOptions.dropFirst())
        while let letter = letters.first {
            letters.removeFirst()
            let colons = String(letters.prefix { $0 == ":" })
            letters.removeFirst(colons.count)
            #expect(found[letter] == nil, "-\(letter) twice in \(table.shortOptions)")
            found[letter] = colons
        }
        #expect(found == expected)
    }

    @Test(arguments: Command.allCases)
    func helpListsExactlyTheCommandsOptions(_ command: Command) {
        let help = HelpText.render(command, program: "prog")
        let rows = OptionSpec.options(of: command)
        for row in rows {
            let text = row.help(for: command)!
            let firstWords = text.split(separator: " ").prefix(3).joined(separator: " ")
            let line = "\n  " + HelpText.spelling(row)
            #expect(help.contains(line + "  ") || help.contains(line + "\n"), "--\(row.long) has no line")
            #expect(help.contains(firstWords), "--\(row.long)'s help is missing")
        }
        // Every option the text names, in any section, is one of the command's.
        let longs = Set(rows.map(\.long))
        let shorts = Set(rows.compactMap(\.short))
        for token in Self.optionTokens(in: help) {
            if token.hasPrefix("--") {
                #expect(longs.contains(String(token.dropFirst(2))), "\(command) help names \(token)")
            } else {
                for letter in token.dropFirst() { #expect(shorts.contains(letter), "\(command) help names \(token)") }
            }
        }
        for other in OptionSpec.table where other.help(for: command) == nil && !longs.contains(other.long) {
            #expect(!help.contains("--\(other.long)"), "\(command) help names --\(other.long)")
        }
    }

    /// `-x`, `-qq`, `--name` where a word starts (not `comma-separated`).
    static func optionTokens(in text: String) -> [String] {
        let characters = Array(text)
        var tokens: [String] = []
        var index = 0
        while index < characters.count {
            let startsWord = index == 0 || !(characters[index - 1].isLetter || characters[index - 1].isNumber
                || "-_./".contains(characters[index - 1]))
            guard characters[index] == "-", startsWord else {
                index += 1
                continue
            }
            var end = index + 1
            if end < characters.count && characters[end] == "-" { end += 1 }
            let nameStart = end
            while end < characters.count && (characters[end].isLetter || characters[end] == "-") { end += 1 }
            if end > nameStart { tokens.append(String(characters[index..<end])) }
            index = max(end, index + 1)
        }
        return tokens
    }

    @Test func helpListsTheEventNamesThatAskForEvents() {
        let help = HelpText.render(.wait, program: "inotifywait")
        let section = help.components(separatedBy: "EVENTS:\n").last?.components(separatedBy: "\n\n").first ?? ""
        let listed = section.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
        #expect(listed == [
            "access", "modify", "attrib", "close_write", "close_nowrite", "open", "moved_from", "moved_to", "create",
            "delete", "delete_self", "unmount", "q_overflow", "ignored", "close", "move_self", "move", "all_events",
        ])
        // Each is taken by -e.
        for name in listed { #expect(EventList.parse(name) != nil, "\(name)") }
    }

    @Test func helpLinesFitTheWidth() {
        for command in Command.allCases {
            for line in HelpText.render(command, program: "inotifywait").split(separator: "\n") {
                #expect(line.count <= HelpText.width, "\(line)")
            }
        }
        for line in HelpText.renderTop().split(separator: "\n") { #expect(line.count <= HelpText.width, "\(line)") }
    }

    @Test func topHelpListsEveryCommandAndTheNamesItAnswersTo() {
        let help = HelpText.renderTop()
        for spec in CommandSpec.all {
            #expect(help.contains("  \(spec.command.rawValue)  "))
            #expect(help.contains(spec.summary))
        }
        for name in ["inotifywait", "inotifywatch", "fsnotifywait", "fsnotifywatch"] { #expect(help.contains(name)) }
    }

    @Test func programNamesLeadToTheirCommands() {
        #expect(CommandSpec.command(linkedAs: "inotifywait") == .wait)
        #expect(CommandSpec.command(linkedAs: "inotifywatch") == .stats)
        #expect(CommandSpec.command(linkedAs: "fsnotifywait") == .fsnotifywait)
        #expect(CommandSpec.command(linkedAs: "fsnotifywatch") == .fsnotifywatch)
        #expect(CommandSpec.command(linkedAs: "inotify") == nil)
        for command in Command.allCases { #expect(CommandSpec.spec(command).command == command) }
        let timeout = OptionSpec.table.first { $0.key == .timeout }!
        #expect(timeout.programNames == [
            "inotify wait", "inotifywait", "inotify stats", "inotifywatch", "inotify fsnotifywait", "fsnotifywait",
            "inotify fsnotifywatch", "fsnotifywatch",
        ])
    }

    @Test func eachRowIsOneOption() {
        let keys = OptionSpec.table.map(\.key)
        #expect(Set(keys).count == keys.count)
        for command in Command.allCases {
            let longs = OptionSpec.options(of: command).map(\.long)
            #expect(Set(longs).count == longs.count, "\(command)")
        }
        for row in OptionSpec.table {
            #expect(!row.commands.isEmpty, "--\(row.long) belongs to no command")
            #expect(row.inotifyTools.allSatisfy(row.spellings.contains), "--\(row.long)")
        }
    }

    /// A value that may be left out (no row has one yet: this is the
    /// renderers' part of it) is taken only joined to its option.
    @Test func anOptionalValueIsTakenOnlyJoined() {
        let row = OptionSpec(.quiet, "level", "l", .optional("n"), help: [.wait: "How much."])
        let table = GetoptTable([row])
        #expect(table.shortOptions == ":l::")
        #expect(HelpText.spelling(row) == "-l, --level[=<n>]")
        func given(_ arguments: [String]) -> (options: [GivenOption], outcome: Getopt.Outcome) {
            var options: [GivenOption] = []
            let outcome = Getopt.parse(arguments: words(arguments), table: table) { options.append($0); return true }
            return (options, outcome)
        }
        let joined = given(["-l5", "x"])
        #expect(joined.options == [GivenOption(key: .quiet, argument: Array("5".utf8))])
        #expect(joined.outcome == .finished(operands: words(["x"])))
        let long = given(["--level=5"])
        #expect(long.options == [GivenOption(key: .quiet, argument: Array("5".utf8))])
        let apart = given(["--level", "5"])
        #expect(apart.options == [GivenOption(key: .quiet, argument: nil)])
        #expect(apart.outcome == .finished(operands: words(["5"])))
        #expect(given(["-l", "5"]).options == [GivenOption(key: .quiet, argument: nil)])
    }

    // MARK: inotify-tools' spellings

    /// What inotify-tools says of an option it does not have.
    static func refusesSpelling(_ stderr: String) -> Bool {
        stderr.contains("unrecognized option") || stderr.contains("invalid option") || stderr.contains("is ambiguous")
    }

    @Test(.enabled(if: Tools.inotifywait != nil && Tools.inotifywatch != nil,
                   "inotify-tools is not installed (apt-get install inotify-tools)"),
          arguments: [Command.wait, .stats, .fsnotifywait, .fsnotifywatch])
    func inotifyToolsTakeExactlyTheSpellingsTheTableGivesThem(_ command: Command) throws {
        let tool = CommandSpec.spec(command).linkNames[0]
        // inotify-tools' fsnotify tools are its inotify tools under other names.
        let reference = "/usr/bin/" + tool
        try #require(access(reference, X_OK) == 0, "\(reference) is not installed")
        let temp = try TemporaryDirectory("cli")
        for row in OptionSpec.options(of: command) {
            for spelling in row.spellings {
                // No paths: each run ends at its first complaint, watching nothing.
                let arguments = [spelling] + (row.argument == .none ? [] : ["1"])
                let result = try Subprocess(reference, words(arguments), argv0: tool, directory: temp.path.string).finish()
                let refused = Self.refusesSpelling(result.err)
                #expect(refused == !row.inotifyTools.contains(spelling), "\(tool) \(arguments): \(result.err)")
            }
        }
    }
}
