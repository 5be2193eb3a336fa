/// The paths to watch and to leave out: the operands and the lines of
/// `--fromfile` (`-` for standard input), where `@path` means "not this one".
struct PathList {
    var watch: [[UInt8]] = []
    var exclude: [[UInt8]] = []

    /// Nil after printing why `--fromfile` could not be read.
    static func make(operands: [[UInt8]], fromFile: [UInt8]?) -> PathList? {
        var list = PathList()
        if let fromFile {
            guard let text = readWholeFile(fromFile) else { return nil }
            for line in text.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
                list.add(Array(line))
            }
        }
        for operand in operands { list.add(operand) }
        return list
    }

    private mutating func add(_ path: [UInt8]) {
        if path.isEmpty { return }  // inotify-tools skips empty arguments too
        if path.first == UInt8(ascii: "@") {
            exclude.append(Array(path.dropFirst()))
        } else {
            watch.append(path)
        }
    }
}
