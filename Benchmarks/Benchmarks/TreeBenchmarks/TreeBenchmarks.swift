// Recursive setup: a TreeWatcher on a tree of 50,000 directories against the
// C baseline (watch before list, types from readdir, no stat per entry), in
// the same run, on the same tree.
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

    Benchmark("ready/C readdir walk, 50k directories", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            let (wall, cpu) = measure {
                let fd = inotify_init1(Int32(IN_CLOEXEC))
                let watched = ctree_watch(fd, tree.root)
                return (fd, watched)
            } after: { fd, watched in
                precondition(watched == Int64(directories + 1), "watched \(watched)")
                close(fd)
            }
            benchmark.measurement(readyWall, wall)
            benchmark.measurement(readyCPU, cpu)
        }
    }

    Benchmark("ready/TreeWatcher, 50k directories", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            let (wall, cpu) = try measure {
                try TreeWatcher(root: FilePath(tree.root))
            } after: { watcher in
                precondition(watcher.watchedDirectories == directories + 1)
                watcher.close()
            }
            benchmark.measurement(readyWall, wall)
            benchmark.measurement(readyCPU, cpu)
        }
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
