import Glibc
import SystemPackage

/// Calls `body` with `bytes` as a NUL-terminated C string: paths stay bytes
/// from argv to the system call, whatever their encoding.
func withCPath<R>(_ bytes: [UInt8], _ body: (UnsafePointer<CChar>) -> R) -> R {
    var terminated = bytes
    terminated.append(0)
    return terminated.withUnsafeBytes { body($0.baseAddress!.assumingMemoryBound(to: CChar.self)) }
}

/// A path's bytes as a `FilePath`, byte for byte.
func filePath(_ bytes: [UInt8]) -> FilePath {
    withCPath(bytes) { FilePath(platformString: $0) }
}

/// A path's bytes for a message.
func display(_ bytes: [UInt8]) -> String {
    String(decoding: bytes, as: UTF8.self)
}

func errnoText(_ code: CInt) -> String {
    String(cString: strerror(code))
}

/// The whole contents of a file (`-` is standard input); on failure prints
/// `Couldn't open PATH: reason` and returns nil.
func readWholeFile(_ path: [UInt8]) -> [UInt8]? {
    let isStdin = path == [UInt8(ascii: "-")]
    let descriptor = isStdin ? 0 : withCPath(path) { open($0, O_RDONLY | O_CLOEXEC) }
    guard descriptor >= 0 else {
        printError("Couldn't open \(display(path)): \(errnoText(errno))")
        return nil
    }
    defer { if !isStdin { close(descriptor) } }
    var contents: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count < 0 {
            if errno == EINTR { continue }
            printError("Couldn't read \(display(path)): \(errnoText(errno))")
            return nil
        }
        if count == 0 { return contents }
        contents.append(contentsOf: chunk[0..<count])
    }
}

/// Whether `path` is a directory (following a symbolic link). With `-r`,
/// paths that are all files are watched as they are, as inotifywait does.
func isDirectory(_ path: [UInt8]) -> Bool {
    var status = stat()
    return withCPath(path) { stat($0, &status) } == 0 && status.st_mode & S_IFMT == S_IFDIR
}
