import Glibc
import Inotify
import SystemPackage

// Paths built from names as bytes: names that are not UTF-8 stay exact.

extension FilePath {
    /// A relative path of `names`, root-most first.
    init(names: some Sequence<EventName>) {
        self.init(root: nil, names.map(FilePath.Component.init(name:)))
    }

    /// This path with `name` appended: the bytes are joined on the stack and
    /// copied once into the new path.
    func appending(name: EventName) -> FilePath {
        withPlatformString { base in
            let baseLength = strlen(base)
            let separator = baseLength > 0 ? 1 : 0
            let total = baseLength + separator + name.count + 1
            return withUnsafeTemporaryAllocation(of: CChar.self, capacity: total) { buffer in
                let raw = UnsafeMutableRawBufferPointer(buffer)
                raw.copyMemory(from: UnsafeRawBufferPointer(start: base, count: baseLength))
                if separator == 1 { raw[baseLength] = UInt8(ascii: "/") }
                name.withBytes { bytes in
                    guard let source = bytes.baseAddress else { return }
                    raw.baseAddress!.advanced(by: baseLength + separator).copyMemory(from: source, byteCount: bytes.count)
                }
                raw[total - 1] = 0
                return FilePath(platformString: buffer.baseAddress!)
            }
        }
    }
}

extension FilePath.Component {
    /// The component whose bytes are `name`'s (never empty, `.` or `..`:
    /// the kernel and readdir name no entry so).
    init(name: EventName) {
        self = name.withBytes { bytes in
            let terminated = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count + 1, alignment: 1)
            defer { terminated.deallocate() }
            terminated.copyMemory(from: bytes)
            terminated[bytes.count] = 0
            return FilePath.Component(platformString: terminated.baseAddress!.assumingMemoryBound(to: CChar.self))!
        }
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
        joined.append(CChar(UInt8(ascii: "/")))
        name.withBytes { joined += $0.lazy.map { CChar(bitPattern: $0) } }
        joined.append(0)
        return PathBuffer(bytes: joined)
    }

    func withCString<R>(_ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }

    var filePath: FilePath { withCString { FilePath(platformString: $0) } }
}
