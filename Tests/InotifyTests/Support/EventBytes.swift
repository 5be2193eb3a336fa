/// Builds the bytes of `struct inotify_event` records by hand, as the kernel
/// lays them out (little-endian fields, name padded with NULs to `len`).
struct EventBytes {
    var bytes: [UInt8] = []

    /// `len` overrides the header's len field only; the name is always
    /// written with the padding the kernel would give it.
    mutating func append(wd: Int32, mask: UInt32, cookie: UInt32 = 0, name: [UInt8] = [], len: UInt32? = nil) {
        let padded = name.isEmpty ? 0 : (name.count + 1 + 15) / 16 * 16
        append(UInt32(bitPattern: wd))
        append(mask)
        append(cookie)
        append(len ?? UInt32(padded))
        bytes += name
        bytes += [UInt8](repeating: 0, count: padded - name.count)
    }

    private mutating func append(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }
}
