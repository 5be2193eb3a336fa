/// One `--exclude`, `--excludei`, `--include` or `--includei` pattern.
struct Pattern: Sendable, Equatable {
    var bytes: [UInt8]
    var caseInsensitive: Bool
    var include: Bool

    /// The pattern the option `key` gives; nil for any other option.
    init?(_ key: OptionKey, _ bytes: [UInt8]) {
        switch key {
        case .exclude: (caseInsensitive, include) = (false, false)
        case .excludei: (caseInsensitive, include) = (true, false)
        case .include: (caseInsensitive, include) = (false, true)
        case .includei: (caseInsensitive, include) = (true, true)
        default: return nil
        }
        self.bytes = bytes
    }

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
}
