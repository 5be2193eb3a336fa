import Glibc
import Inotify

extension Diagnostics {
    /// inotify-tools' words for a path that could not be watched (inotifywatch
    /// says "Failed to watch" where inotifywait says "Couldn't watch"); to
    /// syslog with `-s`, as inotifywait sends them.
    func watchFailure(_ path: [UInt8], errno code: CInt, verb: String = "Couldn't watch") {
        if code == ENOSPC {
            say("Failed to watch \(display(path)); upper limit on inotify watches reached!")
            say("Please increase the amount of inotify watches allowed per user via "
                + "`/proc/sys/fs/inotify/max_user_watches'.")
        } else {
            say("\(verb) \(display(path)): \(errnoText(code))")
        }
    }

    /// inotify-tools' words for an instance that could not be made.
    func initFailure(_ code: CInt) {
        say("Couldn't initialize inotify: \(errnoText(code))")
        if code == EMFILE {
            say("Try increasing the value of /proc/sys/fs/inotify/max_user_instances")
        }
    }
}

extension Diagnostics {
    /// inotify-tools makes its instance before it says anything: where none
    /// can be had (max_user_instances reached), its two lines are all that is
    /// said. An instance is made and closed to find out; false after printing.
    func canMakeInstance() -> Bool {
        do {
            try Inotify(flags: .closeOnExec, tracksPaths: false).close()
            return true
        } catch {
            initFailure(error.errno.rawValue)
            return false
        }
    }
}
