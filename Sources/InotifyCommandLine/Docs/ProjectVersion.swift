/// The release the man pages (and `--version`) name: one constant each, so
/// that the pages are the same on every build of the same source.
enum ProjectVersion {
    static let version = "0.9.0"
    static let date = "2026-12-05"
}
