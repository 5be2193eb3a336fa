@testable import Inotify
import InotifyTestSupport
import Foundation
import SystemPackage
import Testing

@Suite("Async event streams", .timeLimit(.minutes(10)))
struct StreamTests {
    func readerThreadName(_ inotify: Inotify) -> String { "inotify-r\(inotify.identity)" }

    /// Whether the stream's reader thread came up and now waits in poll.
    func readerIsWaiting(_ name: String) async -> Bool {
        // The consumer's task starts the reader thread once it runs, which
        // on a loaded pool can take long: a hang guard, not a judgment.
        guard await eventually(timeout: .seconds(120), { threads(named: name).count == 1 }),
              let tid = threads(named: name).first else { return false }
        return await waitUntilThread(tid, isIn: pollSyscalls)
    }

    @Test("events arrive in order with their names")
    func eventsInOrder() async throws {
        let dir = try TemporaryDirectory()
        let inotify = try Inotify()
        try inotify.addWatch(dir.path, mask: .create)
        for index in 0..<50 { try dir.createFile("f\(index)") }
        var names: [String] = []
        for try await event in inotify.events {
            names.append(event.name)
            if names.count == 50 { break }
        }
        #expect(names == (0..<50).map { "f\($0)" })
    }

    @Test("eventBatches gives one array per kernel read, in order")
    func batchesInOrder() async throws {
        let dir = try TemporaryDirectory()
        let inotify = try Inotify()
        try inotify.addWatch(dir.path, mask: .create)
        for index in 0..<30 { try dir.createFile("f\(index)") }
        var names: [String] = []
        var batches = 0
        for try await batch in inotify.eventBatches {
            batches += 1
            names += batch.map(\.name)
            if names.count >= 30 { break }
        }
        #expect(names == (0..<30).map { "f\($0)" })
        #expect(batches <= 30)
    }

    @Test("100,000 events made while the consumer sleeps all arrive, with no overflow",
          .disabled(if: underThreadSanitizer, "a race for speed: the reader thread must outpace the writer, which ThreadSanitizer's slowdown decides"),
          .disabled(if: underAddressSanitizer, "a race for speed: the reader thread must outpace the writer, and under AddressSanitizer a 64 KiB read and its decoding take 6 to 10 ms while the writer, whose work is the kernel's, is not slowed (run alone, it overflowed in 3 runs of 3)"))
    func eagerDrainingPreventsOverflow() async throws {
        let dir = try TemporaryDirectory()
        let file = try dir.createFile("target")
        let inotify = try Inotify()
        try inotify.addWatch(dir.path, mask: [.open, .closeNoWrite, .create])
        var iterator = inotify.events.makeAsyncIterator()
        try dir.createFile("ready")
        #expect(try await iterator.next()?.name == "ready")  // the reader now runs

        // Six times what the kernel's queue holds, made while the consumer is
        // away: only the reader thread's draining can keep them. The writer
        // pauses 2 ms after every 4,000 events (a fraction of the queue), so
        // that the reader is not merely outrun by a CPU-bound writer on a
        // loaded 2-core machine: pacing of the scenario, not a sync. Counted
        // as made: an open that fails makes no events.
        let total = try await onThread { () -> Int in
            var made = 0
            for _ in 0..<(100_000 / 4000) {
                made += 2 * openClosePairs(file.string, 2000)
                usleep(2000)
            }
            return made
        }
        if total < 100_000 { print("the writer's opens failed \((100_000 - total) / 2) times: \(total) events made") }
        try await Task.sleep(for: .milliseconds(200))  // the consumer is slow: the scenario, not a sync
        // The last event: reading up to it reads every one made before it,
        // so a shortfall is a count, not a wait that never ends.
        try dir.createFile("done")

        var count = 0
        var overflows = 0
        while let event = try await iterator.next(), event.name != "done" {
            if event.mask.contains(.queueOverflow) { overflows += 1 }
            if event.name == "target" { count += 1 }  // not the OPEN of "ready"
        }
        #expect(overflows == 0)
        #expect(count == total)
    }

    @Test("with a small in-memory bound, the kernel's overflow event arrives in sequence")
    func overflowInSequence() async throws {
        let limit = try #require(Files.sysctl("max_queued_events"))
        try #require(limit <= 100_000, "max_queued_events is \(limit): too large to overflow in a test")
        let dir = try TemporaryDirectory()
        let file = try dir.createFile("target")
        let inotify = try Inotify()
        try inotify.addWatch(dir.path, mask: [.open, .closeNoWrite, .create])
        var iterator = inotify.events(bufferLimit: 4096).makeAsyncIterator()
        try dir.makeDirectory("ready")  // CREATE|ISDIR only: no OPEN to disturb the pattern below
        #expect(try await iterator.next()?.name == "ready")

        let pairs = limit + 1000
        _ = try await onThread { openClosePairs(file.string, pairs) }

        var before: [Inotify.Event] = []
        var overflow: Inotify.Event?
        while overflow == nil, let event = try await iterator.next() {
            if event.mask.contains(.queueOverflow) { overflow = event } else { before.append(event) }
        }
        let delivered = try #require(overflow)
        #expect(delivered.wd == -1)
        // Everything before the overflow is the exact start of what was made:
        // OPEN, CLOSE_NOWRITE, OPEN, ... with nothing missing in between.
        #expect(before.count >= limit)
        #expect(before.count < pairs * 2)
        #expect(before.enumerated().allSatisfy { index, event in
            event.mask == (index % 2 == 0 ? .open : .closeNoWrite) && event.name == "target"
        })

        // The stream goes on after the overflow.
        try dir.makeDirectory("after")
        var after: Inotify.Event?
        while let event = try await iterator.next() {
            #expect(!event.mask.contains(.queueOverflow))
            if event.name == "after" { after = event; break }
        }
        #expect(after?.mask == [.create, .isDir])
    }

    #if INOTIFY_FAULTS  // the plan exists where faults are compiled in
    @Test("cancelling the consumer ends the iteration, leaves no thread or descriptor, and the instance stays usable")
    func cancellation() async throws {
        let plan = FaultPlan()
        let dir = try TemporaryDirectory()
        weak var released: Inotify?
        let name = try await FaultPlan.$current.withValue(plan) { () async throws -> String in
            let inotify = try Inotify()
            released = inotify
            let name = readerThreadName(inotify)
            try inotify.addWatch(dir.path, mask: .create)
            let consumer = Task { () throws -> Int in
                var count = 0
                for try await _ in inotify.events { count += 1 }
                return count
            }
            #expect(await readerIsWaiting(name))
            consumer.cancel()
            #expect(try await consumer.value == 0)
            #expect(await eventually { threads(named: name).isEmpty }, "the reader thread is still there")

            try dir.createFile("after-cancel")
            var again = inotify.events.makeAsyncIterator()
            #expect(try await again.next()?.name == "after-cancel")
            try inotify.close()
            #expect(try await again.next() == nil)
            return name
        }
        #expect(await eventually { threads(named: name).isEmpty })
        #expect(await eventually { released == nil }, "the instance outlived its streams")
        let balanced = await eventually { Set(plan.opened) == Set(plan.closed) }
        #expect(balanced, "opened \(plan.opened), closed \(plan.closed)")
        #expect(plan.closed.count == plan.opened.count, "a descriptor closed twice: \(plan.closed)")
    }
    #endif

    @Test("events read but not delivered when a consumer stops go to the next iteration")
    func undeliveredEventsAreKept() async throws {
        let dir = try TemporaryDirectory()
        let inotify = try Inotify()
        try inotify.addWatch(dir.path, mask: .create)
        for index in 0..<10 { try dir.createFile("f\(index)") }
        var first: [String] = []
        for try await event in inotify.events {
            first.append(event.name)
            if first.count == 3 { break }
        }
        var rest: [String] = []
        for try await event in inotify.events {
            rest.append(event.name)
            if first.count + rest.count == 10 { break }
        }
        #expect(first + rest == (0..<10).map { "f\($0)" })
    }

    #if INOTIFY_FAULTS  // the plan exists where faults are compiled in
    @Test("close() while a task iterates ends the iteration cleanly and releases everything")
    func closeEndsIteration() async throws {
        let plan = FaultPlan()
        let dir = try TemporaryDirectory()
        try await FaultPlan.$current.withValue(plan) {
            let inotify = try Inotify()
            let name = readerThreadName(inotify)
            try inotify.addWatch(dir.path, mask: .create)
            try dir.createFile("before-close")
            let consumer = Task { () throws -> [String] in
                var names: [String] = []
                for try await event in inotify.events { names.append(event.name) }
                return names
            }
            // Read out of the kernel first: the reader thread seen in poll
            // may be on its way in with the event still queued, and events
            // the kernel holds at close are gone with it (close(2)); what
            // the stream holds is delivered.
            #expect(await eventually { (try? inotify.queuedByteCount()) == 0 })
            #expect(await readerIsWaiting(name))
            try inotify.close()
            let result = await consumer.result
            #expect((try? result.get()) == ["before-close"], "\(result)")
            #expect(await eventually { threads(named: name).isEmpty })
            #expect(await eventually { plan.closed.contains(inotify.fileDescriptor.rawValue) })
            #expect(plan.closed.filter { $0 == inotify.fileDescriptor.rawValue }.count == 1)
        }
    }
    #endif

    @Test("close() ends the iteration while events keep flowing")
    func closeWhileEventsFlow() async throws {
        // close() can come while the reader holds events it has just read
        // and the consumer waits: the iteration must end all the same.
        for _ in 0..<50 {
            let dir = try TemporaryDirectory()
            let file = try dir.createFile("busy")
            let inotify = try Inotify()
            try inotify.addWatch(file, mask: [.open, .closeNoWrite])
            let ended = try await iterationEndsOnClose(busyFile: file.string) { seen in
                for try await _ in inotify.events { seen() }
            } close: {
                try inotify.close()
            }
            #expect(ended, "the iteration did not end after close()")
            if !ended { return }
        }
    }

    @Test("a second concurrent iteration is refused with a clear error")
    func secondConsumerRefused() async throws {
        let dir = try TemporaryDirectory()
        let inotify = try Inotify()
        try inotify.addWatch(dir.path, mask: .create)
        var first = inotify.events.makeAsyncIterator()
        try dir.createFile("one")
        #expect(try await first.next()?.name == "one")
        let error = await #expect(throws: Inotify.BusyError.self) {
            for try await _ in inotify.events {}
        }
        #expect(error?.errno == .resourceBusy)
        #expect(error?.description.contains("one consumer at a time") == true)
        expectInotifyError(.resourceBusy, mentioning: ["iterating"]) { _ = try inotify.readEvents(timeout: .zero) }
        try dir.createFile("two")
        #expect(try await first.next()?.name == "two")
    }

    @Test("a deleted watched directory delivers DELETE_SELF and IGNORED, and the stream goes on")
    func deletedRootThenOthers() async throws {
        let dir = try TemporaryDirectory()
        let doomed = try dir.makeDirectory("doomed")
        let kept = try dir.makeDirectory("kept")
        let inotify = try Inotify()
        let doomedWD = try inotify.addWatch(doomed, mask: [.create, .deleteSelf])
        let keptWD = try inotify.addWatch(kept, mask: .create)
        try Files.rmdir(doomed)
        try dir.createFile("kept/still-here")
        var seen: [Inotify.Event] = []
        for try await event in inotify.events {
            seen.append(event)
            if event.name == "still-here" { break }
        }
        #expect(seen.map(\.mask) == [.deleteSelf, .ignored, .create])
        #expect(seen[0].wd == doomedWD.rawValue && seen[1].wd == doomedWD.rawValue)
        #expect(seen[2].wd == keptWD.rawValue)
        #expect(inotify.path(of: doomedWD) == nil)
        #expect(inotify.path(of: keptWD) == kept)
    }

    @Test("an unmounted tmpfs delivers UNMOUNT then IGNORED",
          .enabled(if: TmpfsMount.permitted, "mounting a tmpfs needs CAP_SYS_ADMIN, which this run lacks"))
    func unmount() async throws {
        let dir = try TemporaryDirectory()
        let mountPoint = try dir.makeDirectory("mnt")
        try TmpfsMount.mount(at: mountPoint)
        let inotify = try Inotify()
        let wd = try inotify.addWatch(mountPoint, mask: .create)
        let other = try inotify.addWatch(dir.path, mask: .create)
        try TmpfsMount.unmount(mountPoint)
        try dir.createFile("after-unmount")
        var seen: [Inotify.Event] = []
        for try await event in inotify.events {
            seen.append(event)
            if event.name == "after-unmount" { break }
        }
        #expect(seen.map(\.mask) == [[.unmount, .isDir], .ignored, .create])
        #expect(seen[0].wd == wd.rawValue && seen[1].wd == wd.rawValue && seen[2].wd == other.rawValue)
        #expect(inotify.path(of: wd) == nil)
    }
}
