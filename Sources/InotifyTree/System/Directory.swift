// Listing a directory with the entry types the directory read gives (no
// stat per entry), stat where a type is unknown or a symbolic link must be
// followed, and glob matching; the system calls are the seam's (Syscalls).
// Directories are opened by descriptor, relative to their parent
// (DirectoryDescriptor.swift).

import Glibc
import Inotify
import SystemPackage

package enum Directory {
    package enum EntryKind: Sendable { case directory, symbolicLink, other, unknown }

    /// Calls `body` with each entry of the directory open as `fd` except `.`
    /// and `..`: its name's bytes (valid during the call only), its type and
    /// its inode (`d_ino`). Read straight into `buffer` with getdents64: no
    /// DIR stream to allocate and fstat per directory, as opendir does, and
    /// no array of entries. Returns the errno of getdents64 if it failed, and
    /// how many getdents64 calls were made (each queues an IN_ACCESS on the
    /// directory, which the watcher must know to tell its own events).
    package static func forEachEntry<E: Error>(
        of fd: CInt, buffer: UnsafeMutableRawBufferPointer,
        _ body: (UnsafeRawBufferPointer, EntryKind, UInt64) throws(E) -> Void
    ) throws(E) -> (failure: Errno?, reads: Int) {
        var reads = 0
        while true {
            reads += 1
            let count: Int
            switch Syscalls.directoryEntries(fd, into: buffer) {
            case .success(let read): count = read
            case .failure(let errno): return (errno, reads)
            }
            if count == 0 { return (nil, reads) }
            // struct dirent64: d_ino (8), d_off (8), d_reclen (2), d_type (1), d_name.
            var offset = 0
            while offset + 19 < count {
                let recordLength = Int(buffer.loadUnaligned(fromByteOffset: offset + 16, as: UInt16.self))
                guard recordLength > 0, offset + recordLength <= count else { break }
                let inode = buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                let type = buffer[offset + 18]
                let nameStart = offset + 19
                let nameEnd = buffer[nameStart..<(offset + recordLength)].firstIndex(of: 0) ?? (offset + recordLength)
                let name = UnsafeRawBufferPointer(rebasing: buffer[nameStart..<nameEnd])
                offset += recordLength
                if Self.isDotOrDotDot(name) { continue }
                let kind: EntryKind
                switch Int32(type) {
                case Int32(DT_DIR): kind = .directory
                case Int32(DT_LNK): kind = .symbolicLink
                case Int32(DT_UNKNOWN): kind = .unknown
                default: kind = .other
                }
                try body(name, kind, inode)
            }
        }
    }

    /// The size of the buffer for ``forEachEntry(of:buffer:_:)``: what glibc's opendir uses.
    package static let listingBufferSize = 32 * 1024

    private static func isDotOrDotDot(_ name: UnsafeRawBufferPointer) -> Bool {
        (name.count == 1 || name.count == 2) && name.allSatisfy { $0 == UInt8(ascii: ".") }
    }

    /// Device and inode of what `path` names, following symbolic links when
    /// `follow`; nil when it does not exist. `isDirectory` tells its type.
    static func identity(of path: FilePath, follow: Bool) -> (id: FileID, isDirectory: Bool)? {
        identity(of: PathBuffer(path), follow: follow)
    }

    static func identity(of path: PathBuffer, follow: Bool) -> (id: FileID, isDirectory: Bool)? {
        guard case .success(let info) = path.withCString({ Syscalls.status(of: $0, followingLinks: follow) })
        else { return nil }
        return (FileID(info), (info.st_mode & S_IFMT) == S_IFDIR)
    }

    /// fnmatch(3) of a glob against a name or a relative path: the C
    /// library's matching, no system call.
    static func matches(_ pattern: String, _ text: FilePath) -> Bool {
        text.withPlatformString { fnmatch(pattern, $0, 0) == 0 }
    }
}

/// Where a directory lives on disk: what a symbolic-link loop repeats.
struct FileID: Hashable, Sendable {
    let device: UInt64
    let inode: UInt64

    /// Not known: what tests that build a tree by hand give.
    static let unknown = FileID(device: 0, inode: 0)

    init(device: UInt64, inode: UInt64) {
        self.device = device
        self.inode = inode
    }

    init(_ info: stat) {
        self.init(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }
}
