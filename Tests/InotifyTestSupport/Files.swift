import Foundation
import SystemPackage

/// Small file operations for tests, straight on the system calls, so each one
/// makes exactly the events the kernel documents for it.
public enum Files {
    /// What touch(1) does to a new file: CREATE, OPEN, ATTRIB, CLOSE_WRITE.
    public static func touch(_ path: FilePath) throws {
        // Close on exec, as `write`: a process another test starts meanwhile
        // would otherwise hold the file open, and its CLOSE_WRITE back.
        let fd = try FileDescriptor.open(path, .writeOnly, options: [.create, .closeOnExec], permissions: .ownerReadWrite)
        defer { try? fd.close() }
        guard futimens(fd.rawValue, nil) == 0 else { throw Errno(rawValue: errno) }
    }

    public static func write(_ path: FilePath, _ text: String) throws {
        // Close on exec: a process another thread starts meanwhile would
        // otherwise hold the file open, and its CLOSE_WRITE back, until it exits.
        let fd = try FileDescriptor.open(path, .writeOnly, options: [.append, .closeOnExec])
        try fd.closeAfter { _ = try fd.writeAll(Array(text.utf8)) }
    }

    public static func openAndCloseReadOnly(_ path: FilePath) throws {
        let fd = try FileDescriptor.open(path, .readOnly)
        try fd.close()
    }

    public static func chmod(_ path: FilePath, _ mode: mode_t) throws {
        guard path.withPlatformString({ Foundation.chmod($0, mode) }) == 0 else { throw Errno(rawValue: errno) }
    }

    public static func rename(_ from: FilePath, _ to: FilePath) throws {
        let result = from.withPlatformString { f in to.withPlatformString { t in Foundation.rename(f, t) } }
        guard result == 0 else { throw Errno(rawValue: errno) }
    }

    public static func unlink(_ path: FilePath) throws {
        guard path.withPlatformString({ Foundation.unlink($0) }) == 0 else { throw Errno(rawValue: errno) }
    }

    public static func rmdir(_ path: FilePath) throws {
        guard path.withPlatformString({ Foundation.rmdir($0) }) == 0 else { throw Errno(rawValue: errno) }
    }

    /// Creates a file whose name is exactly `name`'s bytes (which need not be UTF-8).
    public static func create(in directory: FilePath, rawName name: [UInt8]) throws {
        let bytes = directory.bytes + [UInt8(ascii: "/")] + name + [0]
        let fd = bytes.withUnsafeBufferPointer {
            $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_WRONLY | O_CLOEXEC, 0o644) }
        }
        guard fd >= 0 else { throw Errno(rawValue: errno) }
        Foundation.close(fd)
    }

    /// Whether `path` names an existing file system object.
    /// The whole of a file's bytes.
    public static func read(_ path: FilePath) throws -> [UInt8] {
        let fd = try FileDescriptor.open(path, .readOnly, options: .closeOnExec)
        return try fd.closeAfter {
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = try chunk.withUnsafeMutableBytes { try fd.read(into: $0) }
                if count == 0 { return bytes }
                bytes += chunk[..<count]
            }
        }
    }

    public static func exists(_ path: FilePath) -> Bool {
        var info = stat()
        return path.withPlatformString { lstat($0, &info) } == 0
    }

    public static func sysctl(_ name: String) -> Int? {
        (try? String(contentsOfFile: "/proc/sys/fs/inotify/" + name, encoding: .utf8))
            .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }
}

extension Files {
    /// Makes a directory whose name is exactly `name`'s bytes.
    public static func makeDirectory(in directory: FilePath, rawName name: [UInt8]) throws {
        let bytes = directory.bytes + [UInt8(ascii: "/")] + name + [0]
        let result = bytes.withUnsafeBufferPointer {
            $0.withMemoryRebound(to: CChar.self) { Foundation.mkdir($0.baseAddress!, 0o755) }
        }
        guard result == 0 else { throw Errno(rawValue: errno) }
    }

    public static func symlink(_ target: String, at path: FilePath) throws {
        guard path.withPlatformString({ Foundation.symlink(target, $0) }) == 0 else { throw Errno(rawValue: errno) }
    }

    public static func removeTree(_ path: FilePath) throws {
        try FileManager.default.removeItem(atPath: path.string)
    }

    public static func mkdir(_ path: FilePath) throws {
        guard path.withPlatformString({ Foundation.mkdir($0, 0o755) }) == 0 else { throw Errno(rawValue: errno) }
    }

    /// A tmpfs directory to work in (/dev/shm), where creation is fastest, or nil.
    public static var tmpfsBase: String? {
        let mounts = (try? String(contentsOfFile: "/proc/mounts", encoding: .utf8)) ?? ""
        let isTmpfs = mounts.split(separator: "\n").contains { line in
            let fields = line.split(separator: " ")
            return fields.count > 2 && fields[1] == "/dev/shm" && fields[2] == "tmpfs"
        }
        return isTmpfs ? "/dev/shm" : nil
    }
}

extension FilePath {
    /// The bytes of a path, for byte-exact comparisons and building raw names.
    public var bytes: [UInt8] {
        withPlatformString { pointer in
            var result: [UInt8] = []
            var index = 0
            while pointer[index] != 0 {
                result.append(UInt8(bitPattern: pointer[index]))
                index += 1
            }
            return result
        }
    }
}

extension Files {
    /// The watches the kernel holds for an inotify descriptor, counted from
    /// /proc/self/fdinfo: the truth any table must agree with.
    public static func kernelWatchCount(_ fd: FileDescriptor) -> Int {
        let text = (try? String(contentsOfFile: "/proc/self/fdinfo/\(fd.rawValue)", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").filter { $0.hasPrefix("inotify wd:") }.count
    }
}
