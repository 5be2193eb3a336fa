// What the kernel's bare answers mean for each call, given what was asked:
// EINVAL names the feature this kernel lacks, EPERM the capability,
// ENOSPC and EMFILE the limit and its current value.

import SystemPackage

extension Fanotify.Error {
    /// Advice for fanotify_init(2)'s answer `errno` to `flags`.
    static func initAdvice(_ errno: Errno, flags: Fanotify.InitFlags) -> String? {
        switch errno {
        case .notPermitted:
            return "fanotify needs CAP_SYS_ADMIN (run as root) for these flags: without it, Linux 5.13"
                + " and later allow only .notificationClass with file identifier reporting"
                + " (.reportFid, .reportDfidName), inode marks, and no unlimited queue or marks"
        case .invalidArgument:
            return invalidInitAdvice(flags)
        case .tooManyOpenFiles:
            return "Either the per-user limit on fanotify groups, fs.fanotify.max_user_groups"
                + " (now \(sysctl("max_user_groups"))), or this process's descriptor limit (ulimit -n)"
                + " is reached: close groups you no longer need, or raise the limit"
        case .noFunction:
            return "This kernel is built without fanotify (CONFIG_FANOTIFY)"
        default:
            return nil
        }
    }

    private static func invalidInitAdvice(_ flags: Fanotify.InitFlags) -> String {
        if flags.isSuperset(of: [.contentClass, .preContentClass]) {
            return "Give one class: .contentClass or .preContentClass, not both"
        }
        if flags.contains(.reportName) && !flags.contains(.reportDirFid) {
            return ".reportName (FAN_REPORT_NAME) needs .reportDirFid: use .reportDfidName"
        }
        if flags.contains(.reportTargetFid) && !flags.isSuperset(of: [.reportFid, .reportDfidName]) {
            return ".reportTargetFid (FAN_REPORT_TARGET_FID) needs .reportFid and .reportDfidName"
                + " (FAN_REPORT_DFID_NAME_TARGET)"
        }
        if flags.isSuperset(of: [.reportPidfd, .reportTid]) {
            return ".reportPidfd (FAN_REPORT_PIDFD) and .reportTid (FAN_REPORT_TID) cannot be combined"
        }
        if flags.contains(.reportMount) && flags.reportsFileIDs {
            return ".reportMount (FAN_REPORT_MNT) cannot be combined with file identifier reporting"
        }
        var text = "This kernel (Linux \(kernelRelease)) refused the flags"
        let needed = initFeatures.filter { flags.contains($0.flags) }
        if !needed.isEmpty {
            text += "; of those asked, " + needed.map { "\($0.name) needs Linux \($0.since)" }.joined(separator: ", ")
        }
        if flags.reportsFileIDs && !flags.isDisjoint(with: [.contentClass, .preContentClass]) {
            text += "; and a kernel may refuse file identifier reporting outside .notificationClass"
        }
        return text
    }

    /// The init flags newer than fanotify itself, and the release that brought each.
    private static let initFeatures: [(flags: Fanotify.InitFlags, name: String, since: String)] = [
        (.enableAudit, "FAN_ENABLE_AUDIT", "4.15"),
        (.reportTid, "FAN_REPORT_TID", "4.20"),
        (.reportFid, "FAN_REPORT_FID", "5.1"),
        (.reportDirFid, "FAN_REPORT_DIR_FID", "5.9"),
        (.reportName, "FAN_REPORT_NAME (FAN_REPORT_DFID_NAME)", "5.9"),
        (.reportPidfd, "FAN_REPORT_PIDFD", "5.15"),
        (.reportTargetFid, "FAN_REPORT_TARGET_FID", "5.17"),
        (.reportFdError, "FAN_REPORT_FD_ERROR", "6.13"),
        (.reportMount, "FAN_REPORT_MNT", "6.15"),
    ]

    /// The events and mark flags newer than fanotify itself, and the release that brought each.
    private static let markFeatures: [(mask: Fanotify.EventMask, name: String, since: String)] = [
        (.openExec, "FAN_OPEN_EXEC", "5.0"), (.openExecPerm, "FAN_OPEN_EXEC_PERM", "5.0"),
        ([.attrib, .create, .delete, .deleteSelf, .move, .moveSelf], "directory-entry and inode events", "5.1"),
        (.fsError, "FAN_FS_ERROR", "5.16"), (.rename, "FAN_RENAME", "5.17"),
        (.preAccess, "FAN_PRE_ACCESS", "6.14"), ([.mountAttach, .mountDetach], "mount events", "6.15"),
    ]

    private static let markFlagFeatures: [(flags: Fanotify.MarkFlags, name: String, since: String)] = [
        (.evictable, "FAN_MARK_EVICTABLE", "5.19"), (.ignore, "FAN_MARK_IGNORE", "6.0"),
    ]

    /// Advice for fanotify_mark(2)'s answer `errno` to a mark of `target`
    /// with `mask` and `flags`, by a group made with `groupFlags`.
    static func markAdvice(
        _ errno: Errno, target: Fanotify.MarkTarget, mask: Fanotify.EventMask, flags: Fanotify.MarkFlags,
        groupFlags: Fanotify.InitFlags
    ) -> String? {
        let fdEvents: Fanotify.EventMask = [.access, .modify, .close, .open, .openExec, .openPerm, .accessPerm, .openExecPerm, .preAccess]
        let flagBits: Fanotify.EventMask = [.onDir, .eventOnChild]
        let fidOnly = mask.subtracting(fdEvents.union(flagBits))
        switch errno {
        case .notPermitted where target != .inode:
            return "A \(target == .mount ? "mount" : target == .filesystem ? "filesystem" : "mount namespace") mark"
                + " needs CAP_SYS_ADMIN: run as root"
        case .notPermitted, .permissionDenied:
            return "Marking needs read permission on the path (and CAP_SYS_ADMIN for permission events)"
        case .invalidArgument:
            if target == .mount && !fidOnly.isEmpty {
                return "A mount mark cannot report \(fidOnly) (the kernel refuses directory-entry and inode"
                    + " events on mounts): use a filesystem mark (.filesystem, FAN_MARK_FILESYSTEM)"
            }
            if !groupFlags.reportsFileIDs && !fidOnly.isEmpty {
                return "\(fidOnly) needs a group that reports file identifiers: make the Fanotify with"
                    + " .reportFid or .reportDfidName"
            }
            if mask.contains(.rename) && !groupFlags.contains(.reportName) {
                return "FAN_RENAME needs a group made with .reportDfidName (FAN_REPORT_NAME)"
            }
            if !mask.isDisjoint(with: [.openPerm, .accessPerm, .openExecPerm, .preAccess])
                && groupFlags.isDisjoint(with: [.contentClass, .preContentClass])
            {
                return "Permission events need a group made with .contentClass or .preContentClass"
            }
            if flags.isSuperset(of: [.ignore, .ignoredMask]) {
                return ".ignore (FAN_MARK_IGNORE) and .ignoredMask (FAN_MARK_IGNORED_MASK) exclude each other"
            }
            if flags.contains(.ignore) && target != .inode && !flags.contains(.ignoredSurvivesModify) {
                return ".ignore on a mount or filesystem needs .ignoredSurvivesModify (FAN_MARK_IGNORE_SURV)"
            }
            var text = "This kernel (Linux \(kernelRelease)) refused the mark"
            var needed = markFeatures.filter { !mask.isDisjoint(with: $0.mask) }.map { "\($0.name) needs Linux \($0.since)" }
            needed += markFlagFeatures.filter { flags.contains($0.flags) }.map { "\($0.name) needs Linux \($0.since)" }
            if target == .filesystem { needed.append("FAN_MARK_FILESYSTEM needs Linux 4.20") }
            if target == .mountNamespace { needed.append("FAN_MARK_MNTNS needs Linux 6.15") }
            if !needed.isEmpty { text += "; of what was asked, " + needed.joined(separator: ", ") }
            return text + "; or the descriptor is not a fanotify group"
        case .operationNotSupportedByDevice:
            return "The filesystem reports no filesystem id (fsid), so it cannot report file identifiers"
                + " (FUSE, some network filesystems): watch it with a group without file identifier"
                + " reporting, or with inotify"
        case .improperLink:
            return "The path is on a subvolume whose fsid differs from its filesystem's (btrfs), or on a"
                + " filesystem whose fsid another mark of this group already uses: mark the"
                + " filesystem's root, or use another group"
        case .notSupported:
            return "The filesystem cannot encode file handles (NFS exports without them, some FUSE"
                + " filesystems, some pseudo filesystems): file identifier reporting cannot watch it;"
                + " use a group without it, or inotify"
        case .noSpace:
            return "The per-user mark limit fs.fanotify.max_user_marks (now \(sysctl("max_user_marks")))"
                + " is used up: remove marks, raise it, or make the group with .unlimitedMarks (as root)"
        case .noSuchFileOrDirectory:
            return "Check that the path exists; removing a mask that no mark holds also gives this"
        case .isDirectory:
            return ".ignore (FAN_MARK_IGNORE) on a directory needs .ignoredSurvivesModify"
                + " (FAN_MARK_IGNORE_SURV): a directory's ignore mask cannot be cleared by a modification"
        case .notDirectory:
            return "The flags have .onlyDir (FAN_MARK_ONLYDIR) but the path is not a directory"
        case .fileExists:
            return "A mark is there already with another .evictable state"
        default:
            return nil
        }
    }

    /// The current value of /proc/sys/fs/fanotify/`name`, or `unknown`.
    static func sysctl(_ name: String) -> String {
        Inotify.Error.sysctl(name, in: "/proc/sys/fs/fanotify/")
    }

    /// This kernel's release (`6.18.4`), or `unknown`.
    static var kernelRelease: String {
        Inotify.Error.sysctl("osrelease", in: "/proc/sys/kernel/")
    }
}
