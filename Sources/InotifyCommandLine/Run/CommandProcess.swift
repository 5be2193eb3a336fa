import CInotifyCommand
import Glibc
import SystemPackage

/// One run of the command: a process leading a process group of its own,
/// so that a stop reaches what it started too (a shell's children, a
/// build's compilers). Used by the run loop's one thread only.
final class CommandProcess {
    /// The process, and its group's number.
    let pid: pid_t
    let started = ContinuousClock.now
    /// Its wait status once it has ended and been reaped.
    private(set) var status: CInt? = nil

    private init(pid: pid_t) {
        self.pid = pid
    }

    /// Starts `command` (looked up in PATH when it has no `/`) with
    /// `environment`, and `stdin` as its standard input when given.
    static func start(_ command: [[UInt8]], environment: [[UInt8]], stdin: CInt?) -> Result<CommandProcess, Errno> {
        let argv = cStrings(command)
        let envp = cStrings(environment)
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let failure = cic_spawn_command(&pid, argv[0], argv, envp, stdin ?? -1)
        guard failure == 0 else { return .failure(Errno(rawValue: failure)) }
        return .success(CommandProcess(pid: pid))
    }

    /// Takes the status `status` reaped for `reaped`, if that is this one.
    func take(reaped: pid_t, status: CInt) {
        if reaped == pid { self.status = status }
    }

    var hasEnded: Bool { status != nil }

    /// Whether anything of its process group is left (itself unreaped included).
    var groupIsAlive: Bool {
        if !hasEnded { return true }
        return kill(-pid, 0) == 0 || errno == EPERM
    }

    /// Sends `signal` to the whole group.
    func signalGroup(_ signal: CInt) {
        _ = kill(-pid, signal)
    }

    /// `status 0`, `status 2`, `SIGTERM`: how it ended, for the status line.
    var endDescription: String {
        guard let status else { return "running" }
        if exited(status) { return "exited with status \(exitCode(status))" }
        return "was ended by \(SignalName.describe(status & 0x7f))"
    }

    /// The status the run exits with after it (`--exit-after-run`): its own,
    /// or 128 and the signal that ended it, as a shell gives.
    var exitStatus: Int32 {
        guard let status else { return 1 }
        return exited(status) ? exitCode(status) : 128 + (status & 0x7f)
    }

    private func exited(_ status: CInt) -> Bool { status & 0x7f == 0 }
    private func exitCode(_ status: CInt) -> CInt { (status >> 8) & 0xff }

    /// Reaps every child that has ended (the commands, and with the run a
    /// subreaper, what they left behind), handing each status to `take`.
    static func reapAll(_ take: (pid_t, CInt) -> Void) {
        while true {
            var status: CInt = 0
            let reaped = waitpid(-1, &status, WNOHANG)
            if reaped <= 0 { return }
            take(reaped, status)
        }
    }

    private static func cStrings(_ strings: [[UInt8]]) -> [UnsafeMutablePointer<CChar>?] {
        strings.map { Optional(mallocCString($0)) } + [nil]
    }
}
