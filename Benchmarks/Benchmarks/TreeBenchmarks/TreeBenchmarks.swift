// Recursive setup: a TreeWatcher on a tree of 50,000 directories against the
// C baseline (watch before list, types from readdir, no stat per entry), and
// against that baseline with the leaf optimisation, in the same run, on the
// same tree.
//
// ready/*: wall clock and CPU from nothing to every directory watched, and
//   the process's peak resident memory (each benchmark runs in a process of
//   its own, so the difference of the peaks bounds what setup needs at most).

import Benchmark
import CReadLoop
import Glibc
import Inotify
import InotifyTree
import SystemPackage

let directories = 50_000

let benchmarks: @Sendable () -> Void = {
    let tree = ScratchTree(directories: directories)
    let readyWall = BenchmarkMetric.custom("ready, wall (µs)", polarity: .prefersSmaller, useScalingFactor: false)
    let readyCPU = BenchmarkMetric.custom("ready, cpu (µs)", polarity: .prefersSmaller, useScalingFactor: false)
    // Each iteration holds 50,001 watches, so the last one is closed before the
    // next begins; the measurement covers setup only.
    let configuration = Benchmark.Configuration(
        metrics: [readyWall, readyCPU, .peakMemoryResident],
        maxDuration: .seconds(20), maxIterations: 10,
        setup: { tree.build() }
    )

    // The C baseline, and the same loop with the leaf optimisation that
    // TreeWatcher's first scan uses: their difference is what the trick saves.
    let walks: [(String, @Sendable (Int32) -> Int64)] = [
        ("ready/C readdir walk, 50k directories", { ctree_watch($0, tree.root) }),
        ("ready/C readdir walk skipping leaves, 50k directories", { ctree_watch_skipping_leaves($0, tree.root) }),
    ]
    for (name, walk) in walks {
        Benchmark(name, configuration: configuration) { benchmark in
            for _ in benchmark.scaledIterations {
                let (wall, cpu) = measure {
                    let fd = inotify_init1(Int32(IN_CLOEXEC))
                    return (fd, walk(fd))
                } after: { fd, watched in
                    precondition(watched == Int64(directories + 1), "watched \(watched)")
                    close(fd)
                }
                benchmark.measurement(readyWall, wall)
                benchmark.measurement(readyCPU, cpu)
            }
        }
    }

    registerChurnBenchmarks()

    registerSourceReadyBenchmarks(size: directories, tree: tree)
    // 500,000 directories (a tree made once, about a minute, and 500,001
    // inotify watches, which fs.inotify.max_user_watches must allow): with
    // TREE_BENCH_LARGE=1 only.
    if getenv("TREE_BENCH_LARGE") != nil {
        registerSourceReadyBenchmarks(size: 500_000, tree: ScratchTree(directories: 500_000))
    }

    // What following git's rules costs where they hide nothing: every
    // directory's .gitignore looked for (one failed open) and every
    // subdirectory judged. No repository and a home of no files, so that
    // no file of the machine's user is read.
    Benchmark("ready/TreeWatcher gitIgnore, nothing ignored, 50k directories", configuration: configuration) { benchmark in
        var options = TreeWatcher.Options()
        options.gitIgnore = true
        options.gitEnvironment = ["HOME": "/nonexistent", "XDG_CONFIG_HOME": "/nonexistent"]
        for _ in benchmark.scaledIterations {
            let (wall, cpu) = try measure {
                try TreeWatcher(root: FilePath(tree.root), options: options)
            } after: { watcher in
                precondition(watcher.watchedDirectories == directories + 1)
                watcher.close()
            }
            benchmark.measurement(readyWall, wall)
            benchmark.measurement(readyCPU, cpu)
        }
    }
}

/// Ready time of each source on `tree`: inotify (a watch per directory),
/// fanotify listing the tree before it is ready (the default), and fanotify
/// ready once its mark is made (`readyBeforeListing`), whose wait for the
/// listing is measured apart (`listed`).
func registerSourceReadyBenchmarks(size: Int, tree: ScratchTree) {
    let readyWall = BenchmarkMetric.custom("ready, wall (µs)", polarity: .prefersSmaller, useScalingFactor: false)
    let readyCPU = BenchmarkMetric.custom("ready, cpu (µs)", polarity: .prefersSmaller, useScalingFactor: false)
    let listedWall = BenchmarkMetric.custom("listed, wall (µs)", polarity: .prefersSmaller, useScalingFactor: false)
    let configuration = Benchmark.Configuration(
        metrics: [readyWall, readyCPU, listedWall, .peakMemoryResident],
        maxDuration: .seconds(30), maxIterations: size > 100_000 ? 3 : 10,
        setup: { tree.build() }
    )
    let label = size >= 1000 ? "\(size / 1000)k" : "\(size)"
    var fanotify = TreeWatcher.Options()
    fanotify.source = .fanotify
    var fanotifyAll = fanotify
    // Opens and reads asked for, which the listing itself makes.
    fanotifyAll.reported = .all
    let sources = [
        ("ready/TreeWatcher", TreeWatcher.Options()), ("ready/TreeWatcher fanotify", fanotify),
        ("ready/TreeWatcher fanotify, all kinds", fanotifyAll),
    ]
    for (name, options) in sources {
        Benchmark("\(name), \(label) directories", configuration: configuration) { benchmark in
            for _ in benchmark.scaledIterations {
                let (wall, cpu) = try measure {
                    try TreeWatcher(root: FilePath(tree.root), options: options)
                } after: { watcher in
                    // A watch per directory, or one mark.
                    precondition(watcher.watchedDirectories == (options.source == .fanotify ? 1 : size + 1))
                    watcher.close()
                }
                benchmark.measurement(readyWall, wall)
                benchmark.measurement(readyCPU, cpu)
            }
        }
    }
    Benchmark("ready/TreeWatcher fanotify ready before listing, \(label) directories", configuration: configuration) {
        benchmark in
        var options = TreeWatcher.Options()
        options.source = .fanotify
        options.readyBeforeListing = true
        for _ in benchmark.scaledIterations {
            var made: FanotifySource?
            let (wall, cpu) = try measure {
                try FanotifySource(root: FilePath(tree.root), options: options)
            } after: { made = $0 }
            guard var source = made else { continue }
            // The first next() lists the tree, then returns this file's creation.
            let listing = creadloop_now_ns()
            let marker = tree.root + "/listed-\(listing)"
            close(open(marker, O_CREAT | O_WRONLY | O_CLOEXEC, 0o644))
            _ = try source.next()
            benchmark.measurement(listedWall, Int(creadloop_now_ns() - listing) / 1000)
            precondition(source.directoryCount == size + 1, "listed \(source.directoryCount)")
            benchmark.measurement(readyWall, wall)
            benchmark.measurement(readyCPU, cpu)
            unlink(marker)
            source.control.stop()
        }
    }
}

/// Churn: a writer thread in this process makes `churnEvents` MODIFY events
/// on 20 files in 10 directories while a consumer takes them: the raw stream
/// (`eventBatches` of one instance watching the 10 directories) or a
/// TreeWatcher's changes. `consumer cpu per event` is the process's CPU time
/// less the writer thread's own, divided by the events.
let churnEvents = 20_000

func registerChurnBenchmarks() {
    let metric = BenchmarkMetric.custom("consumer cpu per event (ns)", polarity: .prefersSmaller, useScalingFactor: false)
    let configuration = Benchmark.Configuration(metrics: [metric], maxDuration: .seconds(10), maxIterations: 30)

    Benchmark("churn/raw eventBatches", configuration: configuration) { benchmark in
        let tree = try ChurnTree()
        let inotify = try Inotify()
        for directory in tree.directories { try inotify.addWatch(directory, mask: .modify) }
        var batches = inotify.eventBatches.makeAsyncIterator()
        for _ in benchmark.scaledIterations {
            let cpu = try await measureChurn(tree) {
                var seen = 0
                while seen < churnEvents, let batch = try await batches.next() { seen += batch.count }
            }
            benchmark.measurement(metric, cpu)
        }
    }

    // The same with each source, and with as many writes again elsewhere on
    // the same filesystem, which a fanotify mark sees and drops: what
    // filtering to the tree costs.
    let sources: [(String, TreeWatcher.SourceKind, unrelated: Bool)] = [
        ("churn/TreeWatcher", .inotify, false),
        ("churn/TreeWatcher, as many writes elsewhere", .inotify, true),
        ("churn/TreeWatcher fanotify", .fanotify, false),
        ("churn/TreeWatcher fanotify, as many writes elsewhere", .fanotify, true),
    ]
    for (name, source, unrelated) in sources {
        Benchmark(name, configuration: configuration) { benchmark in
            let tree = try ChurnTree()
            let elsewhere = unrelated ? try ChurnTree() : nil
            var options = TreeWatcher.Options()
            options.reported = [.modified, .created]
            options.source = source
            let watcher = try TreeWatcher(root: tree.root, options: options)
            var changes = watcher.changes.makeAsyncIterator()
            // Until the file the writer makes last: fanotify merges a write
            // into any recent one of the same file, not only the last
            // event, so there are fewer changes than writes to count.
            for round in benchmark.scaledIterations {
                let marker = "end-\(round)-\(UInt64.random(in: 0...UInt64.max))"
                let cpu = try await measureChurn(tree, alongside: elsewhere, marker: marker) {
                    while let change = try await changes.next(), change.path.lastComponent?.string != marker {}
                }
                benchmark.measurement(metric, cpu)
            }
        }
    }
}

/// Runs the writer on a thread of its own while `consume` takes its events
/// (the writer makes the file `marker` last, if given), and as many writes
/// in `alongside`, unwatched, on another; returns the consumer's CPU per
/// write in ns (the writers' own CPU left out).
func measureChurn(
    _ tree: ChurnTree, alongside: ChurnTree? = nil, marker: String? = nil, _ consume: () async throws -> Void
) async throws -> Int {
    let start = creadloop_process_cpu_ns()
    let writer = Task.detached { tree.write(churnEvents, marker: marker) }
    let other = alongside.map { elsewhere in Task.detached { elsewhere.write(churnEvents) } }
    try await consume()
    let writerCPU = await writer.value + (await other?.value ?? 0)
    return Int(creadloop_process_cpu_ns() - start - writerCPU) / churnEvents
}

/// 10 directories with 2 files each under a scratch root.
final class ChurnTree: Sendable {
    let root: FilePath
    let directories: [FilePath]
    let files: [String]

    init() throws {
        var template = Array("/tmp/swift-inotify-bench-churn-XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw Errno(rawValue: errno)
        }
        let root = FilePath(String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        self.root = root
        directories = (0..<10).map { root.appending("d\($0)") }
        var files: [String] = []
        for directory in directories {
            mkdir(directory.string, 0o755)
            for name in ["a", "b"] {
                let file = directory.appending(name).string
                close(open(file, O_CREAT | O_WRONLY, 0o644))
                files.append(file)
            }
        }
        self.files = files
    }

    /// `count` one-byte writes, cycling over the files so that no two
    /// neighbouring events are alike (the kernel would merge them). Returns
    /// the CPU time this took on its thread, in ns.
    func write(_ count: Int, marker: String? = nil) -> Int64 {
        func threadCPU() -> Int64 {
            var now = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
            return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
        }
        let start = threadCPU()
        let descriptors = files.map { open($0, O_WRONLY | O_APPEND | O_CLOEXEC) }
        var byte: UInt8 = 0x78
        for index in 0..<count {
            _ = Glibc.write(descriptors[index % descriptors.count], &byte, 1)
        }
        descriptors.forEach { _ = close($0) }
        if let marker { close(open(root.appending(marker).string, O_CREAT | O_WRONLY | O_CLOEXEC, 0o644)) }
        return threadCPU() - start
    }
}

/// Wall and process CPU time of `body` in µs; `after` runs unmeasured.
func measure<T>(_ body: () throws -> T, after: (T) -> Void) rethrows -> (Int, Int) {
    let wall = creadloop_now_ns()
    let cpu = creadloop_process_cpu_ns()
    let result = try body()
    let times = (Int(creadloop_now_ns() - wall) / 1000, Int(creadloop_process_cpu_ns() - cpu) / 1000)
    after(result)
    return times
}

/// A tree of `directories` directories, breadth first with fan-out 10 (depth 5
/// for 50,000), made once under /tmp and reused by every benchmark.
final class ScratchTree: Sendable {
    let root: String
    let directories: Int

    init(directories: Int) {
        self.directories = directories
        root = "/tmp/swift-inotify-bench-tree-\(directories)"
    }

    func build() {
        let marker = root + "/.complete"
        if access(marker, F_OK) == 0 { return }
        mkdir(root, 0o755)
        var queue = [root]
        var made = 0
        var next = 0
        while made < directories {
            let parent = queue[next]
            next += 1
            for index in 0..<10 where made < directories {
                let child = parent + "/d\(index)"
                mkdir(child, 0o755)
                queue.append(child)
                made += 1
            }
        }
        close(open(marker, O_CREAT | O_WRONLY, 0o644))
    }
}
