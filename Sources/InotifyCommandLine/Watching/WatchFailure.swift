import Glibc

/// inotify-tools' words for a path that could not be watched (inotifywatch
/// says "Failed to watch" where inotifywait says "Couldn't watch").
func reportWatchFailure(_ path: [UInt8], errno code: CInt, verb: String = "Couldn't watch") {
    if code == ENOSPC {
        printError("Failed to watch \(display(path)); upper limit on inotify watches reached!")
        printError("Please increase the amount of inotify watches allowed per user via "
            + "`/proc/sys/fs/inotify/max_user_watches'.")
    } else {
        printError("\(verb) \(display(path)): \(errnoText(code))")
    }
}

/// inotify-tools' words for an instance that could not be made.
func reportInitFailure(_ code: CInt) {
    printError("Couldn't initialize inotify: \(errnoText(code))")
    if code == EMFILE {
        printError("Try increasing the value of /proc/sys/fs/inotify/max_user_instances")
    }
}
