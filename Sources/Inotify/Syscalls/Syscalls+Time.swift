import Glibc

// The time of day, for output that says when an event came. Neither call can
// fail as called here: clock_gettime(2) fails only for an unknown clock or a
// bad pointer, localtime_r(3) only for a year past Int32, which no time of
// day reaches. A fault plan would have nothing to fail: they have no
// `Syscall` name.

extension Syscalls {
    /// clock_gettime(CLOCK_REALTIME): the time since the epoch.
    package static func realTime() -> timespec {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return now
    }

    /// localtime_r(3): `seconds` since the epoch in the calendar of the local
    /// time zone (TZ, else /etc/localtime, read the first time).
    package static func localTime(_ seconds: time_t) -> tm {
        var seconds = seconds
        var parts = tm()
        localtime_r(&seconds, &parts)
        return parts
    }
}
