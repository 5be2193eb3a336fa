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
