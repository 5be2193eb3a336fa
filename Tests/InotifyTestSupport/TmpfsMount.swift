import Foundation
import SystemPackage

/// Mounting a small tmpfs, for tests of what an unmount does to watches.
/// Needs CAP_SYS_ADMIN: tests that use it are enabled only if `permitted`.
public enum TmpfsMount {
    public static func mount(at path: FilePath, size: String = "1m") throws {
        guard Foundation.mount("tmpfs", path.string, "tmpfs", 0, "size=\(size)") == 0 else { throw Errno(rawValue: errno) }
    }

    /// Unmounts, trying again for up to 10 s while the mount is busy: a
    /// posix_spawn by another test's thread copies the descriptor table, and
    /// the child holds whatever descriptor the test's watcher had open on the
    /// tmpfs (a listing) until it execs (seen: EBUSY under ThreadSanitizer,
    /// beside a test that spawns children in a loop).
    public static func unmount(_ path: FilePath) throws {
        let deadline = ContinuousClock.now.advanced(by: .seconds(10))
        while umount2(path.string, 0) != 0 {
            let error = errno
            guard error == EBUSY, ContinuousClock.now < deadline else { throw Errno(rawValue: error) }
            usleep(1000)
        }
    }

    /// Whether this process may mount: tried once on a scratch directory.
    public static let permitted: Bool = {
        guard let dir = try? TemporaryDirectory("mountcheck") else { return false }
        guard (try? mount(at: dir.path)) != nil else { return false }
        return (try? unmount(dir.path)) != nil
    }()
}
