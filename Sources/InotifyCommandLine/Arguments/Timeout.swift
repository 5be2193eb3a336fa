import Glibc

/// `-t/--timeout`: whole seconds, as strtol reads them. inotify-tools takes a
/// negative number as "wait forever"; here it is refused, since a script that
/// computes a negative timeout has a bug the tool should not hide.
enum Timeout {
    static func parse(_ text: String) throws(UsageError) -> Int {
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
        guard value >= 0 else {
            throw UsageError("'\(text)' is not a valid timeout value: it cannot be negative (0 waits forever).")
        }
        return value
    }
}
