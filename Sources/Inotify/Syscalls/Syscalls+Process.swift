import Glibc
import SystemPackage

// The process itself: detached as a daemon, its standard streams pointed
// elsewhere.

extension Syscalls {
    /// daemon(3): the process forks and the parent exits with status 0; the
    /// child returns here, leading a session of its own with no terminal, its
    /// standard input, output and error on /dev/null. With
    /// `keepingWorkingDirectory` it stays where it was instead of moving to /.
    package static func daemonize(keepingWorkingDirectory: Bool) -> Result<Void, Errno> {
        call(.daemon) { Glibc.daemon(keepingWorkingDirectory ? 1 : 0, 0) }.map { _ in () }
    }

    /// dup2(2): `target` becomes another descriptor of what `fd` is open as,
    /// after what `target` was open as is closed. A plan aims at it by the
    /// name `fd` was opened under.
    package static func duplicate(_ fd: CInt, onto target: CInt) -> Result<Void, Errno> {
        call(.dup2, .descriptor(fd)) { dup2(fd, target) }.map { _ in () }
    }

    /// getpid(2): which process this is (after ``daemonize(keepingWorkingDirectory:)``,
    /// the child's).
    package static func processID() -> pid_t {
        getpid()
    }
}
