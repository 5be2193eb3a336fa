import Glibc
import SystemPackage

/// Bytes that an encoding must give back exactly, such as a name from the
/// kernel or a path: encoded as a string when they are UTF-8 (what a reader
/// of JSON expects), and as an array of byte values (0-255) otherwise, so
/// that a name with byte 0xFF round-trips instead of turning into U+FFFD.
/// Decoding takes either form.
package struct ExactBytes: Codable, Sendable, Hashable {
    package var bytes: [UInt8]

    package init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// A path's bytes, exactly.
    package init(_ path: FilePath) {
        bytes = path.withPlatformString { path in
            UnsafeRawBufferPointer(start: path, count: strlen(path)).map { $0 }
        }
    }

    /// The bytes as a path; nil when they hold a NUL, which no path can.
    package var path: FilePath? {
        guard !bytes.contains(0) else { return nil }
        return (bytes.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer {
            FilePath(platformString: $0.baseAddress!)
        }
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            bytes = Array(text.utf8)
        } else {
            bytes = try container.decode([UInt8].self)
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let text = String(validating: bytes, as: UTF8.self) {
            try container.encode(text)
        } else {
            try container.encode(bytes)
        }
    }
}

extension KeyedDecodingContainer {
    /// The path under `key`, encoded as ``ExactBytes``; an error for one with a NUL byte.
    package func decodePath(forKey key: Key) throws -> FilePath {
        guard let path = try decode(ExactBytes.self, forKey: key).path else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "a path cannot contain a NUL byte")
        }
        return path
    }
}

extension KeyedEncodingContainer {
    /// Encodes `path` under `key` as ``ExactBytes``.
    package mutating func encodePath(_ path: FilePath, forKey key: Key) throws {
        try encode(ExactBytes(path), forKey: key)
    }
}
