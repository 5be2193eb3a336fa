@testable import InotifyCommandLine
import InotifyTestSupport
import Testing
import InotifyTestLanes

/// The completion scripts: every option of every command is in each shell's
/// script, and each script, loaded into its real shell, completes a
/// partial command line: options, event names (the last of a
/// comma-separated list), subcommands, page names.
@Suite(.inBlockingLane)
struct CompletionTests {
    /// A partial command line and exactly the words that complete its last one.
    struct Case: Sendable, CustomTestStringConvertible {
        let line: String
        let expected: Set<String>
        var testDescription: String { line }

        static let all: [Case] = [
            Case(line: "inotifywait --mon", expected: ["--monitor"]),
            Case(line: "inotifywait -e clo", expected: ["close", "close_write", "close_nowrite"]),
            Case(line: "inotifywait -e create,mo",
                 expected: Set(HelpText.eventNames.filter { $0.hasPrefix("mo") }.map { "create," + $0 })),
            Case(line: "fsnotifywatch --event delete,delete_", expected: ["delete,delete_self"]),
            Case(line: "inotifywatch -a to", expected: ["total"]),
            Case(line: "inotify w", expected: ["wait"]),
            Case(line: "inotify wait --ev", expected: ["--event"]),
            Case(line: "inotify events --mask moved_", expected: ["moved_from", "moved_to"]),
            Case(line: "inotify run --on-busy re", expected: ["restart"]),
            Case(line: "inotify --man inotifyw", expected: ["inotifywait", "inotifywatch"]),
            Case(line: "inotify --completions z", expected: ["zsh"]),
        ]
    }

    /// Option spellings in a script: runs of letters, digits, `-` and `_`.
    static func words(_ text: String) -> Set<String> {
        Set(text.split { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }.map(String.init))
    }

    @Test(arguments: Command.allCases)
    func everyOptionIsInEachShellsScript(_ command: Command) {
        let options = OptionSpec.options(of: command)
        let bash = BashCompletion.function(for: command)
        let zsh = ZshCompletion.function(for: command)
        #expect(BashCompletion.script().contains(bash))
        #expect(ZshCompletion.script().contains(zsh))
        let fish = FishCompletion.script()
        let programs = CommandSpec.spec(command).linkNames.map { (program: $0, condition: String?.none) }
            + [(program: "inotify", condition: "__fish_seen_subcommand_from \(command.rawValue)")]
        for (program, condition) in programs {
            let lines = FishCompletion.lines(for: command, program: program, condition: condition)
            for line in lines { #expect(fish.contains(line + "\n")) }
            for option in options {
                let spelled = (option.short.map { " -s \($0)" } ?? "") + " -l \(option.long) "
                #expect(lines.contains { $0.contains(spelled) }, "fish, \(program): --\(option.long)")
            }
        }
        for option in options {
            for spelling in option.spellings {
                #expect(Self.words(bash).contains(spelling), "bash, \(command): \(spelling)")
                #expect(Self.words(zsh).contains(spelling), "zsh, \(command): \(spelling)")
            }
        }
    }

    @Test(arguments: CompletionShell.allCases)
    func completionsOptionPrintsTheShellsScript(_ shell: CompletionShell) throws {
        let result = try Tools.run("inotify", ["--completions", shell.rawValue])
        #expect(result.status == 0)
        #expect(result.out == shell.script())
        for link in DropInNames.all { #expect(result.out.contains(link.name)) }
    }

    @Test func completionsOptionRefusesAnUnknownShell() throws {
        let result = try Tools.run("inotify", ["--completions", "tcsh"])
        #expect(result.status == 1)
        #expect(result.out == "")
        #expect(result.err.contains("'tcsh'") && result.err.contains("bash, zsh, fish"))
    }

    @Test func shortDescriptionsEndAtTheFirstClauseOutsideParentheses() {
        #expect(CompletionShell.shortDescription("Print this help.") == "Print this help")
        #expect(CompletionShell.shortDescription("Keep going (without it: stop). More.") == "Keep going (without it: stop)")
        #expect(CompletionShell.shortDescription("Events to report: a list") == "Events to report")
    }

    /// Writes `shell`'s script, and any other files, into a fresh
    /// directory, in which the shell runs: no file there matches a case.
    static func directory(with shell: CompletionShell, _ files: [String: String] = [:]) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory("completion")
        try directory.createFile("completion.\(shell.rawValue)", contents: shell.script())
        for (name, contents) in files { try directory.createFile(name, contents: contents) }
        return directory
    }

    @Test(.enabled(if: Shells.bash != nil, "bash is not installed"), arguments: Case.all)
    func bashCompletesThePartialLine(_ test: Case) throws {
        let directory = try Self.directory(with: .bash)
        // The function `complete -p` names for the program, called as
        // bash calls it, with COMP_WORDS and COMP_CWORD set.
        let driver = """
            source completion.bash
            spec=$(complete -p "$1") || exit 3
            function=${spec##*-F }
            function=${function%% *}
            COMP_WORDS=("$@")
            COMP_CWORD=$(($# - 1))
            COMP_LINE="$*"
            COMP_POINT=${#COMP_LINE}
            COMPREPLY=()
            "$function" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let words = test.line.split(separator: " ").map(String.init)
        let result = try Shells.run(Shells.bash!, ["--norc", "--noprofile", "-c", driver, "bash"] + words,
                                    directory: directory.path.string)
        #expect(result.status == 0, "\(result.err)")
        #expect(Set(result.out.split(separator: "\n").map(String.init)) == test.expected)
    }

    /// After `inotify run ... --`, a command: its name from $PATH (fish
    /// offers files there).
    @Test(.enabled(if: Shells.bash != nil && Shells.zsh != nil, "bash or zsh is not installed"))
    func aCommandNameFollowsRunsDoubleDash() throws {
        let bash = try Self.directory(with: .bash)
        let words = ["inotify", "run", "-e", "modify", "--", "ech"]
        let driver = "source completion.bash; COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); _inotify; "
            + "printf '%s\\n' \"${COMPREPLY[@]}\""
        let fromBash = try Shells.run(Shells.bash!, ["--norc", "--noprofile", "-c", driver, "bash"] + words,
                                      directory: bash.path.string)
        #expect(fromBash.out.split(separator: "\n").contains("echo"), "bash: \(fromBash.out)")
        let zsh = try Self.directory(with: .zsh, ["drive.zsh": Self.zshDriver])
        let base = zsh.path.string
        let fromZsh = try Shells.run(
            Shells.zsh!, ["-f", "\(base)/drive.zsh", "\(base)/completion.zsh", words.joined(separator: " "), "\(base)/matches"],
            directory: base)
        #expect(fromZsh.out.split(separator: "\n").contains("echo"), "zsh: \(fromZsh.out) \(fromZsh.err)")
        #expect(!fromZsh.out.contains("--event"))
    }

    @Test(.enabled(if: Shells.fish != nil, "fish is not installed"), arguments: Case.all)
    func fishCompletesThePartialLine(_ test: Case) throws {
        let directory = try Self.directory(with: .fish)
        let result = try Shells.run(
            Shells.fish!, ["--no-config", "-c", "source completion.fish; complete -C $argv[1]", test.line],
            directory: directory.path.string)
        #expect(result.status == 0, "\(result.err)")
        // Each line is a completion, then a tab and its description.
        let words = result.out.split(separator: "\n").map { String($0.prefix { $0 != "\t" }) }
        #expect(Set(words) == test.expected)
    }

    /// Drives zsh's own completion system: an interactive zsh in a
    /// pseudo-terminal (zpty) runs compinit, loads the script, and has a key
    /// bound to a completion widget that runs the whole system
    /// (_main_complete) while every match added (compadd) is written down;
    /// the line is typed, then the key. A polled marker says it is done.
    static let zshDriver = #"""
        zmodload zsh/zpty
        script=$1 line=$2 out=$3
        : > $out
        zpty z zsh -f -i
        zpty -w z 'PS1="" PS2="" RPS1=""; unsetopt beep'
        zpty -w z 'autoload -Uz compinit && compinit -u -D'
        zpty -w z "source ${(q)script}"
        zpty -w z "__out=${(q)out}"
        # Calls that only ask (-O, -A, -D) add nothing: passed on as they are.
        zpty -w z 'compadd() { if [[ " ${(j: :)@[1,(i)(-|--)]} " == *\ -[OAD]* ]]; then builtin compadd "$@"; return; fi; local -a __hits; builtin compadd -O __hits "$@"; (( $#__hits )) && print -rl -- ${IPREFIX}${^__hits} >> $__out; builtin compadd "$@"; }'
        zpty -w z '__record() { _main_complete; print -r -- "<done>" >> $__out; }'
        zpty -w z 'zle -C __record complete-word __record; bindkey "^X" __record'
        zpty -w -n z "$line"$'\C-x'
        for i in {1..400}; do
            grep -q '^<done>$' $out && break
            zpty -r -t z __ignored 2>/dev/null
            sleep 0.05
        done
        zpty -d z
        grep -q '^<done>$' $out || { print -u2 "zsh did not finish completing"; exit 2 }
        grep -v '^<done>$' $out
        """#

    @Test(.enabled(if: Shells.zsh != nil, "zsh is not installed"), arguments: Case.all)
    func zshCompletesThePartialLine(_ test: Case) throws {
        let directory = try Self.directory(with: .zsh, ["drive.zsh": Self.zshDriver])
        let base = directory.path.string
        let result = try Shells.run(
            Shells.zsh!, ["-f", "\(base)/drive.zsh", "\(base)/completion.zsh", test.line, "\(base)/matches"],
            directory: base)
        #expect(result.status == 0, "\(result.err)")
        #expect(Set(result.out.split(separator: "\n").map(String.init)) == test.expected)
    }
}
