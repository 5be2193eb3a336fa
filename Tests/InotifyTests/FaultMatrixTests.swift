// Every system call the library makes, failed through the seam with the
// errnos its man page lists: each failure is a typed error that names the
// operation, the errno and the value or path, and says what to do; EINTR is
// retried however often it comes; the watch table stays the kernel's; no
// descriptor outlives the instance; and no event is lost or read twice.
#if INOTIFY_FAULTS
@testable import Inotify
import Glibc
import InotifyTestSupport
import SystemPackage
import Testing
import InotifyTestLanes

@Suite("The library's system calls x the errnos each can return", .inBlockingLane, .timeLimit(.minutes(10)))
struct FaultMatrixTests {
    /// One call failed with one errno.
    struct Case: Sendable, CustomTestStringConvertible {
        let call: Syscall
        let errno: Errno
        /// Whether the error must say what to do: every errno the man page
        /// lists for the call does; one it does not (EIO from a read) explains itself.
        var advises = true
        var testDescription: String { "\(call.rawValue) \(Inotify.Error.name(of: errno))" }
    }

    /// 1,000 EINTRs in a row: what a process that is signalled without pause sees.
    static func storm(_ count: Int = 1000) -> [FaultPlan.Fault] {
        Array(repeating: .fail(.interrupted), count: count)
    }

    /// Whether the instance's table holds exactly the watches the kernel
    /// holds: as many, on the same inodes.
    static func tableMatchesKernel(_ inotify: Inotify) -> Bool {
        let kernel = Files.kernelWatchedInodes(inotify.fileDescriptor)
        let table = inotify.watches.values.compactMap { path -> UInt64? in
            var info = stat()
            return path.withPlatformString { lstat($0, &info) } == 0 ? UInt64(info.st_ino) : nil
        }
        return kernel.count == inotify.watches.count && Set(kernel) == Set(table)
    }

    /// Whether every descriptor the plan saw opened was closed.
    static func nothingLeaked(_ plan: FaultPlan) -> Bool {
        plan.opened.count == plan.closed.count && Set(plan.opened) == Set(plan.closed)
    }

    /// The error's text names the operation, the errno, and `subject`; its
    /// advice is there unless the case says the errno explains itself.
    static func expectClear(
        _ error: Inotify.Error?, _ operation: Inotify.Error.Operation, _ testCase: Case, subject: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let error else { return }
        #expect(error.operation == operation, "\(error)", sourceLocation: sourceLocation)
        #expect(error.errno == testCase.errno, "\(error)", sourceLocation: sourceLocation)
        for text in [operation.rawValue + "(", subject, Inotify.Error.name(of: testCase.errno)] {
            #expect(error.description.contains(text), "'\(text)' not in: \(error)", sourceLocation: sourceLocation)
        }
        if testCase.advises {
            #expect(!error.advice.isEmpty, "no advice in: \(error)", sourceLocation: sourceLocation)
        }
    }

    // MARK: inotify_init, inotify_init1

    static let initCases: [Case] =
        [Syscall.inotifyInit, .inotifyInit1].flatMap { call in
            [Errno.tooManyOpenFiles, .tooManyOpenFilesInSystem, .noMemory].map { Case(call: call, errno: $0) }
        } + [Case(call: .inotifyInit1, errno: .invalidArgument)]

    @Test("a failing init throws its errno with advice and leaves nothing open", arguments: initCases)
    func initFails(_ testCase: Case) {
        let plan = FaultPlan([testCase.call: [testCase.errno]])
        let withFlags = testCase.call == .inotifyInit1
        let error = FaultPlan.$current.withValue(plan) {
            #expect(throws: Inotify.Error.self) {
                _ = withFlags ? try Inotify(flags: .nonBlocking) : try Inotify()
            }
        }
        Self.expectClear(error, withFlags ? .initialize1 : .initialize, testCase, subject: withFlags ? "(flags 0o" : "()")
        #expect(plan.remaining == 0)
        // The advice for EMFILE reads the limits from /proc: files opened and closed.
        #expect(Self.nothingLeaked(plan))
    }

    @Test("an EINTR storm in init is retried")
    func initInterrupted() throws {
        let plan = FaultPlan(faults: [.inotifyInit: Self.storm(), .inotifyInit1: Self.storm()])
        try FaultPlan.$current.withValue(plan) {
            try Inotify().close()
            try Inotify(flags: .nonBlocking).close()
        }
        #expect(plan.remaining == 0)
        #expect(Self.nothingLeaked(plan))
    }

    // MARK: inotify_add_watch

    static let addWatchErrnos: [Errno] = [
        .permissionDenied, .badFileDescriptor, .badAddress, .invalidArgument, .fileNameTooLong,
        .noSuchFileOrDirectory, .noMemory, .noSpace, .notDirectory, .fileExists, .tooManySymbolicLinkLevels,
    ]

    @Test("a failing add_watch throws with the path and advice, adds nothing, and the same call then works",
          arguments: addWatchErrnos)
    func addWatchFails(_ errno: Errno) throws {
        let dir = try TemporaryDirectory("add-fault")
        let kept = try dir.makeDirectory("kept")
        let target = try dir.makeDirectory("target")
        let plan = FaultPlan()
        try FaultPlan.$current.withValue(plan) {
            let inotify = try Inotify(flags: .nonBlocking)
            try inotify.addWatch(kept, mask: .create)
            plan.queue(.inotifyAddWatch, [.fail(errno)])
            let error = #expect(throws: Inotify.Error.self) { try inotify.addWatch(target, mask: .create) }
            Self.expectClear(error, .addWatch, Case(call: .inotifyAddWatch, errno: errno), subject: target.string)
            #expect(Array(inotify.watches.values) == [kept])
            #expect(Self.tableMatchesKernel(inotify))
            try inotify.addWatch(target, mask: .create)
            #expect(Set(inotify.watches.values) == [kept, target])
            #expect(Self.tableMatchesKernel(inotify))
            try inotify.close()
        }
        #expect(Self.nothingLeaked(plan))
    }

    /// add_watch errors the kernel gives for real, without a plan.
    enum RealAddFailure: String, CaseIterable, Sendable {
        case missing, fileWithOnlyDir, watchedWithMaskCreate, nameTooLong
    }

    @Test("the kernel's own add_watch errors: named, advised, nothing added", arguments: RealAddFailure.allCases)
    func realAddWatchFailure(_ failure: RealAddFailure) throws {
        let dir = try TemporaryDirectory("add-real")
        let plan = FaultPlan()
        try FaultPlan.$current.withValue(plan) {
            let inotify = try Inotify(flags: .nonBlocking)
            let path: FilePath
            let mask: Inotify.EventMask
            let errno: Errno
            switch failure {
            case .missing:
                (path, mask, errno) = (dir.appending("missing"), .create, .noSuchFileOrDirectory)
            case .fileWithOnlyDir:
                (path, mask, errno) = (try dir.createFile("file"), [.create, .onlyDir], .notDirectory)
            case .watchedWithMaskCreate:
                path = dir.path
                try inotify.addWatch(path, mask: .create)
                (mask, errno) = ([.create, .maskCreate], .fileExists)
            case .nameTooLong:
                (path, mask, errno) = (dir.appending(String(repeating: "n", count: 300)), .create, .fileNameTooLong)
            }
            let before = inotify.watches
            let error = #expect(throws: Inotify.Error.self) { try inotify.addWatch(path, mask: mask) }
            Self.expectClear(error, .addWatch, Case(call: .inotifyAddWatch, errno: errno), subject: path.string)
            #expect(inotify.watches == before)
            #expect(Self.tableMatchesKernel(inotify))
            try inotify.close()
        }
        #expect(Self.nothingLeaked(plan))
    }

    // MARK: inotify_rm_watch

    @Test("rm_watch EBADF (planned) throws with the wd and keeps the watch in the table, as the kernel keeps it")
    func removeWatchFailsAndKeeps() throws {
        let dir = try TemporaryDirectory("rm-fault")
        let plan = FaultPlan()
        try FaultPlan.$current.withValue(plan) {
            let inotify = try Inotify(flags: .nonBlocking)
            let wd = try inotify.addWatch(dir.path, mask: .create)
            plan.queue(.inotifyRmWatch, [.fail(.badFileDescriptor)])
            let error = #expect(throws: Inotify.Error.self) { try inotify.removeWatch(wd) }
            Self.expectClear(error, .removeWatch, Case(call: .inotifyRmWatch, errno: .badFileDescriptor),
                             subject: "wd \(wd.rawValue)")
            #expect(inotify.path(of: wd) == dir.path)
            #expect(Self.tableMatchesKernel(inotify))
            try inotify.removeWatch(wd)
            #expect(inotify.watches.isEmpty)
            #expect(Self.tableMatchesKernel(inotify))
            try inotify.close()
        }
        #expect(Self.nothingLeaked(plan))
    }

    @Test("rm_watch EINVAL (the kernel ended the watch: its directory was removed) throws with advice and drops the entry")
    func removeWatchOfEndedWatch() throws {
        let dir = try TemporaryDirectory("rm-real")
        let victim = try dir.makeDirectory("victim")
        let plan = FaultPlan()
        try FaultPlan.$current.withValue(plan) {
            let inotify = try Inotify(flags: .nonBlocking)
            let wd = try inotify.addWatch(victim, mask: .create)
            try Files.rmdir(victim)
            // The watch ends once the kernel frees the inode: rm_watch answers EINVAL from then on.
            #expect(Files.kernelWatchCount(inotify.fileDescriptor) == 0)
            let error = #expect(throws: Inotify.Error.self) { try inotify.removeWatch(wd) }
            Self.expectClear(error, .removeWatch, Case(call: .inotifyRmWatch, errno: .invalidArgument),
                             subject: "wd \(wd.rawValue)")
            #expect(inotify.watches.isEmpty)
            #expect(Self.tableMatchesKernel(inotify))
            try inotify.close()
        }
        #expect(Self.nothingLeaked(plan))
    }

    @Test("an EINTR storm in add_watch and rm_watch is retried; table and kernel agree")
    func watchCallsInterrupted() throws {
        let dir = try TemporaryDirectory("watch-storm")
        let plan = FaultPlan(faults: [.inotifyAddWatch: Self.storm(), .inotifyRmWatch: Self.storm()])
        try FaultPlan.$current.withValue(plan) {
            let inotify = try Inotify(flags: .nonBlocking)
            let wd = try inotify.addWatch(dir.path, mask: .create)
            #expect(Self.tableMatchesKernel(inotify))
            try inotify.removeWatch(wd)
            #expect(inotify.watches.isEmpty)
            #expect(Self.tableMatchesKernel(inotify))
            try inotify.close()
        }
        #expect(plan.remaining == 0)
        #expect(Self.nothingLeaked(plan))
    }

    // MARK: Reading: FIONREAD, read, poll, eventfd

    /// A call of a read failing: what the error names besides `read(`.
    struct ReadCase: Sendable, CustomTestStringConvertible {
        let fault: Case
        let subject: String
        var testDescription: String { fault.testDescription }
    }

    static let readCases: [ReadCase] = [
        ReadCase(fault: Case(call: .fionread, errno: .badFileDescriptor), subject: "FIONREAD"),
        ReadCase(fault: Case(call: .fionread, errno: .badAddress), subject: "FIONREAD"),
        ReadCase(fault: Case(call: .read, errno: .invalidArgument), subject: "maxBytes"),
        ReadCase(fault: Case(call: .read, errno: .badFileDescriptor), subject: "maxBytes"),
        ReadCase(fault: Case(call: .read, errno: .badAddress), subject: "maxBytes"),
        ReadCase(fault: Case(call: .read, errno: .ioError, advises: false), subject: "maxBytes"),
        ReadCase(fault: Case(call: .poll, errno: .noMemory), subject: "poll"),
        ReadCase(fault: Case(call: .poll, errno: .invalidArgument, advises: false), subject: "poll"),
        ReadCase(fault: Case(call: .eventfd, errno: .tooManyOpenFiles), subject: "eventfd"),
        ReadCase(fault: Case(call: .eventfd, errno: .tooManyOpenFilesInSystem), subject: "eventfd"),
        ReadCase(fault: Case(call: .eventfd, errno: .noMemory), subject: "eventfd"),
    ]

    @Test("a failing read throws a clear error, the events stay queued, and the next read has each once",
          arguments: readCases)
    func readFails(_ testCase: ReadCase) throws {
        let dir = try TemporaryDirectory("read-fault")
        let plan = FaultPlan()
        try FaultPlan.$current.withValue(plan) {
            let inotify = try Inotify(flags: .nonBlocking)
            try inotify.addWatch(dir.path, mask: .create)
            // poll and the eventfd come into play only when nothing is queued.
            let waits = testCase.fault.call == .poll || testCase.fault.call == .eventfd
            if !waits { try dir.createFile("f") }
            plan.queue(testCase.fault.call, [.fail(testCase.fault.errno)])
            let error = #expect(throws: Inotify.Error.self) { _ = try inotify.readEvents(timeout: .seconds(5)) }
            Self.expectClear(error, .read, testCase.fault, subject: testCase.subject)
            #expect(plan.remaining == 0)
            if waits { try dir.createFile("f") }
            let events = try inotify.readUntil { $0.name == "f" }
            #expect(events.map(\.name) == ["f"])
            #expect(try inotify.readEvents(timeout: .milliseconds(20)).isEmpty)
            try inotify.close()
        }
        #expect(Self.nothingLeaked(plan))
    }

    @Test("EAGAIN from a non-blocking read returns no events; the next read has them")
    func readWouldBlock() throws {
        let dir = try TemporaryDirectory("read-again")
        let plan = FaultPlan([.read: [.resourceTemporarilyUnavailable]])
        try FaultPlan.$current.withValue(plan) {
            let inotify = try Inotify(flags: .nonBlocking)
            try inotify.addWatch(dir.path, mask: .create)
            try dir.createFile("f")
            #expect(try inotify.readEvents().isEmpty)
            #expect(try inotify.readEvents().map(\.name) == ["f"])
            try inotify.close()
        }
        #expect(Self.nothingLeaked(plan))
    }

    @Test("EINTR storms in FIONREAD, read and poll, all at once, are retried and never surface")
    func readCallsInterrupted() throws {
        let dir = try TemporaryDirectory("read-storm")
        let plan = FaultPlan()
        try FaultPlan.$current.withValue(plan) {
            let inotify = try Inotify()
            try inotify.addWatch(dir.path, mask: .create)
            // poll is interrupted 1,000 times with nothing queued; the file comes as the 1,001st starts.
            let file = dir.appending("f")
            plan.queue(.poll, Self.storm() + [.meanwhile { try? Files.touch(file) }])
            plan.queue(.fionread, Self.storm())
            plan.queue(.read, Self.storm())
            #expect(try inotify.readEvents(timeout: .seconds(10)).map(\.name) == ["f"])
            #expect(plan.remaining == 0)
            try inotify.close()
        }
        #expect(Self.nothingLeaked(plan))
    }

    // MARK: A short read

    /// How many bytes the kernel is given per read: each event below takes
    /// 32 (a 16-byte header and a name padded to 16).
    static let shortSizes = [32, 40, 63, 64, 100, 1000]

    @Test("reads shortened to N bytes: every event arrives exactly once, in order", arguments: shortSizes)
    func shortReads(_ size: Int) throws {
        let dir = try TemporaryDirectory("short")
        let names = (0..<20).map { "f\($0)" }
        let plan = FaultPlan()
        try FaultPlan.$current.withValue(plan) {
            let inotify = try Inotify(flags: .nonBlocking)
            try inotify.addWatch(dir.path, mask: .create)
            for name in names { try dir.createFile(name) }
            plan.queue(.read, Array(repeating: .short(size), count: 100))
            var seen: [String] = []
            while seen.count < names.count {
                let batch = try inotify.readEvents(timeout: .seconds(5))
                if batch.isEmpty { break }
                #expect(batch.count <= max(size / 32, 1))
                seen += batch.map(\.name)
            }
            #expect(seen == names)
            try inotify.close()
        }
        #expect(Self.nothingLeaked(plan))
    }

    @Test("a read shortened below one event fails with EINVAL and its advice; the next read has every event once")
    func readShorterThanAnEvent() throws {
        let dir = try TemporaryDirectory("short-event")
        let plan = FaultPlan()
        try FaultPlan.$current.withValue(plan) {
            let inotify = try Inotify(flags: .nonBlocking)
            try inotify.addWatch(dir.path, mask: .create)
            try dir.createFile("first")
            try dir.createFile("second")
            plan.queue(.read, [.short(20)])
            let error = #expect(throws: Inotify.Error.self) { _ = try inotify.readEvents() }
            Self.expectClear(error, .read, Case(call: .read, errno: .invalidArgument), subject: "maxBytes")
            #expect(try inotify.readEvents().map(\.name) == ["first", "second"])
            try inotify.close()
        }
        #expect(Self.nothingLeaked(plan))
    }

    @Test("a stream whose reads are shortened delivers every event exactly once, in order", arguments: [32, 100])
    func shortStreamReads(_ size: Int) async throws {
        let dir = try TemporaryDirectory("short-stream")
        let names = (0..<20).map { "f\($0)" }
        let plan = FaultPlan(faults: [.read: Array(repeating: .short(size), count: 200)])
        try await FaultPlan.$current.withValue(plan) {
            let inotify = try Inotify(flags: .nonBlocking)
            try inotify.addWatch(dir.path, mask: .create)
            for name in names { try dir.createFile(name) }
            var seen: [String] = []
            for try await event in inotify.events {
                seen.append(event.name)
                if seen.count == names.count { break }
            }
            #expect(seen == names)
            #expect(try inotify.readEvents(timeout: .milliseconds(20)).isEmpty)
            try inotify.close()
        }
        #expect(await eventually { Self.nothingLeaked(plan) }, "opened \(plan.opened), closed \(plan.closed)")
    }

    // MARK: The reader thread

    @Test("EAGAIN starting a stream's reader thread ends the iteration with a clear error; the next iteration has the event")
    func readerThreadRefused() async throws {
        let dir = try TemporaryDirectory("thread-fault")
        let plan = FaultPlan([.spawnThread: [.resourceTemporarilyUnavailable]])
        try await FaultPlan.$current.withValue(plan) {
            let inotify = try Inotify(flags: .nonBlocking)
            try inotify.addWatch(dir.path, mask: .create)
            do {
                for try await _ in inotify.events { Issue.record("an event came with no reader thread") }
                Issue.record("the iteration ended without an error")
            } catch let error as Inotify.Error {
                Self.expectClear(error, .read, Case(call: .spawnThread, errno: .resourceTemporarilyUnavailable),
                                 subject: "reader thread")
            }
            #expect(plan.remaining == 0)
            try dir.createFile("f")
            for try await event in inotify.events {
                #expect(event.name == "f")
                break
            }
            try inotify.close()
        }
        #expect(await eventually { Self.nothingLeaked(plan) }, "opened \(plan.opened), closed \(plan.closed)")
    }

    // MARK: close

    @Test("close: EINTR is no failure, EIO is reported; either way the descriptors are released",
          arguments: [Errno.interrupted, .ioError])
    func closeFails(_ errno: Errno) throws {
        let dir = try TemporaryDirectory("close-fault")
        let plan = FaultPlan()
        try FaultPlan.$current.withValue(plan) {
            let inotify = try Inotify(flags: .nonBlocking)
            try inotify.addWatch(dir.path, mask: .create)
            _ = try inotify.readEvents(timeout: .milliseconds(1))  // the wake-up line is made
            plan.queue(.close, [.fail(errno)])
            if errno == .interrupted {
                try inotify.close()
            } else {
                let error = #expect(throws: Inotify.Error.self) { try inotify.close() }
                #expect(error?.operation == .close)
                #expect(error?.errno == errno)
            }
            #expect(inotify.isClosed)
            #expect(inotify.watches.isEmpty)
        }
        #expect(plan.opened.count == 2)
        #expect(Self.nothingLeaked(plan))
    }
}
#endif
