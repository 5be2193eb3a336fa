import Glibc
import Inotify
import SystemPackage

/// Where events are printed: standard output, `-o FILE` (appended to, made
/// if missing), or with `-d` that file from a daemon process.
enum OutputTarget {
    /// The descriptor to print to; nil after saying why it could not be opened.
    static func open(outFile: [UInt8]?, daemon: Bool) -> CInt? {
        guard let outFile else { return 1 }
        guard daemon else { return redirect(to: outFile, given: outFile, report: printError) ? 1 : nil }
        // The daemon keeps the working directory, so relative watch paths
        // still mean what they meant (inotifywait moves to / first and
        // then cannot find them); the log path is made absolute anyway,
        // and, unlike inotifywait's, it need not exist yet.
        let resolved: [UInt8]
        switch absolutePath(outFile) {
        case .success(let path): resolved = path
        case .failure(let errno):
            printError("\(errnoText(errno.rawValue)): \(display(outFile))")
            return nil
        }
        guard case .success = Syscalls.daemonize(keepingWorkingDirectory: true) else {
            printError("Failed to daemonize!")
            return nil
        }
        // Standard error is /dev/null now: like inotifywait, the daemon says
        // why it stops in syslog, which -d implies.
        return redirect(to: resolved, given: outFile) { Diagnostics(syslog: true, identity: "inotifywait").say($0) }
            ? 1 : nil
    }

    /// Makes standard output `path`, opened for appending (made if missing);
    /// false after telling `report` why not, naming the path as `given`.
    private static func redirect(to path: [UInt8], given: [UInt8], report: (String) -> Void) -> Bool {
        let opened = withCPath(path) {
            Syscalls.open($0, flags: O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, mode: 0o600)
        }
        guard case .success(let file) = opened else {
            // inotifywait's words, which give no reason.
            report("Failed to open output file \(display(given))")
            return false
        }
        defer { _ = Syscalls.close(file) }
        if case .failure(let errno) = Syscalls.duplicate(file, onto: 1) {
            report("Couldn't redirect output to \(display(given)): \(errnoText(errno.rawValue))")
            return false
        }
        return true
    }

    /// `path` made absolute through realpath(3): the file itself if it
    /// exists, else its directory joined with its name.
    private static func absolutePath(_ path: [UInt8]) -> Result<[UInt8], Errno> {
        let whole = withCPath(path) { Syscalls.realPath($0) }
        guard case .failure(.noSuchFileOrDirectory) = whole else { return whole.map(bytes) }
        let slash = path.lastIndex(of: UInt8(ascii: "/"))
        let directory = slash.map { $0 == 0 ? [UInt8(ascii: "/")] : Array(path[..<$0]) } ?? [UInt8(ascii: ".")]
        let name = slash.map { Array(path[(path.index(after: $0))...]) } ?? path
        // A path ending in / names a directory, which cannot be the file.
        guard !name.isEmpty else { return whole.map(bytes) }
        return withCPath(directory) { Syscalls.realPath($0) }.map { resolved in
            var joined = bytes(resolved)
            if joined.last != UInt8(ascii: "/") { joined.append(UInt8(ascii: "/")) }
            return joined + name
        }
    }

    private static func bytes(_ path: FilePath) -> [UInt8] {
        var out: [UInt8] = []
        appendBytes(of: path, to: &out)
        return out
    }
}
