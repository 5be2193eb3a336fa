import CInotifyCommand
import Glibc

/// A child process with its standard output and error on pipes, for driving
/// the real executable. Every wait has a deadline: a hung child is killed and
/// the test fails instead of hanging.
final class Subprocess {
    let pid: pid_t
    private let outFD: CInt
    private let errFD: CInt
    private(set) var stdout: [UInt8] = []
    private(set) var stderr: [UInt8] = []
    private var outOpen = true
    private var errOpen = true

    struct Finished {
        var status: Int32
        var stdout: [UInt8]
        var stderr: [UInt8]
        var out: String { String(decoding: stdout, as: UTF8.self) }
        var err: String { String(decoding: stderr, as: UTF8.self) }
    }

    /// Starts `executable` with `arguments` (bytes: names need not be UTF-8);
    /// `argv0` is what the child sees as its name. `environment` is set in
    /// the child on top of this process's own.
    init(_ executable: String, _ arguments: [[UInt8]], argv0: String? = nil, stdin: [UInt8]? = nil,
         directory: String? = nil, environment: [String: String] = [:]) throws {
        var outPipe: [CInt] = [0, 0]
        var errPipe: [CInt] = [0, 0]
        var inPipe: [CInt] = [0, 0]
        guard cic_pipe_cloexec(&outPipe) == 0, cic_pipe_cloexec(&errPipe) == 0, cic_pipe_cloexec(&inPipe) == 0 else {
            throw SubprocessError(message: "pipe2: \(errno)")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        // Only 0, 1 and 2: a descriptor another test opens without
        // O_CLOEXEC at the same instant (an inotify instance, say) would
        // otherwise live on in the child, and its watches count as the child's.
        cic_spawn_addclosefrom(&actions, 3)
        if let directory { cic_spawn_addchdir(&actions, directory) }
        let strings = [Array((argv0 ?? executable).utf8)] + arguments
        var argv: [UnsafeMutablePointer<CChar>?] = strings.map { bytes in
            let copy = malloc(bytes.count + 1)!.assumingMemoryBound(to: CChar.self)
            for (index, byte) in bytes.enumerated() { copy[index] = CChar(bitPattern: byte) }
            copy[bytes.count] = 0
            return copy
        }
        argv.append(nil)
        defer { argv.forEach { free($0) } }
        // The child starts with no signal blocked and every signal at its
        // default, whatever the test runner's thread has set.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        sigdelset(&all, SIGKILL)
        sigdelset(&all, SIGSTOP)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var child: pid_t = 0
        let result: CInt
        if environment.isEmpty {
            result = posix_spawn(&child, executable, &actions, &attributes, argv, Glibc.environ)
        } else {
            var entries: [String] = []
            var index = 0
            while let entry = Glibc.environ[index] {
                let text = String(cString: entry)
                let name = text.prefix { $0 != "=" }
                if environment[String(name)] == nil { entries.append(text) }
                index += 1
            }
            entries += environment.map { "\($0.key)=\($0.value)" }
            var envp: [UnsafeMutablePointer<CChar>?] = entries.map { strdup($0) }
            envp.append(nil)
            defer { envp.forEach { free($0) } }
            result = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        }
        close(outPipe[1])
        close(errPipe[1])
        close(inPipe[0])
        guard result == 0 else {
            close(outPipe[0]); close(errPipe[0]); close(inPipe[1])
            throw SubprocessError(message: "posix_spawn \(executable): \(result)")
        }
        if let stdin {
            _ = stdin.withUnsafeBytes { write(inPipe[1], $0.baseAddress, $0.count) }
        }
        close(inPipe[1])
        pid = child
        outFD = outPipe[0]
        errFD = errPipe[0]
    }

    deinit {
        if outOpen { close(outFD) }
        if errOpen { close(errFD) }
    }

    /// Reads what is available for up to `milliseconds`; false once both pipes are closed.
    @discardableResult
    private func pump(milliseconds: Int32) -> Bool {
        var fds: [pollfd] = []
        if outOpen { fds.append(pollfd(fd: outFD, events: Int16(POLLIN), revents: 0)) }
        if errOpen { fds.append(pollfd(fd: errFD, events: Int16(POLLIN), revents: 0)) }
        if fds.isEmpty { return false }
        guard poll(&fds, nfds_t(fds.count), milliseconds) > 0 else { return true }
        var chunk = [UInt8](repeating: 0, count: 65_536)
        for entry in fds where entry.revents != 0 {
            let count = chunk.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
            if count <= 0 {
                if count < 0 && errno == EINTR { continue }
                close(entry.fd)
                if entry.fd == outFD { outOpen = false } else { errOpen = false }
            } else if entry.fd == outFD {
                stdout.append(contentsOf: chunk[0..<count])
            } else {
                stderr.append(contentsOf: chunk[0..<count])
            }
        }
        return true
    }

    /// Waits until standard error (or output) contains `text`; false at the deadline.
    func waitFor(stderr text: String, timeout seconds: Double = 20) -> Bool {
        waitUntil(timeout: seconds) { String(decoding: self.stderr, as: UTF8.self).contains(text) }
    }

    func waitFor(stdout text: String, timeout seconds: Double = 20) -> Bool {
        waitUntil(timeout: seconds) { String(decoding: self.stdout, as: UTF8.self).contains(text) }
    }

    /// Waits until `condition` holds over what was read so far.
    func waitUntil(timeout seconds: Double = 20, _ condition: () -> Bool) -> Bool {
        let deadline = now() + seconds
        while !condition() {
            if now() > deadline { return false }
            if !pump(milliseconds: 50) { return condition() }
        }
        return true
    }

    func signal(_ number: CInt) {
        kill(pid, number)
    }

    /// Stops the child (SIGSTOP) and waits until it is stopped: kill(2)
    /// returns before, and a child still running reads what a test means
    /// to pile up in the kernel's queue. False if it was not seen stopped
    /// within `timeout`.
    @discardableResult
    func stop(timeout seconds: Double = 10) -> Bool {
        kill(pid, SIGSTOP)
        let deadline = now() + seconds
        while now() < deadline {
            if state == UInt8(ascii: "T") { return true }
            usleep(1000)
        }
        return false
    }

    /// The state letter of /proc/PID/stat, after the command's name in parentheses.
    private var state: UInt8? {
        let fd = open("/proc/\(pid)/stat", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = read(fd, &buffer, buffer.count)
        guard count > 0, let close = buffer[..<count].lastIndex(of: UInt8(ascii: ")")), close + 2 < count else { return nil }
        return buffer[close + 2]
    }

    /// Waits for the child to end (killing it after `timeout`) and collects its output.
    func finish(timeout seconds: Double = 30) -> Finished {
        let deadline = now() + seconds
        var status: CInt = 0
        var killed = false
        while true {
            pump(milliseconds: 20)
            let done = waitpid(pid, &status, WNOHANG)
            if done == pid { break }
            if now() > deadline && !killed {
                kill(pid, SIGKILL)
                killed = true
            }
        }
        // A daemon's children may hold the pipes open: drain for a bounded time.
        let drainDeadline = now() + 5
        while (outOpen || errOpen) && now() < drainDeadline { pump(milliseconds: 100) }
        let code: Int32
        if status & 0x7f == 0 {
            code = (status >> 8) & 0xff
        } else {
            code = 128 + (status & 0x7f)
        }
        return Finished(status: killed ? -1 : code, stdout: stdout, stderr: stderr)
    }

    private func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}

struct SubprocessError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
