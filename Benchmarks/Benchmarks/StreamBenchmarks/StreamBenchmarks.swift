// Async streams against a plain blocking C read loop, in the same run.
//
// latency/*: a writer thread writes one byte to a watched file while the
//   consumer waits (the awaiting task for the streams, a thread blocked in
//   read(2) for C); the time from the write to the MODIFY event in the
//   consumer's hands is the custom metric `latency` (ns), whose percentiles
//   are the p50/p99 to compare.
// cpu/*: 8,192 events are queued in the kernel first (not measured), then the
//   consumer drains them; `cpu per event` is the process's CPU time for the
//   drain divided by 8,192 (every thread: the streams' reader thread is
//   included, and so is starting it, since every iteration starts a stream).

import Benchmark
import CReadLoop
import Glibc
import Inotify
import SystemPackage

let queuedEvents = 8192

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal],
        maxDuration: .seconds(5),
        maxIterations: 2000
    )
    let latency = BenchmarkMetric.custom("latency (ns)", polarity: .prefersSmaller, useScalingFactor: false)
    let cpuPerEvent = BenchmarkMetric.custom("cpu per event (ns)", polarity: .prefersSmaller, useScalingFactor: false)

    // MARK: Latency

    Benchmark("latency/C blocking read loop", configuration: .init(metrics: [latency])) { benchmark in
        let fixture = try Fixture(mask: .modify)
        let fd = try Inotify.initialize()
        defer { try? fd.close() }
        _ = try Inotify.addWatch(fd, fixture.file, mask: .modify)
        guard creadloop_latency_start(fd.rawValue) == 0 else { fatalError("consumer thread") }
        defer { creadloop_latency_stop() }
        guard creadloop_writer_start(fixture.writerDescriptor, writerGapMicroseconds) == 0 else { fatalError("writer") }
        defer { creadloop_writer_stop() }
        for _ in benchmark.scaledIterations {
            creadloop_writer_go()
            let arrived = creadloop_latency_next()
            benchmark.measurement(latency, Int(arrived - creadloop_writer_stamp()))
        }
    }

    Benchmark("latency/events", configuration: .init(metrics: [latency])) { benchmark in
        let fixture = try Fixture(mask: .modify)
        var iterator = fixture.inotify.events.makeAsyncIterator()
        try await measureLatency(benchmark, latency, fixture, &iterator)
    }

    Benchmark("latency/eventBatches", configuration: .init(metrics: [latency])) { benchmark in
        let fixture = try Fixture(mask: .modify)
        var iterator = fixture.inotify.eventBatches.makeAsyncIterator()
        try await measureLatency(benchmark, latency, fixture, &iterator)
    }

    // MARK: CPU per event

    let cpuConfiguration = Benchmark.Configuration(
        metrics: [cpuPerEvent, .mallocCountTotal], maxDuration: .seconds(5), maxIterations: 200)

    Benchmark("cpu/C blocking read loop", configuration: cpuConfiguration) { benchmark in
        let fixture = try Fixture(mask: [.open, .closeNoWrite])
        try await measureDrain(benchmark, cpuPerEvent, fixture) { inotify in
            Int(creadloop_drain(inotify.fileDescriptor.rawValue, Int64(queuedEvents)))
        }
    }

    Benchmark("cpu/read and decodeEvents", configuration: cpuConfiguration) { benchmark in
        let fixture = try Fixture(mask: [.open, .closeNoWrite])
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65_536, alignment: 8)
        defer { buffer.deallocate() }
        try await measureDrain(benchmark, cpuPerEvent, fixture) { inotify in
            var count = 0
            var checksum = 0
            while count < queuedEvents {
                let length = read(inotify.fileDescriptor.rawValue, buffer.baseAddress, buffer.count)
                guard length > 0 else { break }
                let batch = try Inotify.decodeEvents(UnsafeRawBufferPointer(rebasing: buffer[0..<length]))
                for event in batch {
                    checksum &+= touch(event)
                }
                count += batch.count
            }
            return checksum
        }
    }

    Benchmark("cpu/readEvents", configuration: cpuConfiguration) { benchmark in
        let fixture = try Fixture(mask: [.open, .closeNoWrite])
        try await measureDrain(benchmark, cpuPerEvent, fixture) { inotify in
            var count = 0
            var checksum = 0
            while count < queuedEvents {
                let batch = try inotify.readEvents(maxBytes: 65_536)
                for event in batch {
                    checksum &+= touch(event)
                }
                count += batch.count
            }
            return checksum
        }
    }

    Benchmark("cpu/events", configuration: cpuConfiguration) { benchmark in
        let fixture = try Fixture(mask: [.open, .closeNoWrite])
        try await measureDrain(benchmark, cpuPerEvent, fixture) { inotify in
            var count = 0
            var checksum = 0
            for try await event in inotify.events {
                checksum &+= touch(event)
                count += 1
                if count == queuedEvents { break }
            }
            return checksum
        }
    }

    Benchmark("cpu/eventBatches", configuration: cpuConfiguration) { benchmark in
        let fixture = try Fixture(mask: [.open, .closeNoWrite])
        try await measureDrain(benchmark, cpuPerEvent, fixture) { inotify in
            var count = 0
            var checksum = 0
            for try await batch in inotify.eventBatches {
                for event in batch {
                    checksum &+= touch(event)
                }
                count += batch.count
                if count >= queuedEvents { break }
            }
            return checksum
        }
    }
}

/// What every consumer does with an event, as the C loop does: read its
/// name's length and its mask.
@inline(__always)
func touch(_ event: Inotify.Event) -> Int {
    event.withNameBytes { $0.count } &+ Int(event.mask.rawValue & 1)
}

/// Once per iteration the writer thread writes while the consumer awaits
/// (it waits `writerGapMicroseconds` first, so the consumer is suspended by
/// then), and the time from the write to the event in the consumer's hands is
/// measured. The first event (which starts the stream's reader thread) is
/// not measured.
func measureLatency<Iterator: AsyncIteratorProtocol>(
    _ benchmark: Benchmark, _ metric: BenchmarkMetric, _ fixture: Fixture, _ iterator: inout Iterator
) async throws {
    guard creadloop_writer_start(fixture.writerDescriptor, writerGapMicroseconds) == 0 else { fatalError("writer") }
    defer { creadloop_writer_stop() }
    creadloop_writer_go()
    _ = try await iterator.next()
    for _ in benchmark.scaledIterations {
        creadloop_writer_go()
        _ = try await iterator.next()
        benchmark.measurement(metric, Int(creadloop_now_ns() - creadloop_writer_stamp()))
    }
}

/// How long the latency writer waits before each write.
let writerGapMicroseconds: Int32 = 50

/// Queue `queuedEvents` events on a new instance (not measured), then measure
/// the process CPU that `drain` spends on them. A new instance per iteration
/// keeps the stream of one iteration from reading ahead into the next.
func measureDrain(
    _ benchmark: Benchmark, _ metric: BenchmarkMetric, _ fixture: Fixture,
    _ drain: (Inotify) async throws -> Int
) async throws {
    for _ in benchmark.scaledIterations {
        benchmark.stopMeasurement()
        let inotify = try fixture.makeInstance()
        fixture.queueEvents(queuedEvents)
        benchmark.startMeasurement()
        let start = creadloop_process_cpu_ns()
        blackHole(try await drain(inotify))
        benchmark.measurement(metric, Int(creadloop_process_cpu_ns() - start) / queuedEvents)
    }
}

/// A watched scratch directory with one file in it.
final class Fixture {
    let directory: String
    let file: FilePath
    let inotify: Inotify
    let mask: Inotify.EventMask
    private let writer: FileDescriptor

    init(mask: Inotify.EventMask) throws {
        self.mask = mask
        var template = Array("/tmp/swift-inotify-bench-XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw Errno(rawValue: errno)
        }
        directory = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        file = FilePath(directory).appending("target")
        writer = try FileDescriptor.open(file, .writeOnly, options: [.create, .truncate], permissions: .ownerReadWrite)
        inotify = try Inotify()
        try inotify.addWatch(FilePath(directory), mask: mask)
    }

    /// Another instance watching the same directory with the same mask.
    func makeInstance() throws -> Inotify {
        let other = try Inotify()
        try other.addWatch(FilePath(directory), mask: mask)
        return other
    }

    deinit {
        try? writer.close()
        _ = unlink(file.string)
        _ = rmdir(directory)
    }

    /// The descriptor the latency writer writes to.
    var writerDescriptor: Int32 { writer.rawValue }

    /// OPEN and CLOSE_NOWRITE alternate, so the kernel merges none of them.
    /// A writer thread of its own makes them, on the last CPU: see
    /// creadloop_queue_events.
    func queueEvents(_ count: Int) {
        let cpu = Int32(sysconf(Int32(_SC_NPROCESSORS_ONLN))) - 1
        guard creadloop_queue_events(file.string, Int64(count / 2), cpu > 0 ? cpu : -1) == 0 else {
            fatalError("writer thread")
        }
    }
}
