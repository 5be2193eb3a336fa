import Glibc
import SystemPackage

/// A program run to its end by posix_spawn(3) and waitpid(2) on its own
/// pid, its standard streams in files. Not Foundation's Process: its
/// waitUntilExit, on a thread of the concurrency pool, once waited for good
/// for a git that had exited (a zombie no one reaped), and with the pool's
/// other thread blocked too, on a pipe whose reader was a task, the suite
/// hung. Files, not pipes: nothing can fill up and block either side.
public enum ChildProcess {
    /// Runs `executable` with `arguments` and `environment`, reading `stdin`
    /// and writing `stdout` and `stderr` (each a path, `stdout` and `stderr`
    /// made or emptied; the same path twice interleaves them); returns the
    /// exit status, or 128 and the signal that ended it.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String],
        stdin: FilePath = "/dev/null", stdout: FilePath, stderr: FilePath
    ) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin.string, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout.string, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if stderr == stdout {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 2, stderr.string, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard spawned == 0 else { throw Errno(rawValue: spawned) }
        var status: CInt = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw Errno(rawValue: errno) }
        }
        return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}
