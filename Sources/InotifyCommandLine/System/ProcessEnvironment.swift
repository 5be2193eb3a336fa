import Glibc

/// The process's environment, read from `environ`.
enum ProcessEnvironment {
    /// Every `NAME=value` entry, as bytes.
    static func entries() -> [[UInt8]] {
        var result: [[UInt8]] = []
        var cursor = environ
        while let entry = cursor.pointee {
            result.append(Array(UnsafeRawBufferPointer(start: entry, count: strlen(entry))))
            cursor += 1
        }
        return result
    }

    static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
