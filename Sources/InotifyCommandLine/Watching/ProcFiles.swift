import Inotify

/// procfs's magic number (statfs(2), PROC_SUPER_MAGIC).
private let procMagic: Int64 = 0x9fa0

extension Diagnostics {
    /// Warns about each path on /proc: the kernel accepts a watch there, but
    /// what a /proc file says changes without a write, so no event ever
    /// tells of it. The path is watched all the same: another process's
    /// open, read or write of it is still reported.
    func warnAboutProcFiles(_ paths: [[UInt8]]) {
        for path in paths {
            guard case .success(procMagic) = withCPath(path, { Syscalls.filesystemType(of: $0) }) else { continue }
            say(Messages.procFile(display(path)))
        }
    }
}
