// The C calls of the tree watcher: listing a directory with the entry types
// the directory read gives (no stat per entry), stat where a type is unknown
// or a symbolic link must be followed, and glob matching.

import Glibc
import Inotify
import SystemPackage

enum Directory {
    enum EntryKind: Sendable { case directory, symbolicLink, other, unknown }

    struct Entry {
        /// The name's bytes, inline when short: no allocation per entry.
        let name: EventName
        let kind: EntryKind
    }

    /// The entries of `path` except `.` and `..`, or the errno of opendir/readdir.
    static func entries(of path: PathBuffer) -> Result<[Entry], Errno> {
        guard let stream = path.withCString({ opendir($0) }) else {
            return .failure(Errno(rawValue: errno))
        }
        defer { closedir(stream) }
        var entries: [Entry] = []
        while true {
            errno = 0
            guard let entry = readdir(stream) else {
                return errno == 0 ? .success(entries) : .failure(Errno(rawValue: errno))
            }
            let kind: EntryKind
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_DIR): kind = .directory
            case Int32(DT_LNK): kind = .symbolicLink
            case Int32(DT_UNKNOWN): kind = .unknown
            default: kind = .other
            }
            let name = withUnsafePointer(to: &entry.pointee.d_name) { pointer in
                let length = strlen(UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
                return EventName(UnsafeRawBufferPointer(start: UnsafeRawPointer(pointer), count: length))
            }
            if Self.isDotOrDotDot(name) { continue }
            entries.append(Entry(name: name, kind: kind))
        }
    }

    private static func isDotOrDotDot(_ name: EventName) -> Bool {
        name.withBytes { bytes in
            (bytes.count == 1 || bytes.count == 2) && bytes.allSatisfy { $0 == UInt8(ascii: ".") }
        }
    }

    /// Device and inode of what `path` names, following symbolic links when
    /// `follow`; nil when it does not exist. `isDirectory` tells its type.
    static func identity(of path: FilePath, follow: Bool) -> (id: FileID, isDirectory: Bool)? {
        identity(of: PathBuffer(path), follow: follow)
    }

    static func identity(of path: PathBuffer, follow: Bool) -> (id: FileID, isDirectory: Bool)? {
        var info = stat()
        let result = path.withCString { follow ? stat($0, &info) : lstat($0, &info) }
        guard result == 0 else { return nil }
        return (FileID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino)),
                (info.st_mode & S_IFMT) == S_IFDIR)
    }

    /// fnmatch(3) of a glob against a name or a relative path.
    static func matches(_ pattern: String, _ text: FilePath) -> Bool {
        text.withPlatformString { fnmatch(pattern, $0, 0) == 0 }
    }
}

/// Where a directory lives on disk: what a symbolic-link loop repeats.
struct FileID: Hashable, Sendable {
    let device: UInt64
    let inode: UInt64
}
