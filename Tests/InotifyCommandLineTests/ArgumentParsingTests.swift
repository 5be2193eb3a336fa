import Inotify
@testable import InotifyCommandLine
import InotifyTestSupport
import Testing
import InotifyTestLanes

/// The argument parsing of each command, called in-process: every option of
/// the table in every spelling getopt_long allows, and every way of getting
/// it wrong, with the message and the exit status.
@Suite(.inBlockingLane)
struct ArgumentParsingTests {
    // MARK: Every option, every spelling

    static let waitEffects: [OptionKey: Effect<WaitOptions>] = [
        .help: Effect { _ in true },
        .version: Effect { _ in true },
        .event: Effect("create,Close_Write") { $0.events == [.create, .closeWrite] },
        .monitor: Effect { $0.monitor },
        .quiet: Effect { $0.quiet == 1 },
        .timeout: Effect("5") { $0.timeout == 5 },
        .recursive: Effect { $0.recursive },
        .csv: Effect { $0.csv },
        .daemon: Effect(context: ["-o", "log"]) { $0.daemon && $0.monitor && $0.syslog },
        .syslog: Effect { $0.syslog },
        .noDereference: Effect { $0.noDereference },
        .inotify: Effect(changesNothing: true) { $0.backend == .inotify },
        .fanotify: Effect { $0.backend == .fanotify && !$0.filesystem },
        .filesystem: Effect { $0.backend == .fanotify && $0.filesystem },
        .format: Effect("%w %e") { $0.format == Array("%w %e".utf8) },
        .noNewline: Effect(context: ["--format", "%w"]) { $0.noNewline },
        .timefmt: Effect("%H", context: ["--format", "%w"]) { $0.timefmt == "%H" },
        .fromFile: Effect("list") { $0.fromFile == Array("list".utf8) },
        .outFile: Effect("log") { $0.outFile == Array("log".utf8) },
        .json: Effect { $0.json },
        .null: Effect { $0.null },
        .gitIgnore: Effect(context: ["-r"]) { $0.gitIgnore },
        .exclude: Effect("a.*b") { $0.patterns == [Pattern(.exclude, Array("a.*b".utf8))] },
        .excludei: Effect("a.*b") { $0.patterns == [Pattern(.excludei, Array("a.*b".utf8))] },
        .include: Effect("a.*b") { $0.patterns == [Pattern(.include, Array("a.*b".utf8))] },
        .includei: Effect("a.*b") { $0.patterns == [Pattern(.includei, Array("a.*b".utf8))] },
    ]

    static let statsEffects: [OptionKey: Effect<StatsOptions>] = [
        .help: Effect { _ in true },
        .version: Effect { _ in true },
        .event: Effect("modify") { $0.events == .modify },
        .timeout: Effect("5") { $0.timeout == 5 },
        .verbose: Effect { $0.verbose == 1 },
        .zero: Effect { $0.zero },
        .ascending: Effect("open") { $0.sort == StatsTable.Sort(key: .event(.open), ascending: true) },
        .descending: Effect("Moved_To") { $0.sort == StatsTable.Sort(key: .event(.movedTo), ascending: false) },
        .recursive: Effect { $0.recursive },
        .noDereference: Effect { $0.noDereference },
        .inotify: Effect(changesNothing: true) { $0.backend == .inotify },
        .fanotify: Effect { $0.backend == .fanotify && !$0.filesystem },
        .filesystem: Effect { $0.backend == .fanotify && $0.filesystem },
        .fromFile: Effect("list") { $0.fromFile == Array("list".utf8) },
        .gitIgnore: Effect(context: ["-r"]) { $0.gitIgnore },
        .exclude: Effect("x") { $0.patterns == [Pattern(.exclude, Array("x".utf8))] },
        .excludei: Effect("x") { $0.patterns == [Pattern(.excludei, Array("x".utf8))] },
        .include: Effect("x") { $0.patterns == [Pattern(.include, Array("x".utf8))] },
        .includei: Effect("x") { $0.patterns == [Pattern(.includei, Array("x".utf8))] },
    ]

    static let eventsEffects: [OptionKey: Effect<EventsOptions>] = [
        .help: Effect { _ in true },
        .version: Effect { _ in true },
        .mask: Effect("create,delete") { $0.mask == [.create, .delete] },
        .count: Effect("3") { $0.count == 3 },
    ]

    @Test func everyOptionOfWaitIsTakenInEverySpelling() {
        expectEverySpelling(.wait, neutral: "I", effects: Self.waitEffects, operands: \.operands) {
            WaitOptions.parse(program: $0, arguments: $1)
        }
    }

    @Test func everyOptionOfStatsIsTakenInEverySpelling() {
        expectEverySpelling(.stats, neutral: "I", effects: Self.statsEffects, operands: \.operands) {
            StatsOptions.parse(program: $0, arguments: $1)
        }
    }

    /// fsnotifywait takes inotifywait's options, with fanotify the default:
    /// there -F changes nothing and -I does.
    static func fanotifyDefault<Options: SharedOptions>(_ effects: [OptionKey: Effect<Options>]) -> [OptionKey: Effect<Options>] {
        var twin = effects
        twin[.inotify] = Effect { $0.backend == .inotify && !$0.filesystem }
        twin[.fanotify] = Effect(changesNothing: true) { $0.backend == .fanotify && !$0.filesystem }
        twin[.timeout] = Effect("-5") { $0.timeout == -5 }
        return twin
    }

    @Test func everyOptionOfFsnotifywaitIsTakenInEverySpelling() {
        expectEverySpelling(.fsnotifywait, neutral: "F", effects: Self.fanotifyDefault(Self.waitEffects),
                            operands: \.operands) { WaitOptions.parse(program: $0, arguments: $1, command: .fsnotifywait) }
    }

    @Test func everyOptionOfFsnotifywatchIsTakenInEverySpelling() {
        expectEverySpelling(.fsnotifywatch, neutral: "F", effects: Self.fanotifyDefault(Self.statsEffects),
                            operands: \.operands) { StatsOptions.parse(program: $0, arguments: $1, command: .fsnotifywatch) }
    }

    @Test func theLastOfInotifyAndFanotifyWins() {
        func backend(_ arguments: [String], _ command: Command) -> (Backend, Bool)? {
            guard case .run(let options) = WaitOptions.parse(program: "p", arguments: words(arguments + ["d"]), command: command)
            else { return nil }
            return (options.backend, options.filesystem)
        }
        #expect(backend([], .wait)! == (.inotify, false))
        #expect(backend([], .fsnotifywait)! == (.fanotify, false))
        #expect(backend(["-F", "-I"], .wait)! == (.inotify, false))
        #expect(backend(["-I", "-F"], .wait)! == (.fanotify, false))
        #expect(backend(["-I"], .fsnotifywait)! == (.inotify, false))
        #expect(backend(["-S"], .wait)! == (.fanotify, true))
        #expect(backend(["-S", "-I"], .fsnotifywait)! == (.inotify, true))
    }

    @Test func aNegativeTimeoutIsAProbeOnlyForTheFanotifyTwins() {
        #expect(WaitOptions.parse(program: "p", arguments: words(["-t", "-1", "d"]))
            == .refused(UsageError("'-1' is not a valid timeout value: it cannot be negative (0 waits forever).")))
        guard case .run(let options) = WaitOptions.parse(program: "p", arguments: words(["-t", "-1", "d"]),
                                                         command: .fsnotifywait)
        else { Issue.record("refused"); return }
        #expect(options.timeout == -1)
    }

    @Test func everyOptionOfEventsIsTakenInEverySpelling() {
        expectEverySpelling(.events, neutral: nil, effects: Self.eventsEffects, operands: \.operands, parse: EventsOptions.parse)
    }

    /// For each of `command`'s rows of the table: the long spelling has the
    /// expected effect (and changes the options, unless it is one that
    /// changes nothing), and every other spelling, and the operand before
    /// it, parses to exactly the same.
    private func expectEverySpelling<Options: Equatable & Sendable>(
        _ command: Command, neutral: Character?, effects: [OptionKey: Effect<Options>],
        operands: KeyPath<Options, [[UInt8]]>,
        parse: (String, [[UInt8]]) -> ParsedArguments<Options>,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let table = GetoptTable(for: command)
        for option in table.options {
            guard let effect = effects[option.key] else {
                Issue.record("--\(option.long) of \(command) has no expected effect in this test", sourceLocation: sourceLocation)
                continue
            }
            let value = effect.value.map { [$0] } ?? []
            let canonical = parse("p", words(effect.context + ["--\(option.long)"] + value + ["d"]))
            if option.key == .help {
                #expect(canonical == .help, sourceLocation: sourceLocation)
            } else if option.key == .version {
                #expect(canonical == .version, sourceLocation: sourceLocation)
            } else if case .run(let options) = canonical {
                #expect(effect.holds(options), "--\(option.long)", sourceLocation: sourceLocation)
                #expect(options[keyPath: operands] == words(["d"]), "--\(option.long)", sourceLocation: sourceLocation)
                let without = parse("p", words(effect.context + ["d"]))
                if effect.changesNothing {
                    #expect(canonical == without, "--\(option.long)", sourceLocation: sourceLocation)
                } else {
                    #expect(canonical != without, "--\(option.long) changed nothing", sourceLocation: sourceLocation)
                }
            } else {
                Issue.record("--\(option.long) was not taken: \(canonical)", sourceLocation: sourceLocation)
            }
            // -I, -F and -S choose what watches, the last one winning: none
            // of them is neutral in a cluster with another.
            let backendChoice: Set<OptionKey> = [.inotify, .fanotify, .filesystem]
            let clusterWith = backendChoice.contains(option.key) ? nil : neutral
            for variant in Spellings.variants(of: option, value: effect.value, in: table, neutral: clusterWith) {
                let parsed = parse("p", words(effect.context + variant + ["d"]))
                #expect(parsed == canonical, "\(variant)", sourceLocation: sourceLocation)
            }
            let operandFirst = parse("p", words(["d"] + effect.context + ["--\(option.long)"] + value))
            #expect(operandFirst == canonical, "operand before --\(option.long)", sourceLocation: sourceLocation)
        }
    }

    // MARK: Options given more than once

    @Test func repeatedEventListsAddUp() {
        let parsed = WaitOptions.parse(program: "p", arguments: words(["-e", "create", "--event=delete,MOVE", "d"]))
        guard case .run(let options) = parsed else { Issue.record("\(parsed)"); return }
        #expect(options.events == [.create, .delete, .movedFrom, .movedTo])
    }

    @Test func quietTwiceIsQuieter() {
        let parsed = WaitOptions.parse(program: "p", arguments: words(["-qq", "d"]))
        guard case .run(let options) = parsed else { Issue.record("\(parsed)"); return }
        #expect(options.quiet == 2)
    }

    @Test func everyPatternIsKeptInOrder() {
        let parsed = WaitOptions.parse(program: "p", arguments: words(["--exclude", "a", "--exclude=b", "d"]))
        guard case .run(let options) = parsed else { Issue.record("\(parsed)"); return }
        #expect(options.patterns == [Pattern(.exclude, [UInt8(ascii: "a")]), Pattern(.exclude, [UInt8(ascii: "b")])])
    }

    @Test func doubleDashEndsTheOptions() {
        let parsed = WaitOptions.parse(program: "p", arguments: words(["-m", "--", "-r", "--bogus"]))
        guard case .run(let options) = parsed else { Issue.record("\(parsed)"); return }
        #expect(options.monitor && !options.recursive)
        #expect(options.operands == words(["-r", "--bogus"]))
    }

    @Test func operandsKeepTheirBytes() {
        let name: [UInt8] = [0x66, 0xFF, 0x0A]
        let parsed = WaitOptions.parse(program: "p", arguments: [name, Array("-m".utf8)])
        guard case .run(let options) = parsed else { Issue.record("\(parsed)"); return }
        #expect(options.operands == [name])
    }

    // MARK: Refusals

    struct Refusal: Sendable, CustomTestStringConvertible {
        let arguments: [String]
        let message: String
        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let valid = "'bogus' is not a valid event!  Run with the '--help' option to see a list of events.\n"

    static let waitRefusals: [Refusal] = [
        Refusal(arguments: ["--bogus", "d"], message: "inotifywait: unrecognized option '--bogus'\n"),
        Refusal(arguments: ["--bogus=1", "d"], message: "inotifywait: unrecognized option '--bogus=1'\n"),
        Refusal(arguments: ["-x", "d"], message: "inotifywait: invalid option -- 'x'\n"),
        Refusal(arguments: ["-mx", "d"], message: "inotifywait: invalid option -- 'x'\n"),
        Refusal(arguments: ["-e"], message: "inotifywait: option requires an argument -- 'e'\n"),
        Refusal(arguments: ["d", "-me"], message: "inotifywait: option requires an argument -- 'e'\n"),
        Refusal(arguments: ["--event"], message: "inotifywait: option '--event' requires an argument\n"),
        Refusal(arguments: ["d", "--ev"], message: "inotifywait: option '--event' requires an argument\n"),
        Refusal(arguments: ["--monitor=x", "d"], message: "inotifywait: option '--monitor' doesn't allow an argument\n"),
        Refusal(arguments: ["--mon=x", "d"], message: "inotifywait: option '--monitor' doesn't allow an argument\n"),
        Refusal(arguments: ["--ex", "d"],
                message: "inotifywait: option '--ex' is ambiguous; possibilities: '--exclude' '--excludei'\n"),
        Refusal(arguments: ["--n=1", "d"],
                message: "inotifywait: option '--n=1' is ambiguous; possibilities: '--no-dereference' '--no-newline' '--null'\n"),
        Refusal(arguments: ["-e", "bogus", "d"], message: valid),
        Refusal(arguments: ["--event=create,bogus", "d"],
                message: "'create,bogus' is not a valid event!  Run with the '--help' option to see a list of events.\n"),
        // A flag of inotify_add_watch is a name of the library's, not of inotify-tools'.
        Refusal(arguments: ["-e", "onlydir", "d"],
                message: "'onlydir' is not a valid event!  Run with the '--help' option to see a list of events.\n"),
        // Options are taken in order, and nothing is read after a refused one.
        Refusal(arguments: ["-e", "bogus", "--bogus", "d"], message: valid),
        // What cannot go together is said after getopt's refusal, as inotifywait says it.
        Refusal(arguments: ["--exclude", "a", "--excludei", "b", "--bogus", "d"],
                message: "inotifywait: unrecognized option '--bogus'\n--exclude and --excludei cannot both be specified.\n"),
        Refusal(arguments: ["-t", "abc", "d"], message: "'abc' is not a valid timeout value.\nPlease specify a long int value.\n"),
        Refusal(arguments: ["-o", "a", "-o", "b", "d"], message: "Multiple --outfile options given.\n"),
        Refusal(arguments: ["--fromfile", "a", "--fromfile=b", "d"], message: "Multiple --fromfile options given.\n"),
        Refusal(arguments: ["--gitignore", "d"], message: "--gitignore cannot be specified without -r.\n"),
        Refusal(arguments: ["--no-newline", "d"], message: "--no-newline cannot be specified without --format.\n"),
    ]

    static let statsRefusals: [Refusal] = [
        Refusal(arguments: ["--bogus"], message: "inotifywatch: unrecognized option '--bogus'\n"),
        Refusal(arguments: ["-a"], message: "inotifywatch: option requires an argument -- 'a'\n"),
        Refusal(arguments: ["--asc"], message: "inotifywatch: option '--ascending' requires an argument\n"),
        Refusal(arguments: ["--zero=1", "d"], message: "inotifywatch: option '--zero' doesn't allow an argument\n"),
        Refusal(arguments: ["--f", "d"],
                message: "inotifywatch: option '--f' is ambiguous; possibilities: '--fanotify' '--filesystem' '--fromfile'\n"),
        Refusal(arguments: ["-e", "bogus", "d"], message: valid),
        Refusal(arguments: ["-a", "move", "d"], message: "Cannot sort by `move' event; please use `moved_from' or `moved_to'.\n"),
        Refusal(arguments: ["-a", "bogus", "d"], message: "'bogus' is not a valid key for sorting!\n"),
        // Q_OVERFLOW is a name, but no column of the table.
        Refusal(arguments: ["-d", "q_overflow", "d"], message: "'q_overflow' is not a valid key for sorting!\n"),
        Refusal(arguments: ["-e", "create", "-a", "modify", "d"], message: "Can't sort by an event which isn't being watched for!\n"),
        Refusal(arguments: ["-a", "total", "-d", "total", "d"], message: "Please specify -a or -d once only!\n"),
    ]

    static let eventsRefusals: [Refusal] = [
        Refusal(arguments: ["--bogus", "d"], message: "inotify events: unrecognized option '--bogus'\n"),
        Refusal(arguments: ["--count"], message: "inotify events: option '--count' requires an argument\n"),
        Refusal(arguments: ["--mask=bogus", "d"], message: valid),
        Refusal(arguments: ["-e", "bogus", "d"], message: valid),
        Refusal(arguments: ["-n", "0", "d"], message: "--count '0' is not a positive whole number.\n"),
    ]

    @Test(arguments: waitRefusals)
    func waitRefuses(_ refusal: Refusal) {
        expectRefused(WaitOptions.parse(program: "inotifywait", arguments: words(refusal.arguments)), refusal)
    }

    @Test(arguments: statsRefusals)
    func statsRefuses(_ refusal: Refusal) {
        expectRefused(StatsOptions.parse(program: "inotifywatch", arguments: words(refusal.arguments)), refusal)
    }

    @Test(arguments: eventsRefusals)
    func eventsRefuses(_ refusal: Refusal) {
        expectRefused(EventsOptions.parse(program: "inotify events", arguments: words(refusal.arguments)), refusal)
    }

    private func expectRefused<Options>(
        _ parsed: ParsedArguments<Options>, _ refusal: Refusal, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard case .refused(let error) = parsed else {
            Issue.record("not refused: \(parsed)", sourceLocation: sourceLocation)
            return
        }
        #expect(error.text == refusal.message, sourceLocation: sourceLocation)
        #expect(error.status == 1, sourceLocation: sourceLocation)
    }

    @Test func helpStopsTheParseBeforeABadOption() {
        let arguments = words(["-h", "--bogus", "-e", "bogus"])
        #expect(WaitOptions.parse(program: "p", arguments: arguments) == .help)
        #expect(StatsOptions.parse(program: "p", arguments: arguments) == .help)
        #expect(EventsOptions.parse(program: "p", arguments: arguments) == .help)
    }

    // MARK: getopt's global state

    @Test func aParseThatFailedInsideAClusterLeavesNothingBehind() {
        // glibc keeps its place inside `-xm` when it refuses the x; the next
        // parse must start afresh, not at the m.
        #expect(WaitOptions.parse(program: "p", arguments: words(["-xm", "d"])) == .refused(UsageError("p: invalid option -- 'x'")))
        let parsed = WaitOptions.parse(program: "p", arguments: words(["-r", "d"]))
        guard case .run(let options) = parsed else { Issue.record("\(parsed)"); return }
        #expect(options.recursive && !options.monitor)
        #expect(options.operands == words(["d"]))
    }

    @Test
    func parsesFromManyTasksAtOnceEachGetTheirOwnResult() async {
        let results = await withTaskGroup(of: (Int, ParsedArguments<WaitOptions>).self) { group in
            for index in 0..<64 {
                group.addTask {
                    let arguments = index % 2 == 0 ? ["-t", "\(index)", "-mr", "d\(index)"] : ["-x\(index)"]
                    return (index, WaitOptions.parse(program: "p", arguments: words(arguments)))
                }
            }
            return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        for (index, parsed) in results {
            if index % 2 == 0 {
                var expected = WaitOptions()
                expected.timeout = index
                expected.monitor = true
                expected.recursive = true
                expected.operands = words(["d\(index)"])
                #expect(parsed == .run(expected))
            } else {
                #expect(parsed == .refused(UsageError("p: invalid option -- 'x'")))
            }
        }
    }
}
