import Inotify
import SystemPackage

// Paths built from names as bytes: names that are not UTF-8 stay exact.

extension FilePath {
    /// A relative path of `names`, root-most first.
    init(names: some Sequence<EventName>) {
        self.init(root: nil, names.map(FilePath.Component.init(name:)))
    }

    /// This path with `name` appended.
    func appending(name: EventName) -> FilePath {
        appending(FilePath.Component(name: name))
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
