import Glibc

/// Where events are printed: standard output, `-o FILE` (appended to, made
/// if missing), or with `-d` that file from a daemon process.
enum OutputTarget {
    /// The descriptor to print to; nil after printing why it could not be opened.
    static func open(outFile: [UInt8]?, daemon: Bool) -> CInt? {
        guard let outFile else { return 1 }
        if daemon {
            // The daemon keeps the working directory, so relative watch paths
            // still mean what they meant (inotifywait moves to / first and
            // then cannot find them); the log path is made absolute anyway.
            var resolved = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            guard withCPath(outFile, { realpath($0, &resolved) }) != nil else {
                printError("\(errnoText(errno)): \(display(outFile))")
                return nil
            }
            guard Glibc.daemon(1, 0) == 0 else {
                printError("Failed to daemonize!")
                return nil
            }
            let log = Glibc.open(resolved, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
            guard log >= 0 else { return nil }  // stderr is /dev/null now; syslog has the story
            dup2(log, 1)
            close(log)
            return 1
        }
        let file = withCPath(outFile) { Glibc.open($0, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600) }
        guard file >= 0 else {
            printError("Failed to open output file \(display(outFile))")
            return nil
        }
        dup2(file, 1)
        close(file)
        return 1
    }
}
