import Foundation
import SystemPackage

/// A fresh directory under the system's temporary directory, removed with
/// everything in it when the value goes away. Every test makes its own.
public final class TemporaryDirectory {
    public let path: FilePath

    /// `base`: the directory to make it in (default: the system's temporary one).
    public init(_ label: String = "test", in base: String? = nil) throws {
        var template = Array(((base ?? NSTemporaryDirectory()) + "/swift-inotify-\(label)-XXXXXX").utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw Errno(rawValue: errno)
        }
        path = FilePath(String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path.string)
    }

    public func appending(_ name: String) -> FilePath { path.appending(name) }

    /// Creates (or truncates) a file and closes it: CREATE, OPEN, CLOSE_WRITE.
    @discardableResult
    public func createFile(_ name: String, contents: String = "") throws -> FilePath {
        let file = appending(name)
        let fd = try FileDescriptor.open(
            file, .writeOnly, options: [.create, .truncate], permissions: .ownerReadWrite)
        try fd.closeAfter { _ = try fd.writeAll(Array(contents.utf8)) }
        return file
    }

    @discardableResult
    public func makeDirectory(_ name: String) throws -> FilePath {
        let dir = appending(name)
        try FileManager.default.createDirectory(atPath: dir.string, withIntermediateDirectories: true)
        return dir
    }
}
