import Glibc

/// Whether the command can be run at all, told before anything is watched:
/// a name without `/` must be an executable file in a directory of PATH.
enum CommandLookup {
    /// Nil when it can be run; else why not, in a sentence.
    static func problem(_ name: [UInt8]) -> String? {
        let shown = display(name)
        if name.contains(UInt8(ascii: "/")) { return problem(at: name, shown: shown) }
        let path = ProcessEnvironment.value("PATH") ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = Array((directory.isEmpty ? "." : String(directory)).utf8) + [UInt8(ascii: "/")] + name
            if problem(at: candidate, shown: shown) == nil { return nil }
        }
        return "cannot run '\(shown)': no executable of that name in PATH (\(path))."
    }

    private static func problem(at path: [UInt8], shown: String) -> String? {
        var info = stat()
        guard withCPath(path, { stat($0, &info) }) == 0 else {
            return "cannot run '\(shown)': \(errnoText(errno))."
        }
        if info.st_mode & S_IFMT == S_IFDIR { return "cannot run '\(shown)': it is a directory." }
        guard withCPath(path, { access($0, X_OK) }) == 0 else {
            return "cannot run '\(shown)': \(errnoText(errno)) (it is not executable: chmod +x, or run it through its interpreter)."
        }
        return nil
    }
}
