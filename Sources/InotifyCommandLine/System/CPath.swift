import Glibc
import Inotify
import SystemPackage

/// Calls `body` with `bytes` as a NUL-terminated C string: paths stay bytes
/// from argv to the system call, whatever their encoding.
func withCPath<R>(_ bytes: [UInt8], _ body: (UnsafePointer<CChar>) -> R) -> R {
    var terminated = bytes
    terminated.append(0)
    return terminated.withUnsafeBytes { body($0.baseAddress!.assumingMemoryBound(to: CChar.self)) }
}

/// A malloc'd NUL-terminated copy of `bytes`, for an argv: the caller frees it.
func mallocCString(_ bytes: [UInt8]) -> UnsafeMutablePointer<CChar> {
    let copy = malloc(bytes.count + 1)!.assumingMemoryBound(to: CChar.self)
    bytes.withUnsafeBytes { source in
        if let base = source.baseAddress { UnsafeMutableRawPointer(copy).copyMemory(from: base, byteCount: bytes.count) }
    }
    copy[bytes.count] = 0
    return copy
}

/// A path's bytes as a `FilePath`, byte for byte.
func filePath(_ bytes: [UInt8]) -> FilePath {
    withCPath(bytes) { FilePath(platformString: $0) }
}

/// A path's bytes for a message.
func display(_ bytes: [UInt8]) -> String {
    String(decoding: bytes, as: UTF8.self)
}

/// strerror(3)'s words for an errno: the C library's table, no system call.
func errnoText(_ code: CInt) -> String {
    String(cString: strerror(code))
}

/// The whole contents of a file (`-` is standard input); on failure prints
/// `Couldn't open PATH: reason` and returns nil.
func readWholeFile(_ path: [UInt8]) -> [UInt8]? {
    let isStdin = path == [UInt8(ascii: "-")]
    let descriptor: CInt
    switch isStdin ? .success(0) : withCPath(path, { Syscalls.open($0, flags: O_RDONLY | O_CLOEXEC) }) {
    case .success(let opened): descriptor = opened
    case .failure(let errno):
        printError("Couldn't open \(display(path)): \(errnoText(errno.rawValue))")
        return nil
    }
    defer { if !isStdin { _ = Syscalls.close(descriptor) } }
    var contents: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while true {
        switch chunk.withUnsafeMutableBytes({ Syscalls.read(descriptor, $0) }) {
        case .success(0): return contents
        case .success(let count): contents.append(contentsOf: chunk[0..<count])
        case .failure(let errno):
            printError("Couldn't read \(display(path)): \(errnoText(errno.rawValue))")
            return nil
        }
    }
}

/// Whether `path` is a directory (following a symbolic link). With `-r`,
/// paths that are all files are watched as they are, as inotifywait does.
func isDirectory(_ path: [UInt8]) -> Bool {
    guard case .success(let status) = withCPath(path, { Syscalls.status(of: $0, followingLinks: true) }) else { return false }
    return status.st_mode & S_IFMT == S_IFDIR
}
