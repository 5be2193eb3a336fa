import Glibc
import SystemPackage

// fanotify_mark(2): add, remove, flush. The path is resolved as openat(2)
// resolves it: relative to `directory` when one is given, else to the
// working directory.

extension Fanotify {
    /// What fanotify_mark(2) does with the mask.
    public enum MarkAction: UInt32, Sendable, Hashable {
        /// Adds the mask to the mark, making it. The corresponding C constant is `FAN_MARK_ADD`.
        case add = 0x0000_0001
        /// Removes the mask from the mark. The corresponding C constant is `FAN_MARK_REMOVE`.
        case remove = 0x0000_0002
    }

    /// Adds `mask` to the mark on what `path` names (`target`: its inode, its
    /// mount or its filesystem), making the mark if there is none.
    /// The corresponding C function is `fanotify_mark` with `FAN_MARK_ADD`.
    ///
    /// With `flags` `.ignore` (or `.ignoredMask`) the mask is the mark's
    /// ignore mask. A relative path is taken in `directory` when given.
    /// Throws ``Error`` with advice: `EPERM` on a mount or filesystem without
    /// CAP_SYS_ADMIN; `EINVAL` for directory-entry events on a mount (use a
    /// filesystem mark) or a feature this kernel lacks; `ENODEV`, `EXDEV`,
    /// `EOPNOTSUPP` for a filesystem that cannot report file identifiers;
    /// `ENOSPC` at the mark limit.
    public func addMark(
        _ path: FilePath, in directory: FileDescriptor? = nil, on target: MarkTarget = .inode, mask: EventMask,
        flags: MarkFlags = []
    ) throws(Error) {
        try mark(.add, path, in: directory, on: target, mask: mask, flags: flags)
    }

    /// Removes `mask` from the mark on what `path` names; the mark goes when
    /// its masks are empty. The corresponding C function is `fanotify_mark`
    /// with `FAN_MARK_REMOVE`.
    public func removeMark(
        _ path: FilePath, in directory: FileDescriptor? = nil, on target: MarkTarget = .inode, mask: EventMask,
        flags: MarkFlags = []
    ) throws(Error) {
        try mark(.remove, path, in: directory, on: target, mask: mask, flags: flags)
    }

    /// Adds or removes `mask`, as ``addMark(_:in:on:mask:flags:)`` and
    /// ``removeMark(_:in:on:mask:flags:)`` do; an empty `path` with a
    /// `directory` marks the object open as `directory` itself.
    /// The corresponding C function is `fanotify_mark`.
    public func mark(
        _ action: MarkAction, _ path: FilePath, in directory: FileDescriptor? = nil, on target: MarkTarget = .inode,
        mask: EventMask, flags: MarkFlags = []
    ) throws(Error) {
        let allFlags = action.rawValue | target.rawValue | flags.rawValue
        let value = "\(Self.describe(action: action, target: target, flags: flags)), mask \(mask)"
        try use(.mark, path: path) { (fd) throws(Error) in
            let result = path.withPlatformString { cPath in
                Syscalls.fanotifyMark(
                    fd, flags: allFlags, mask: mask.rawValue, directory: directory?.rawValue ?? AT_FDCWD,
                    path: path.isEmpty && directory != nil ? nil : cPath)
            }
            if case .failure(let errno) = result {
                throw Error(
                    .mark, errno: errno, path: path, value: value,
                    advice: Error.markAdvice(errno, target: target, mask: mask, flags: flags, groupFlags: self.flags))
            }
        }
    }

    /// Removes every mark of `target`'s kind (inode, mount or filesystem
    /// marks) from the group. The corresponding C function is
    /// `fanotify_mark` with `FAN_MARK_FLUSH`.
    public func flushMarks(_ target: MarkTarget = .inode) throws(Error) {
        try use(.mark) { (fd) throws(Error) in
            let result = Syscalls.fanotifyMark(
                fd, flags: Fanotify.FAN_MARK_FLUSH | target.rawValue, mask: 0, directory: AT_FDCWD, path: nil)
            if case .failure(let errno) = result {
                throw Error(.mark, errno: errno, value: "FAN_MARK_FLUSH|\(target.name)")
            }
        }
    }

    /// `FAN_MARK_ADD|FAN_MARK_FILESYSTEM|FAN_MARK_ONLYDIR`.
    static func describe(action: MarkAction, target: MarkTarget, flags: MarkFlags) -> String {
        var names = [action == .add ? "FAN_MARK_ADD" : "FAN_MARK_REMOVE", target.name]
        let named: [(MarkFlags, String)] = [
            (.dontFollow, "FAN_MARK_DONT_FOLLOW"), (.onlyDir, "FAN_MARK_ONLYDIR"),
            (.ignoredMask, "FAN_MARK_IGNORED_MASK"), (.ignoredSurvivesModify, "FAN_MARK_IGNORED_SURV_MODIFY"),
            (.evictable, "FAN_MARK_EVICTABLE"), (.ignore, "FAN_MARK_IGNORE"),
        ]
        var rest = flags
        for (flag, name) in named where flags.contains(flag) {
            names.append(name)
            rest.remove(flag)
        }
        if !rest.isEmpty { names.append("0x" + String(rest.rawValue, radix: 16)) }
        return names.joined(separator: "|")
    }
}
