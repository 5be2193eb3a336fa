import Glibc
import Inotify

extension Diagnostics {
    /// inotify-tools' words for a path that could not be watched (inotifywatch
    /// says "Failed to watch" where inotifywait says "Couldn't watch"); to
    /// syslog with `-s`, as inotifywait sends them. With fanotify, a refusal
    /// for want of privilege says what to do.
    func watchFailure(_ path: [UInt8], errno code: CInt, verb: String = "Couldn't watch", backend: Backend = .inotify) {
        let (name, resource) = backend == .inotify ? ("inotify", "watches") : ("fanotify", "marks")
        if code == ENOSPC {
            say("Failed to watch \(display(path)); upper limit on \(name) \(resource) reached!")
            say("Please increase the amount of \(name) \(resource) allowed per user via "
                + "`/proc/sys/fs/\(name)/max_user_\(resource)'.")
        } else {
            say("\(verb) \(display(path)): \(errnoText(code))")
            if backend == .fanotify && code == EPERM { say(Messages.fanotifyNeedsPrivilege) }
        }
    }

    /// inotify-tools' words for an instance (a fanotify group) that could not be made.
    func initFailure(_ code: CInt, backend: Backend = .inotify) {
        let (name, resource) = backend == .inotify ? ("inotify", "instances") : ("fanotify", "groups")
        say("Couldn't initialize \(name): \(errnoText(code))")
        if code == EMFILE {
            say("Try increasing the value of /proc/sys/fs/\(name)/max_user_\(resource)")
        }
        guard backend == .fanotify else { return }
        if code == EINVAL { say("fanotify support for reporting the events with file names was added in kernel v5.9.") }
        if code == EPERM || code == ENOSYS { say(Messages.fanotifyNeedsPrivilege) }
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
