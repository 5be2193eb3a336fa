import Inotify

/// `inotify events`'s options: which events to watch and how many to print.
struct EventsOptions: Sendable, Equatable {
    /// Empty watches `allEvents`.
    var mask: Inotify.EventMask = []
    /// Events to print before exiting; 0 for no limit.
    var count = 0
    var operands: [[UInt8]] = []

    /// Parses the arguments: options in the order given until one is refused.
    static func parse(program: String, arguments: [[UInt8]]) -> ParsedArguments<EventsOptions> {
        var options = EventsOptions()
        var help = false
        var version = false
        var refusal: UsageError? = nil
        let outcome = Getopt.parse(arguments: arguments, table: GetoptTable(for: .events)) { option in
            do throws(UsageError) {
                switch option.key {
                case .help: help = true
                case .version: version = true
                case .mask: options.mask.formUnion(try EventList.parseOption(option.text))
                case .count:
                    guard let count = Int(option.text), count > 0 else {
                        throw UsageError("--count '\(option.text)' is not a positive whole number.")
                    }
                    options.count = count
                default: preconditionFailure("--\(option.key) is in events' table but not taken")
                }
            } catch {
                refusal = error
                return false
            }
            return !help && !version
        }
        if let refusal { return .refused(refusal) }
        if help { return .help }
        if version { return .version }
        switch outcome {
        case .finished(let operands):
            options.operands = operands
            return .run(options)
        case .failed(let error): return .refused(UsageError(lines: [error.message(program: program)]))
        case .stopped: return .refused(UsageError(lines: []))
        }
    }
}
