/// The release the man pages and `--version` name: one constant each, so
/// that the pages are the same on every build of the same source.
enum ProjectVersion {
    static let version = "0.9.0"
    static let date = "2026-12-05"

    /// `inotify --version`: GNU's form, the program, its package, the version.
    static let topLine = "inotify (swift-inotify) \(version)"

    /// A command's `--version`, in inotify-tools' form, the program name and
    /// its version (`inotifywait 3.22.6.0`), the version here the project's,
    /// which names itself after it.
    static func line(program: String) -> String {
        "\(program) \(version) (swift-inotify)"
    }

    /// Prints a command's version line; the exit status that follows it.
    static func show(program: String) -> Int32 {
        print(line(program: program))
        return 0
    }
}
