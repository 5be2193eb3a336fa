import Foundation
import SystemPackage

/// Mounting a small tmpfs, for tests of what an unmount does to watches.
/// Needs CAP_SYS_ADMIN: tests that use it are enabled only if `permitted`.
public enum TmpfsMount {
    public static func mount(at path: FilePath) throws {
        guard Foundation.mount("tmpfs", path.string, "tmpfs", 0, "size=1m") == 0 else { throw Errno(rawValue: errno) }
    }

    public static func unmount(_ path: FilePath) throws {
        guard umount2(path.string, 0) == 0 else { throw Errno(rawValue: errno) }
    }

    /// Whether this process may mount: tried once on a scratch directory.
    public static let permitted: Bool = {
        guard let dir = try? TemporaryDirectory("mountcheck") else { return false }
        guard (try? mount(at: dir.path)) != nil else { return false }
        return (try? unmount(dir.path)) != nil
    }()
}
