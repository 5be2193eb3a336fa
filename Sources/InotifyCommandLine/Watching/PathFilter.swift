/// `--exclude`/`--include` (and their case-insensitive forms): which events
/// are reported, by their full path (`%w%f`). Unlike inotify-tools, which keeps
/// only the last pattern of each, every pattern counts: an event is dropped if
/// any exclude pattern matches it, or if include patterns were given and none does.
struct PathFilter {
    var excludes: [PosixRegex] = []
    var includes: [PosixRegex] = []

    var isEmpty: Bool { excludes.isEmpty && includes.isEmpty }

    func reports(_ path: UnsafeRawBufferPointer) -> Bool {
        if excludes.contains(where: { $0.matches(path) }) { return false }
        if !includes.isEmpty, !includes.contains(where: { $0.matches(path) }) { return false }
        return true
    }

    func reports(watched: UnsafeRawBufferPointer, name: UnsafeRawBufferPointer, scratch: inout [UInt8]) -> Bool {
        if isEmpty { return true }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: watched)
        scratch.append(contentsOf: name)
        return scratch.withUnsafeBytes { reports($0) }
    }
}
