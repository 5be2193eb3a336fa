// The kernel's answers that a test cannot make it give (a process without
// CAP_SYS_ADMIN, a filesystem without file handles, a full mark table),
// planned through the syscall seam: each must be told with what to do.
#if INOTIFY_FAULTS
@testable import Inotify
import InotifyTestSupport
import SystemPackage
import Testing
import InotifyTestLanes

@Suite(
    "fanotify errors that say what to do", .inBlockingLane,
    .enabled(if: FanotifyAvailability.available, "fanotify is not permitted (not root) or not built into this kernel"))
struct FanotifyAdviceTests {
    private func initError(_ errno: Errno, flags: Fanotify.InitFlags) -> Fanotify.Error? {
        FaultPlan.$current.withValue(FaultPlan([.fanotifyInit: [errno]])) {
            #expect(throws: Fanotify.Error.self) { try Fanotify(flags: flags) }
        }
    }

    private func markError(_ errno: Errno, on target: Fanotify.MarkTarget, mask: Fanotify.EventMask) throws -> Fanotify.Error? {
        let directory = try TemporaryDirectory("fanotify")
        let group = try Fanotify(flags: [.reportDfidName, .closeOnExec])
        return FaultPlan.$current.withValue(FaultPlan([.fanotifyMark: [errno]])) {
            #expect(throws: Fanotify.Error.self) { try group.addMark(directory.path, on: target, mask: mask) }
        }
    }

    @Test("EPERM on init names CAP_SYS_ADMIN; EMFILE the group limit; ENOSYS a kernel without fanotify")
    func initAnswers() {
        #expect(initError(.notPermitted, flags: [.reportDfidName])?.advice.contains("CAP_SYS_ADMIN (run as root)") == true)
        #expect(initError(.tooManyOpenFiles, flags: [])?.advice.contains("fs.fanotify.max_user_groups") == true)
        #expect(initError(.noFunction, flags: [])?.advice.contains("CONFIG_FANOTIFY") == true)
    }

    @Test("EINVAL on init names the Linux release each flag asked for needs")
    func initFeatures() {
        let advice = initError(.invalidArgument, flags: [.reportDfidName, .reportPidfd])?.advice ?? ""
        #expect(advice.contains("FAN_REPORT_NAME (FAN_REPORT_DFID_NAME) needs Linux 5.9"), "\(advice)")
        #expect(advice.contains("FAN_REPORT_PIDFD needs Linux 5.15"), "\(advice)")
        #expect(!advice.contains("FAN_REPORT_TARGET_FID"), "\(advice)")
    }

    @Test("EPERM on a mount or filesystem mark names CAP_SYS_ADMIN; EINVAL for FAN_RENAME on an old kernel names 5.17")
    func markPermissionsAndFeatures() throws {
        for target in [Fanotify.MarkTarget.mount, .filesystem] {
            #expect(try markError(.notPermitted, on: target, mask: [.modify])?.advice.contains("CAP_SYS_ADMIN") == true)
        }
        let rename = try markError(.invalidArgument, on: .filesystem, mask: [.rename])
        #expect(rename?.advice.contains("FAN_RENAME needs Linux 5.17") == true, "\(String(describing: rename))")
    }

    @Test("ENODEV, EXDEV and EOPNOTSUPP on a mark name a filesystem that cannot report file handles; ENOSPC the mark limit")
    func markFilesystemsAndLimits() throws {
        #expect(try markError(.operationNotSupportedByDevice, on: .filesystem, mask: [.create])?.advice.contains("fsid") == true)
        #expect(try markError(.improperLink, on: .filesystem, mask: [.create])?.advice.contains("subvolume") == true)
        #expect(try markError(.notSupported, on: .filesystem, mask: [.create])?.advice.contains("cannot encode file handles") == true)
        #expect(try markError(.noSpace, on: .inode, mask: [.create])?.advice.contains("fs.fanotify.max_user_marks") == true)
    }
}
#endif
