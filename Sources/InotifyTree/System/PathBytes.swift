import Glibc
import Inotify
import SystemPackage

// Paths built from names as bytes: names that are not UTF-8 stay exact.

extension FilePath {
    /// A relative path of `names`, root-most first.
    init(names: some Sequence<EventName>) {
        // The tree's names come from the kernel and from readdir: never
        // empty, never holding a `/`, so each is one component.
        self.init(root: nil, names.map { FilePath.Component(name: $0)! })
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
        name.withBytes { appending(bytes: $0) }
    }

    /// This path and `relative` below it; the path itself when `relative` is empty.
    func appending(_ relative: FilePath) -> PathBuffer {
        if relative.isEmpty { return self }
        return relative.withPlatformString { appending(bytes: UnsafeRawBufferPointer(start: $0, count: strlen($0))) }
    }

    private func appending(bytes tail: UnsafeRawBufferPointer) -> PathBuffer {
        // Copied as memory, not element by element: this runs once per
        // directory of a scan and once per change.
        let length = bytes.count - 1
        let separator = length > 0 ? 1 : 0  // "" + name is name
        let joined = [CChar](unsafeUninitializedCapacity: length + separator + tail.count + 1) { buffer, count in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            bytes.withUnsafeBytes { raw.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[0..<length])) }
            if separator == 1 { raw[length] = UInt8(ascii: "/") }
            UnsafeMutableRawBufferPointer(rebasing: raw[(length + separator)...]).copyMemory(from: tail)
            raw[length + separator + tail.count] = 0
            count = length + separator + tail.count + 1
        }
        return PathBuffer(bytes: joined)
    }

    func withCString<R>(_ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }

    var filePath: FilePath { withCString { FilePath(platformString: $0) } }
}

extension EventName {
    /// The name NUL-terminated, for the *at(2) calls that take a name in a directory.
    var cString: [CChar] {
        withBytes { bytes in
            var characters = [CChar]()
            characters.reserveCapacity(bytes.count + 1)
            for byte in bytes { characters.append(CChar(bitPattern: byte)) }
            characters.append(0)
            return characters
        }
    }
}
