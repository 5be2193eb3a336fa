// Faults are planned only where they are compiled in (INOTIFY_FAULTS: debug builds).
#if INOTIFY_FAULTS
@testable import Inotify
import InotifyTestSupport
import SystemPackage
import Testing
import InotifyTestLanes

@Suite("Faults injected through the syscall seam", .inBlockingLane)
struct FaultInjectionTests {
    @Test("EINTR is retried by every call, and never reaches the caller")
    func interruptsAreRetried() throws {
        let dir = try TemporaryDirectory()
        let plan = FaultPlan([
            .inotifyInit1: [.interrupted],
            .inotifyAddWatch: [.interrupted, .interrupted],
            .fionread: [.interrupted],
            .read: [.interrupted],
            .poll: [.interrupted],
            .inotifyRmWatch: [.interrupted],
        ])
        try FaultPlan.$current.withValue(plan) {
            let inotify = try Inotify(flags: .closeOnExec)
            let wd = try inotify.addWatch(dir.path, mask: .create)
            try dir.createFile("x")
            let events = try inotify.readEvents(timeout: .seconds(5))
            #expect(events.map(\.name) == ["x"])
            #expect(try inotify.readEvents(timeout: .milliseconds(1)).isEmpty)
            try inotify.removeWatch(wd)
        }
        #expect(plan.remaining == 0)
    }

    @Test("ENOSPC from add_watch names the path and fs.inotify.max_user_watches")
    func watchLimit() throws {
        let dir = try TemporaryDirectory()
        let inotify = try Inotify()
        let plan = FaultPlan([.inotifyAddWatch: [.noSpace]])
        FaultPlan.$current.withValue(plan) {
            expectInotifyError(.noSpace, mentioning: [dir.path.string, "fs.inotify.max_user_watches", "sysctl"]) {
                try inotify.addWatch(dir.path, mask: .create)
            }
        }
        #expect(try inotify.addWatch(dir.path, mask: .create).rawValue == 1)
    }

    @Test("EMFILE from init names fs.inotify.max_user_instances")
    func instanceLimit() throws {
        let plan = FaultPlan([.inotifyInit: [.tooManyOpenFiles], .inotifyInit1: [.tooManyOpenFiles]])
        FaultPlan.$current.withValue(plan) {
            expectInotifyError(.tooManyOpenFiles, mentioning: ["inotify_init", "fs.inotify.max_user_instances"]) {
                _ = try Inotify()
            }
            expectInotifyError(.tooManyOpenFiles, mentioning: ["inotify_init1", "fs.inotify.max_user_instances"]) {
                _ = try Inotify(flags: .nonBlocking)
            }
        }
    }

    @Test("a read error reaches the caller, and the next read works")
    func readErrorSurfaces() throws {
        let dir = try TemporaryDirectory()
        let inotify = try Inotify(flags: .nonBlocking)
        try inotify.addWatch(dir.path, mask: .create)
        try dir.createFile("kept")
        let plan = FaultPlan([.read: [.ioError]])
        FaultPlan.$current.withValue(plan) {
            expectInotifyError(.ioError, mentioning: ["read"]) { _ = try inotify.readEvents() }
        }
        #expect(try inotify.readEvents().map(\.name) == ["kept"])
    }

    @Test("a failing close is reported")
    func closeErrorSurfaces() throws {
        let inotify = try Inotify()
        let plan = FaultPlan([.close: [.ioError]])
        FaultPlan.$current.withValue(plan) {
            expectInotifyError(.ioError, mentioning: ["close"]) { try inotify.close() }
        }
        #expect(inotify.isClosed)
    }
}
#endif
