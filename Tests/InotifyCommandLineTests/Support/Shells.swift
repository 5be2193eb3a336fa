import Glibc

/// The programs that read what `inotify --man` and `--completions` print:
/// each test that needs one is skipped, saying so, where it is not installed.
enum Shells {
    static let bash = find("bash")
    static let zsh = find("zsh")
    static let fish = find("fish")
    static let groff = find("groff")

    /// The first executable `name` in the usual directories.
    static func find(_ name: String) -> String? {
        ["/usr/local/bin", "/usr/bin", "/bin"].map { "\($0)/\(name)" }.first { access($0, X_OK) == 0 }
    }

    /// Runs `program` with `arguments` in `directory`; every wait has a deadline.
    static func run(_ program: String, _ arguments: [String], stdin: [UInt8]? = nil, directory: String? = nil)
        throws -> Subprocess.Finished
    {
        try Subprocess(program, arguments.map { Array($0.utf8) }, stdin: stdin, directory: directory).finish()
    }
}
