import Glibc

/// `-t/--timeout`: whole seconds, as strtol reads them. inotify-tools 3 takes
/// a negative number as "wait forever"; here it is refused, since a script
/// that computes a negative timeout has a bug the tool should not hide. For
/// fsnotifywait and fsnotifywatch it is inotify-tools 4's probe of fanotify
/// (set up the watches, then exit 1 saying so): `negativeProbes` takes it.
enum Timeout {
    /// What inotify-tools 4 says after setting up the watches for a negative timeout.
    static let probeMessage = "Negative timeout specified - abort!"

    static func parse(_ text: String, negativeProbes: Bool = false) throws(UsageError) -> Int {
        guard !text.isEmpty else {
            throw UsageError("The provided value is not a valid timeout value.")
        }
        var end: UnsafeMutablePointer<CChar>? = nil
        errno = 0
        let value = text.withCString { start -> Int in
            let parsed = strtol(start, &end, 10)
            if end?.pointee != 0 { return Int.min }
            return parsed
        }
        if errno != 0 {
            throw UsageError("'\(text)' is not a valid timeout value: \(String(cString: strerror(errno))).")
        }
        guard value != Int.min else {
            throw UsageError("'\(text)' is not a valid timeout value.\nPlease specify a long int value.")
        }
        guard value >= 0 || negativeProbes else {
            throw UsageError("'\(text)' is not a valid timeout value: it cannot be negative (0 waits forever).")
        }
        return value
    }

    /// The end of a run with a negative timeout, once the watches are set up.
    static func probeEnd() -> Int32 {
        printError(probeMessage)
        return 1
    }
}
