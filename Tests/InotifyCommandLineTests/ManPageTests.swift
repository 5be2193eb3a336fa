@testable import InotifyCommandLine
import InotifyTestSupport
import Testing
import InotifyTestLanes

/// The man pages: made from the same tables as `--help`, so every option is
/// on its command's pages; valid roff that groff reads without a warning;
/// printed by `inotify --man`.
@Suite(.inBlockingLane)
struct ManPageTests {
    static let pageNames = ManPage.all.map(\.name)

    @Test(.enabled(if: Shells.groff != nil, "groff is not installed: the pages are not checked as roff"),
          arguments: pageNames)
    func everyPageRendersWithoutWarnings(_ name: String) throws {
        let page = try #require(ManPage.named(name)).render()
        let result = try Shells.run(Shells.groff!, ["-man", "-Tutf8", "-ww", "-z"], stdin: Array(page.utf8))
        #expect(result.status == 0)
        #expect(result.err == "", "groff on \(name)(1)")
    }

    @Test(arguments: Command.allCases)
    func everyOptionIsOnEachPageOfItsCommand(_ command: Command) throws {
        for name in ManPage.pageNames(of: command) {
            let page = try #require(ManPage.named(name)).render()
            for option in OptionSpec.options(of: command) {
                #expect(page.contains("\n" + Roff.request("TP") + "\n" + (option.short.map { Roff.bold("-\($0)") + ", " } ?? "")
                    + Roff.bold("--" + option.long)), "\(name)(1) has no item for --\(option.long)")
                #expect(page.contains(Roff.text(option.help(for: command)!)), "\(name)(1) lacks --\(option.long)'s help")
            }
            for status in CommandSpec.spec(command).exitStatuses {
                #expect(page.contains(Roff.bold(status.name) + "\n" + Roff.text(status.text)), "\(name)(1): exit \(status.name)")
            }
        }
    }

    @Test(arguments: Command.allCases)
    func aCommandsPagesNameTheProgramAndSeeEachOther(_ command: Command) throws {
        let names = ManPage.pageNames(of: command)
        for name in names {
            let page = try #require(ManPage.named(name)).render()
            #expect(page.hasPrefix(".TH \(Roff.escape(name.uppercased())) 1 \(ProjectVersion.date) \"inotify \(ProjectVersion.version)\""))
            #expect(page.contains(".SH NAME\n\(Roff.escape(name)) \\- "))
            let program = name.hasPrefix("inotify-") ? "inotify \(command.rawValue)" : name
            #expect(page.contains(".SH SYNOPSIS\n.B \(Roff.argument(Roff.escape(program)))\n"))
            let seeAlso = try #require(page.split(separator: ".SH \"SEE ALSO\"\n").last)
            for other in ["inotify"] + names where other != name {
                #expect(seeAlso.contains(".BR \(Roff.escape(other)) (1)"), "\(name)(1) does not refer to \(other)(1)")
            }
        }
    }

    @Test func theTopPageListsEverySubcommandAndDropInName() throws {
        let page = try #require(ManPage.named("inotify")).render()
        for spec in CommandSpec.all {
            #expect(page.contains(".TP\n\(Roff.bold(spec.command.rawValue))\n"), "\(spec.command)")
            for link in spec.linkNames { #expect(page.contains(".TP\n\(Roff.bold(link))\n"), "\(link)") }
        }
        for option in TopLevelOption.all {
            #expect(page.contains(option.spellings.map(Roff.bold).joined(separator: ", ")), "\(option.spellings)")
        }
    }

    @Test func roffEscapesMinusBackslashAndLeadingControlCharacters() {
        #expect(Roff.escape("-e a\\b") == "\\-e a\\eb")
        #expect(Roff.text(".so x\n'br\nplain.\n\nnext") == "\\&.so x\n\\&'br\nplain.\n.PP\nnext")
        #expect(Roff.request("TH", ["A", "two words", "", "say \"hi\""]) == ".TH A \"two words\" \"\" \"say \"\"hi\"\"\"")
    }

    @Test func manOptionPrintsThePageNamed() throws {
        for name in ["inotifywait", "inotify-wait", "inotify"] {
            let result = try Tools.run("inotify", ["--man", name])
            #expect(result.status == 0)
            #expect(result.out == ManPage.named(name)?.render())
            #expect(result.err == "")
        }
    }

    @Test func manOptionRefusesAnUnknownPageListingTheValidOnes() throws {
        let result = try Tools.run("inotify", ["--man", "inotifywait.1"])
        #expect(result.status == 1)
        #expect(result.out == "")
        #expect(result.err.contains("'inotifywait.1'"))
        for name in Self.pageNames { #expect(result.err.contains(name)) }
        let none = try Tools.run("inotify", ["--man"])
        #expect(none.status == 1)
        #expect(none.err.contains("inotify-wait"))
    }

    @Test func manPagesOptionListsThePagesOnePerLine() throws {
        let result = try Tools.run("inotify", ["--man-pages"])
        #expect(result.status == 0)
        #expect(result.out == Self.pageNames.joined(separator: "\n") + "\n")
        #expect(Self.pageNames == ["inotify"] + Command.allCases.map { "inotify-\($0.rawValue)" }
            + ["inotifywait", "inotifywatch", "fsnotifywait", "fsnotifywatch"])
    }
}
