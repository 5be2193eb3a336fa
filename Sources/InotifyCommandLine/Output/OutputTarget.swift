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
            // then cannot find them); the log path is made absolute anyway,
            // and, unlike inotifywait's, it need not exist yet.
            guard let resolved = absolutePath(outFile) else {
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

    /// `path` made absolute through realpath(3): the file itself if it
    /// exists, else its directory joined with its name.
    private static func absolutePath(_ path: [UInt8]) -> [CChar]? {
        var resolved = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        if withCPath(path, { realpath($0, &resolved) }) != nil { return resolved }
        guard errno == ENOENT else { return nil }
        let slash = path.lastIndex(of: UInt8(ascii: "/"))
        let directory = slash.map { $0 == 0 ? [UInt8(ascii: "/")] : Array(path[..<$0]) } ?? [UInt8(ascii: ".")]
        let name = slash.map { Array(path[(path.index(after: $0))...]) } ?? path
        guard !name.isEmpty, withCPath(directory, { realpath($0, &resolved) }) != nil else {
            errno = ENOENT
            return nil
        }
        var joined = Array(resolved.prefix { $0 != 0 })
        if joined.last != CChar(bitPattern: UInt8(ascii: "/")) { joined.append(CChar(bitPattern: UInt8(ascii: "/"))) }
        joined.append(contentsOf: name.map { CChar(bitPattern: $0) })
        joined.append(0)
        return joined
    }
}
