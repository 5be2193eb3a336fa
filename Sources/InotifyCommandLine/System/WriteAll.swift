import Glibc

/// Writes all of `buffer`, retrying after signals and short writes. Returns
/// the errno of a failed write.
func writeAll(_ descriptor: CInt, _ buffer: UnsafeRawBufferPointer) -> CInt? {
    var offset = 0
    while offset < buffer.count {
        let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
        if written < 0 {
            if errno == EINTR { continue }
            return errno
        }
        offset += written
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
