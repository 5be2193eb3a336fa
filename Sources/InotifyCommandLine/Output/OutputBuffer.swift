/// Bytes waiting for one write(2). Events read together are printed together:
/// a burst costs one system call per kernel read, and a quiet stream is still
/// flushed after every read, so `inotify wait -m ... | while read` sees each
/// line as it happens.
struct OutputBuffer {
    var bytes: [UInt8] = []
    let descriptor: CInt

    init(descriptor: CInt) {
        self.descriptor = descriptor
        bytes.reserveCapacity(1 << 16)
    }

    /// Writes everything buffered; returns the errno of a failed write.
    mutating func flush() -> CInt? {
        if bytes.isEmpty { return nil }
        let failure = bytes.withUnsafeBytes { writeAll(descriptor, $0) }
        bytes.removeAll(keepingCapacity: true)
        return failure
    }

    mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }
}
