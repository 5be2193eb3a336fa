@testable import Inotify
import InotifyTestSupport
import SystemPackage
import Testing
import InotifyTestLanes

@Suite("Owning the descriptor", .inBlockingLane, .timeLimit(.minutes(10)))
struct LifecycleTests {
    #if INOTIFY_FAULTS  // the plan exists where faults are compiled in
    @Test("an instance that goes away closes its descriptor exactly once")
    func deinitClosesOnce() throws {
        let plan = FaultPlan()
        let fd = try FaultPlan.$current.withValue(plan) { () throws -> CInt in
            let inotify = try Inotify()
            return inotify.fileDescriptor.rawValue
        }
        #expect(plan.closed == [fd])
    }

    @Test("close() closes the descriptor once; the instance going away later closes nothing more")
    func closeThenDeinit() throws {
        let plan = FaultPlan()
        let fd = try FaultPlan.$current.withValue(plan) { () throws -> CInt in
            let inotify = try Inotify()
            try inotify.close()
            #expect(plan.closed == [inotify.fileDescriptor.rawValue])
            return inotify.fileDescriptor.rawValue
        }
        #expect(plan.closed == [fd])
    }

    @Test("the wake-up descriptor of a waiting read is closed with the instance")
    func wakeDescriptorClosed() throws {
        let plan = FaultPlan()
        try FaultPlan.$current.withValue(plan) {
            let inotify = try Inotify()
            _ = try inotify.readEvents(timeout: .zero)
            try inotify.close()
            #expect(plan.closed.count == 2)
            #expect(plan.closed.first == inotify.fileDescriptor.rawValue)
        }
    }
    #endif

    @Test("close() ends a read waiting in another thread, which then reports the close")
    func closeWakesWaitingRead() async throws {
        let dir = try TemporaryDirectory()
        let inotify = try Inotify()
        try inotify.addWatch(dir.path, mask: .create)
        let read = await startWaiting { () -> Result<[Inotify.Event], Inotify.Error> in
            do { return .success(try inotify.readEvents()) } catch let error as Inotify.Error {
                return .failure(error)
            }
        }
        try inotify.close()
        switch try await read.value {
        case .success(let events):
            Issue.record("the read returned \(events) instead of reporting the close")
        case .failure(let error):
            #expect(error.errno == .badFileDescriptor)
            #expect(error.description.contains("closed while this read was waiting"))
        }
        #expect(inotify.isClosed)
    }

    #if INOTIFY_FAULTS  // the plan exists where faults are compiled in
    @Test("a read that was waiting when close() came releases the descriptor exactly once")
    func deferredCloseHappensOnce() async throws {
        let plan = FaultPlan()
        let inotify = try Inotify()
        let read = await startWaiting {
            FaultPlan.$current.withValue(plan) { (try? inotify.readEvents()) == nil }
        }
        try inotify.close()
        #expect(try await read.value)
        // The reader closed both descriptors on its way out, under its plan.
        #expect(plan.closed.first == inotify.fileDescriptor.rawValue)
        #expect(plan.closed.count == 2)
    }
    #endif

    @Test("one thread reads while another adds and removes watches")
    func readWhileChangingWatches() async throws {
        let dir = try TemporaryDirectory()
        let inotify = try Inotify()
        let count = 40
        for index in 0..<count { try dir.makeDirectory("d\(index)") }
        async let seen = onThread { () throws -> Set<String> in
            var names = Set<String>()
            let deadline = ContinuousClock.now.advanced(by: .seconds(20))
            while names.count < count && ContinuousClock.now < deadline {
                for event in try inotify.readEvents(timeout: .milliseconds(50)) where event.mask.contains(.create) {
                    names.insert(event.name)
                }
            }
            return names
        }
        for index in 0..<count {
            try inotify.addWatch(dir.appending("d\(index)"), mask: .create)
            try dir.createFile("d\(index)/f\(index)")
            let extra = try inotify.addWatch(dir.path, mask: .attrib)
            try inotify.removeWatch(extra)
        }
        #expect(try await seen == Set((0..<count).map { "f\($0)" }))
    }
}
