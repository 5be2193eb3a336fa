import Glibc
import Inotify
import SystemPackage

// Paths built from names as bytes: names that are not UTF-8 stay exact.

extension FilePath {
    /// A relative path of `names`, root-most first.
    init(names: some Sequence<EventName>) {
        self.init(root: nil, names.map(FilePath.Component.init(name:)))
    }

    /// This path with `name` appended, joined as bytes by ``PathBuffer``:
    /// cheaper than going through `FilePath.Component`, and paid once per change.
    func appending(name: EventName) -> FilePath {
        PathBuffer(self).appending(name).filePath
    }
}

/// An absolute path as NUL-terminated bytes: what the scan hands to the
/// kernel for every directory. Appending a name is one array; a `FilePath`
/// is made only where a change or an error needs one.
struct PathBuffer {
    private(set) var bytes: [CChar]

    init(_ path: FilePath) {
        bytes = path.withPlatformString { Array(UnsafeBufferPointer(start: $0, count: strlen($0) + 1)) }
    }

    private init(bytes: [CChar]) {
        self.bytes = bytes
    }

    func appending(_ name: EventName) -> PathBuffer {
        var joined: [CChar] = []
        joined.reserveCapacity(bytes.count + 1 + name.count)
        joined += bytes.dropLast()
        if bytes.count > 1 { joined.append(CChar(UInt8(ascii: "/"))) }  // "" + name is name
        name.withBytes { joined += $0.lazy.map { CChar(bitPattern: $0) } }
        joined.append(0)
        return PathBuffer(bytes: joined)
    }

    func withCString<R>(_ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }

    var filePath: FilePath { withCString { FilePath(platformString: $0) } }
}
