/// getopt_long's two tables for one command, made from its rows of
/// ``OptionSpec/table``: the short-option string and the `struct option`
/// array, whose codes lead back to the rows.
struct GetoptTable: Sendable {
    /// One entry of the `struct option` array.
    struct LongOption: Sendable, Hashable {
        let name: String
        let argument: OptionArgument
        /// What getopt_long returns for it: the short letter when there is one,
        /// so that `-e` and `--event` come back alike; above 255 otherwise.
        let code: Int32
    }

    /// The options, in table order.
    let options: [OptionSpec]
    /// The short-option string: `:` first (a missing value is told apart
    /// from an unknown option), then each letter, with `:` after one that
    /// needs a value and `::` after one that may have one.
    let shortOptions: String
    let longOptions: [LongOption]

    /// The first code of an option without a short letter: above every byte.
    static let firstLongOnlyCode: Int32 = 256

    init(_ options: [OptionSpec]) {
        self.options = options
        var short = ":"
        var long: [LongOption] = []
        // An array, not a Set: a Set's first use costs a one-shot command
        // more than its whole parse (the runtime's conformance search).
        var codes: [Int32] = []
        for (index, option) in options.enumerated() {
            let code: Int32
            if let letter = option.short, let value = letter.asciiValue {
                code = Int32(value)
                short.append(letter)
                switch option.argument {
                case .none: break
                case .required: short.append(":")
                case .optional: short.append("::")
                }
            } else {
                code = Self.firstLongOnlyCode + Int32(index)
            }
            precondition(!codes.contains(code), "two options of one command share -\(option.short.map(String.init) ?? "")")
            codes.append(code)
            long.append(LongOption(name: option.long, argument: option.argument, code: code))
        }
        shortOptions = short
        longOptions = long
    }

    /// The table of one command.
    init(for command: Command) {
        self.init(OptionSpec.options(of: command))
    }

    /// The row getopt_long's `code` stands for; nil for a code of no option.
    func option(code: Int32) -> OptionSpec? {
        longOptions.firstIndex { $0.code == code }.map { options[$0] }
    }
}
