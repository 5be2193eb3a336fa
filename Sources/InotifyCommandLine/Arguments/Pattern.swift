/// One `--exclude`, `--excludei`, `--include` or `--includei` pattern.
struct Pattern {
    var bytes: [UInt8]
    var caseInsensitive: Bool
    var include: Bool

    var optionName: String { (include ? "include" : "exclude") + (caseInsensitive ? "i" : "") }

    /// The combination inotify-tools refuses, in its words: several patterns
    /// of one kind are fine (each counts), but not both cases of one kind,
    /// nor includes with excludes.
    static func conflict(_ patterns: [Pattern]) -> String? {
        let exclude = patterns.contains { !$0.include && !$0.caseInsensitive }
        let excludei = patterns.contains { !$0.include && $0.caseInsensitive }
        let include = patterns.contains { $0.include && !$0.caseInsensitive }
        let includei = patterns.contains { $0.include && $0.caseInsensitive }
        if exclude && excludei { return "--exclude and --excludei cannot both be specified." }
        if include && includei { return "--include and --includei cannot both be specified." }
        if (include || includei) && (exclude || excludei) { return "include and exclude regexp cannot both be specified." }
        return nil
    }

    /// Compiles the patterns into a filter, or prints inotify-tools' message,
    /// with the pattern and regerror's reason added, for the first that does not compile.
    static func filter(_ patterns: [Pattern]) -> PathFilter? {
        var filter = PathFilter()
        for pattern in patterns {
            let regex: PosixRegex
            do {
                regex = try PosixRegex(pattern.bytes, caseInsensitive: pattern.caseInsensitive)
            } catch {
                printError("Error in `\(pattern.include ? "include" : "exclude")' regular expression "
                    + "'\(String(decoding: pattern.bytes, as: UTF8.self))' (--\(pattern.optionName)): \(error.message).")
                return nil
            }
            if pattern.include { filter.includes.append(regex) } else { filter.excludes.append(regex) }
        }
        return filter
    }

    /// `--exclude`, `--excludei`, `--include`, `--includei`, as codes
    /// `base` to `base + 3`.
    static func longOptions(from base: Int32) -> [LongOption] {
        ["exclude", "excludei", "include", "includei"].enumerated().map { offset, name in
            LongOption(name: name, takesArgument: true, code: base + Int32(offset))
        }
    }

    /// The pattern an option of ``longOptions(from:)`` gives; nil for any other code.
    static func parse(code: Int32, base: Int32, argument: [UInt8]?) -> Pattern? {
        guard (base..<(base + 4)).contains(code) else { return nil }
        let offset = code - base
        return Pattern(bytes: argument ?? [], caseInsensitive: offset % 2 == 1, include: offset >= 2)
    }
}
