/// `inotify run`'s durations (`--debounce`, `--max-wait`, `--stop-timeout`),
/// written as watchexec takes them: `50ms`, `2s`, `1.5s`, `1m`, or a bare
/// number of milliseconds.
enum DurationValue {
    static func parse(_ text: String, option: String) throws(UsageError) -> Duration {
        let units: [(suffix: String, milliseconds: Double)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        var number = Substring(text)
        var scale = 1.0
        for unit in units where text.hasSuffix(unit.suffix) {
            number = text.dropLast(unit.suffix.count)
            scale = unit.milliseconds
            break
        }
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
            number.filter({ $0 == "." }).count <= 1, number != ".", let value = Double(number)
        else {
            throw UsageError(
                "--\(option): '\(text)' is not a duration: write it as 50ms, 2s, 1.5s, 1m, or a number of milliseconds.")
        }
        let milliseconds = value * scale
        guard milliseconds <= 86_400_000 * 365 else {
            throw UsageError("--\(option): '\(text)' is longer than a year.")
        }
        return .microseconds(Int64((milliseconds * 1000).rounded()))
    }

    /// `250ms`, `2s`, `1.5s`: how help and messages show a duration.
    static func describe(_ duration: Duration) -> String {
        let milliseconds = Double(duration.components.seconds) * 1000
            + Double(duration.components.attoseconds) / 1e15
        if milliseconds < 1000 { return "\(Int(milliseconds.rounded()))ms" }
        let seconds = milliseconds / 1000
        return seconds == seconds.rounded() ? "\(Int(seconds))s" : "\((seconds * 1000).rounded() / 1000)s"
    }
}
