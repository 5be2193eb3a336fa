import Glibc

/// `inotify` run under a watch limit of its own, to reach the limit without
/// changing anything system-wide: a new user namespace has its own
/// /proc/sys/user/max_inotify_watches (Linux 5.11 and later), which only
/// watches made inside it count against.
enum WatchLimit {
    static let unshare = "/usr/bin/unshare"

    /// Whether a user namespace can be made here and its limit set.
    static let permitted: Bool = {
        guard access(unshare, X_OK) == 0,
              let check = try? Subprocess(unshare, arguments(limit: 3, command: ["/bin/true"]))
        else { return false }
        return check.finish().status == 0
    }()

    /// Starts `inotify arguments` in `directory` with at most `limit` watches.
    static func start(limit: Int, _ arguments: [String], directory: String) throws -> Subprocess {
        try Subprocess(unshare, WatchLimit.arguments(limit: limit, command: [Tools.inotify] + arguments),
                       directory: directory)
    }

    /// Starts `command` (an executable and its arguments) in `directory`
    /// with /proc/sys/user/`setting` (max_inotify_watches,
    /// max_inotify_instances) set to `value`.
    static func start(_ setting: String, _ value: Int, command: [String], directory: String) throws -> Subprocess {
        try Subprocess(unshare, arguments(limit: value, command: command, setting: setting), directory: directory)
    }

    private static func arguments(limit: Int, command: [String], setting: String = "max_inotify_watches") -> [[UInt8]] {
        let script = "echo \(limit) > /proc/sys/user/\(setting) && exec \"$@\""
        return (["-U", "-r", "/bin/sh", "-c", script, "sh"] + command).map { Array($0.utf8) }
    }
}
