import Glibc

/// Where messages go: standard error, or syslog with `-s`/`-d`.
struct Diagnostics: Sendable {
    let syslog: Bool
    let identity: String

    init(syslog: Bool, identity: String) {
        self.syslog = syslog
        self.identity = identity
        if syslog {
            // openlog keeps the pointer: the identity lives as long as the process.
            openlog(strdup(identity), LOG_CONS | LOG_PID | LOG_NDELAY, LOG_DAEMON)
        }
    }

    func say(_ message: String) {
        guard syslog else {
            printError(message)
            return
        }
        message.withCString { text in
            withVaList([text]) { vsyslog(LOG_INFO, "%s", $0) }
        }
    }
}
