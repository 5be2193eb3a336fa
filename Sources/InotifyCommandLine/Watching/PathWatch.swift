/// How a watch of paths stopped reading.
enum WatchStop: Equatable {
    /// The handler asked to stop.
    case done
    /// No event came within the timeout.
    case timedOut
    /// A signal arrived on the signalfd.
    case signal(CInt)
    /// Every watch is gone (deleted, unmounted): nothing more can come.
    case nothingLeft
    /// Reading failed; the message was printed.
    case failed
}

/// The paths themselves watched (no recursion), by inotify (``RawWatch``) or
/// fanotify (``FanotifyWatch``): what `wait` and `stats` read without -r,
/// whichever watches. Each event reaches the handler as the line it prints.
protocol PathWatch: AnyObject {
    /// The watched paths as printed (`%w`), in the order they were watched:
    /// the table's rows before any event (`stats -z`).
    var rows: [[UInt8]] { get }
    /// Whether `stats` counts an event under its file (`%w%f`, a row per
    /// file, as fsnotifywatch) or under its watch (`%w`, as inotifywatch).
    var countsPerFile: Bool { get }
    /// Reads until `handle` returns false, the timeout passes (`timeout`
    /// milliseconds, 0 for never; restarted by every read when
    /// `restartsOnEvent`, as inotifywait's is), a signal comes, or nothing is
    /// left to watch. `batchEnd` runs after each read's events; false stops.
    func run(
        timeout: Int64, restartsOnEvent: Bool, signals: CInt?,
        handle: (EventLine) -> Bool, batchEnd: () -> Bool
    ) -> WatchStop
}
