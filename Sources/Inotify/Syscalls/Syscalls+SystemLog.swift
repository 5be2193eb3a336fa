import Glibc

// syslog(3): messages for the system's log. Neither call reports a failure
// (a log that cannot be reached gets the message on the console, with
// LOG_CONS, or not at all), so a fault plan would have nothing to fail:
// they have no `Syscall` name.

extension Syscalls {
    /// openlog(3): later messages are sent as `identity`, with `options`
    /// (LOG_PID ...), to `facility`. openlog keeps the pointer it is given, so
    /// it gets a copy of `identity` that lives as long as the process.
    package static func openSystemLog(identity: String, options: CInt, facility: CInt) {
        openlog(strdup(identity), options, facility)
    }

    /// syslog(3) of `message` at `priority`, as text: a `%` in it is printed,
    /// never read as a conversion.
    package static func systemLog(_ message: String, priority: CInt) {
        message.withCString { text in
            withVaList([text]) { vsyslog(priority, "%s", $0) }
        }
    }
}
