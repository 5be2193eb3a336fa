import Glibc
import Inotify

/// Tells a directory with no subdirectories from its link count, where the
/// filesystem keeps that count as 2 plus the number of subdirectories: what
/// find(1)'s leaf optimisation relies on.
///
/// A scan that reports nothing (the first one, and the one after an
/// overflow) lists a directory only to find subdirectories to watch, so a
/// leaf need not be listed at all: one fstatat instead of open, two
/// getdents64 and close. It is asked after the directory's watch is added,
/// so a subdirectory made later is reported by the kernel, and one made
/// earlier is in the count.
///
/// Only filesystems known to keep the count are trusted: ext2/3/4, tmpfs
/// and XFS. Elsewhere the count can mean nothing (btrfs keeps 1; NFS, CIFS,
/// AFS and FUSE report what their server says), and every directory is listed.
struct LeafTest {
    /// Per device: whether its filesystem keeps directory link counts.
    private var trustedDevices: [UInt64: Bool] = [:]

    /// `info`: the directory's status, read after its watch was added;
    /// `path`: a path that reaches it, for statfs the first time its device is seen.
    mutating func isLeaf(_ info: stat, path: @autoclosure () -> [CChar]) -> Bool {
        // Anything unexpected (not a directory, another count) means: list
        // it, and let the listing tell.
        guard info.st_mode & S_IFMT == S_IFDIR, info.st_nlink == 2 else { return false }
        let device = UInt64(info.st_dev)
        if let trusted = trustedDevices[device] { return trusted }
        let type = path().withUnsafeBufferPointer { Syscalls.filesystemType(of: $0.baseAddress!) }
        let trusted = (try? Self.keepsLinkCounts.contains(type.get())) ?? false
        trustedDevices[device] = trusted
        return trusted
    }

    /// The same, with the path made only for a device not seen before.
    mutating func isLeaf(_ info: stat, path target: WatchTarget) -> Bool {
        isLeaf(info, path: target.absolute)
    }

    /// The same for what `path` names now (lstat).
    mutating func isLeaf(_ path: PathBuffer) -> Bool {
        guard case .success(let info) = path.withCString({ Syscalls.status(of: $0, followingLinks: false) })
        else { return false }
        return isLeaf(info, path: path.bytes)
    }

    /// EXT2/3/4_SUPER_MAGIC, TMPFS_MAGIC, XFS_SUPER_MAGIC (linux/magic.h).
    private static let keepsLinkCounts: Set<Int64> = [0xEF53, 0x0102_1994, 0x5846_5342]
}
