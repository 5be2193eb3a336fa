import Glibc

/// `--signal`'s value: a name with or without `SIG` (any case) or a number.
enum SignalName {
    static let names: [(name: String, number: CInt)] = [
        ("HUP", SIGHUP), ("INT", SIGINT), ("QUIT", SIGQUIT), ("KILL", SIGKILL), ("USR1", SIGUSR1),
        ("USR2", SIGUSR2), ("TERM", SIGTERM), ("CONT", SIGCONT), ("STOP", SIGSTOP), ("WINCH", SIGWINCH),
        ("ALRM", SIGALRM),
    ]

    static func parse(_ text: String) throws(UsageError) -> CInt {
        var upper = text.uppercased()
        if upper.hasPrefix("SIG") { upper.removeFirst(3) }
        if let entry = names.first(where: { $0.name == upper }) { return entry.number }
        if let number = CInt(text), number > 0, number < 65 { return number }
        throw UsageError("--signal: '\(text)' is not a signal: use a name (TERM, SIGINT, HUP, USR1...) or a number.")
    }

    /// `SIGTERM`, or the number for one without a name here.
    static func describe(_ number: CInt) -> String {
        names.first { $0.number == number }.map { "SIG\($0.name)" } ?? "signal \(number)"
    }
}
