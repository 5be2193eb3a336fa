@testable import InotifyCommandLine

/// Words as the kernel hands them to the command: bytes.
func words(_ words: [String]) -> [[UInt8]] {
    words.map { Array($0.utf8) }
}

/// The ways getopt_long lets one write an option with `value`: long,
/// abbreviated, `--name=value`, short, `-svalue`, and clustered after
/// `neutral`, a short option without a value that changes nothing.
enum Spellings {
    static func variants(of option: OptionSpec, value: String?, in table: GetoptTable, neutral: Character?)
        -> [[String]]
    {
        var longNames = ["--" + option.long]
        if let abbreviation = shortestAbbreviation(of: option.long, in: table) { longNames.append("--" + abbreviation) }
        var variants: [[String]] = []
        for long in longNames {
            if let value {
                variants += [[long, value], ["\(long)=\(value)"]]
            } else {
                variants.append([long])
            }
        }
        guard let short = option.short else { return variants }
        if let value {
            variants += [["-\(short)", value], ["-\(short)\(value)"]]
            if let neutral { variants += [["-\(neutral)\(short)", value], ["-\(neutral)\(short)\(value)"]] }
        } else {
            variants.append(["-\(short)"])
            if let neutral { variants += [["-\(neutral)\(short)"], ["-\(short)\(neutral)"]] }
        }
        return variants
    }

    /// The shortest prefix of `long` that no other long name of the table
    /// starts with, if one is shorter than `long`.
    static func shortestAbbreviation(of long: String, in table: GetoptTable) -> String? {
        let others = table.longOptions.map(\.name).filter { $0 != long }
        for length in 1..<long.count {
            let prefix = String(long.prefix(length))
            if !others.contains(where: { $0.hasPrefix(prefix) }) { return prefix }
        }
        return nil
    }
}

/// What one option is expected to do: the value to give it, the other
/// arguments it needs to be accepted at all, and what it sets.
struct Effect<Options: Sendable>: Sendable {
    var value: String? = nil
    var context: [String] = []
    /// The option changes nothing (`-I`): it is accepted, and that is all.
    var changesNothing = false
    let holds: @Sendable (Options) -> Bool

    init(
        _ value: String? = nil, context: [String] = [], changesNothing: Bool = false,
        _ holds: @escaping @Sendable (Options) -> Bool
    ) {
        self.value = value
        self.context = context
        self.changesNothing = changesNothing
        self.holds = holds
    }
}
