import Inotify

/// Writes all of `buffer`, going on after short writes (the seam retries
/// after signals). Returns the errno of a failed write.
func writeAll(_ descriptor: CInt, _ buffer: UnsafeRawBufferPointer) -> CInt? {
    var offset = 0
    while offset < buffer.count {
        switch Syscalls.write(descriptor, UnsafeRawBufferPointer(rebasing: buffer[offset...])) {
        case .success(let written): offset += written
        case .failure(let errno): return errno.rawValue
        }
    }
    return nil
}

/// A line to standard error, written at once so that lines from different
/// sources never interleave mid-line.
func printError(_ message: String) {
    printError(Array(message.utf8))
}

/// The same for a line of bytes (an argument quoted back need not be UTF-8).
func printError(_ message: [UInt8]) {
    var line = message
    line.append(UInt8(ascii: "\n"))
    _ = line.withUnsafeBytes { writeAll(2, $0) }  // nowhere left to report a failing stderr
}
