import Glibc
import Inotify

/// Where messages go: standard error, or syslog with `-s`/`-d`.
struct Diagnostics: Sendable {
    let syslog: Bool
    let identity: String

    init(syslog: Bool, identity: String) {
        self.syslog = syslog
        self.identity = identity
        if syslog {
            Syscalls.openSystemLog(identity: identity, options: LOG_CONS | LOG_PID | LOG_NDELAY, facility: LOG_DAEMON)
        }
    }

    func say(_ message: String) {
        guard syslog else {
            printError(message)
            return
        }
        Syscalls.systemLog(message, priority: LOG_INFO)
    }
}
