import CInotify
import Inotify
import Testing
import InotifyTestLanes

@Suite("fanotify constants and mask names", .inBlockingLane)
struct FanotifyConstantsTests {
    @Test("every constant is the C header's (CInotify.h defines those the C library's header lacks)")
    func constantsMatchTheHeader() {
        let events: [(UInt64, Int32)] = [
            (Fanotify.FAN_ACCESS, FAN_ACCESS), (Fanotify.FAN_MODIFY, FAN_MODIFY), (Fanotify.FAN_ATTRIB, FAN_ATTRIB),
            (Fanotify.FAN_CLOSE_WRITE, FAN_CLOSE_WRITE), (Fanotify.FAN_CLOSE_NOWRITE, FAN_CLOSE_NOWRITE),
            (Fanotify.FAN_OPEN, FAN_OPEN), (Fanotify.FAN_MOVED_FROM, FAN_MOVED_FROM),
            (Fanotify.FAN_MOVED_TO, FAN_MOVED_TO), (Fanotify.FAN_CREATE, FAN_CREATE),
            (Fanotify.FAN_DELETE, FAN_DELETE), (Fanotify.FAN_DELETE_SELF, FAN_DELETE_SELF),
            (Fanotify.FAN_MOVE_SELF, FAN_MOVE_SELF), (Fanotify.FAN_OPEN_EXEC, FAN_OPEN_EXEC),
            (Fanotify.FAN_Q_OVERFLOW, FAN_Q_OVERFLOW), (Fanotify.FAN_FS_ERROR, FAN_FS_ERROR),
            (Fanotify.FAN_OPEN_PERM, FAN_OPEN_PERM), (Fanotify.FAN_ACCESS_PERM, FAN_ACCESS_PERM),
            (Fanotify.FAN_OPEN_EXEC_PERM, FAN_OPEN_EXEC_PERM), (Fanotify.FAN_PRE_ACCESS, FAN_PRE_ACCESS),
            (Fanotify.FAN_MNT_ATTACH, FAN_MNT_ATTACH), (Fanotify.FAN_MNT_DETACH, FAN_MNT_DETACH),
            (Fanotify.FAN_EVENT_ON_CHILD, FAN_EVENT_ON_CHILD), (Fanotify.FAN_RENAME, FAN_RENAME),
            (Fanotify.FAN_ONDIR, FAN_ONDIR), (Fanotify.FAN_CLOSE, FAN_CLOSE), (Fanotify.FAN_MOVE, FAN_MOVE),
        ]
        for (swift, c) in events { #expect(swift == UInt64(c)) }
        let flags: [(UInt32, Int32)] = [
            (Fanotify.FAN_CLOEXEC, FAN_CLOEXEC), (Fanotify.FAN_NONBLOCK, FAN_NONBLOCK),
            (Fanotify.FAN_CLASS_NOTIF, FAN_CLASS_NOTIF), (Fanotify.FAN_CLASS_CONTENT, FAN_CLASS_CONTENT),
            (Fanotify.FAN_CLASS_PRE_CONTENT, FAN_CLASS_PRE_CONTENT),
            (Fanotify.FAN_UNLIMITED_QUEUE, FAN_UNLIMITED_QUEUE), (Fanotify.FAN_UNLIMITED_MARKS, FAN_UNLIMITED_MARKS),
            (Fanotify.FAN_ENABLE_AUDIT, FAN_ENABLE_AUDIT), (Fanotify.FAN_REPORT_PIDFD, FAN_REPORT_PIDFD),
            (Fanotify.FAN_REPORT_TID, FAN_REPORT_TID), (Fanotify.FAN_REPORT_FID, FAN_REPORT_FID),
            (Fanotify.FAN_REPORT_DIR_FID, FAN_REPORT_DIR_FID), (Fanotify.FAN_REPORT_NAME, FAN_REPORT_NAME),
            (Fanotify.FAN_REPORT_TARGET_FID, FAN_REPORT_TARGET_FID),
            (Fanotify.FAN_REPORT_FD_ERROR, FAN_REPORT_FD_ERROR), (Fanotify.FAN_REPORT_MNT, FAN_REPORT_MNT),
            (Fanotify.FAN_REPORT_DFID_NAME, FAN_REPORT_DFID_NAME),
            (Fanotify.FAN_REPORT_DFID_NAME_TARGET, FAN_REPORT_DFID_NAME | FAN_REPORT_FID | FAN_REPORT_TARGET_FID),
            (Fanotify.FAN_MARK_ADD, FAN_MARK_ADD), (Fanotify.FAN_MARK_REMOVE, FAN_MARK_REMOVE),
            (Fanotify.FAN_MARK_DONT_FOLLOW, FAN_MARK_DONT_FOLLOW), (Fanotify.FAN_MARK_ONLYDIR, FAN_MARK_ONLYDIR),
            (Fanotify.FAN_MARK_MOUNT, FAN_MARK_MOUNT), (Fanotify.FAN_MARK_IGNORED_MASK, FAN_MARK_IGNORED_MASK),
            (Fanotify.FAN_MARK_IGNORED_SURV_MODIFY, FAN_MARK_IGNORED_SURV_MODIFY),
            (Fanotify.FAN_MARK_FLUSH, FAN_MARK_FLUSH), (Fanotify.FAN_MARK_FILESYSTEM, FAN_MARK_FILESYSTEM),
            (Fanotify.FAN_MARK_EVICTABLE, FAN_MARK_EVICTABLE), (Fanotify.FAN_MARK_IGNORE, FAN_MARK_IGNORE),
            (Fanotify.FAN_MARK_INODE, FAN_MARK_INODE), (Fanotify.FAN_MARK_MNTNS, FAN_MARK_MNTNS),
            (Fanotify.FAN_MARK_IGNORE_SURV, FAN_MARK_IGNORE_SURV),
            (Fanotify.FAN_ALLOW, FAN_ALLOW), (Fanotify.FAN_DENY, FAN_DENY), (Fanotify.FAN_AUDIT, FAN_AUDIT),
            (Fanotify.FAN_INFO, FAN_INFO),
        ]
        for (swift, c) in flags { #expect(swift == UInt32(c)) }
        let infoTypes: [(UInt8, Int32)] = [
            (Fanotify.FAN_EVENT_INFO_TYPE_FID, FAN_EVENT_INFO_TYPE_FID),
            (Fanotify.FAN_EVENT_INFO_TYPE_DFID_NAME, FAN_EVENT_INFO_TYPE_DFID_NAME),
            (Fanotify.FAN_EVENT_INFO_TYPE_DFID, FAN_EVENT_INFO_TYPE_DFID),
            (Fanotify.FAN_EVENT_INFO_TYPE_PIDFD, FAN_EVENT_INFO_TYPE_PIDFD),
            (Fanotify.FAN_EVENT_INFO_TYPE_ERROR, FAN_EVENT_INFO_TYPE_ERROR),
            (Fanotify.FAN_EVENT_INFO_TYPE_RANGE, FAN_EVENT_INFO_TYPE_RANGE),
            (Fanotify.FAN_EVENT_INFO_TYPE_MNT, FAN_EVENT_INFO_TYPE_MNT),
            (Fanotify.FAN_EVENT_INFO_TYPE_OLD_DFID_NAME, FAN_EVENT_INFO_TYPE_OLD_DFID_NAME),
            (Fanotify.FAN_EVENT_INFO_TYPE_NEW_DFID_NAME, FAN_EVENT_INFO_TYPE_NEW_DFID_NAME),
            (Fanotify.FANOTIFY_METADATA_VERSION, FANOTIFY_METADATA_VERSION),
        ]
        for (swift, c) in infoTypes { #expect(Int32(swift) == c) }
        #expect(Fanotify.FAN_NOFD == FAN_NOFD && Fanotify.FAN_NOPIDFD == FAN_NOPIDFD && Fanotify.FAN_EPIDFD == FAN_EPIDFD)
        #expect(Fanotify.FAN_EVENT_METADATA_LEN == cinotify_fanotify_metadata_size())
        for target in Fanotify.MarkTarget.allCases {
            #expect(Fanotify.MarkTarget(rawValue: target.rawValue) == target)
        }
    }

    @Test("a mask prints as names in bit order, unknown bits in hex, and parses back")
    func maskNames() throws {
        let mask: Fanotify.EventMask = [.create, .onDir, .rename]
        #expect(mask.description == "CREATE|RENAME|ONDIR")
        #expect(Fanotify.EventMask(rawValue: 0x2000 | Fanotify.FAN_DELETE).description == "DELETE|0x2000")
        #expect(Fanotify.EventMask().description == "0")
        for bits in [mask, Fanotify.EventMask(rawValue: 0xFFFF_FFFF_FFFF_FFFF), []] {
            #expect(try Fanotify.EventMask(parsing: bits.description) == bits)
        }
        #expect(try Fanotify.EventMask(parsing: "fan_close, move|ondir") == [.close, .move, .onDir])
        let error = #expect(throws: Fanotify.Error.self) { try Fanotify.EventMask(parsing: "crate") }
        #expect(error?.advice.contains("create") == true)
        // Every named bit is one bit, and the names are in bit order.
        let bits = Fanotify.EventMask.namedBits.map(\.mask.rawValue)
        #expect(bits.allSatisfy { $0.nonzeroBitCount == 1 } && bits == bits.sorted())
    }
}
