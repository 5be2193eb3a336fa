// Recursive setup: a TreeWatcher on a tree of 50,000 directories against the
// C baseline (watch before list, types from readdir, no stat per entry), in
// the same run, on the same tree.
//
// ready/*: wall clock and CPU from nothing to every directory watched.
// memory/TreeWatcher: heap bytes held per watched directory once ready
//   (mallinfo2 before and after), names included.

import Benchmark
import CReadLoop
import Glibc
import Inotify
import InotifyTree
import SystemPackage

let directories = 50_000

let benchmarks: @Sendable () -> Void = {
    let tree = ScratchTree(directories: directories)
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .peakMemoryResident],
        maxDuration: .seconds(10), maxIterations: 10,
        setup: { tree.build() }
    )

    Benchmark("ready/C readdir walk, 50k directories", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            let fd = inotify_init1(Int32(IN_CLOEXEC))
            let watched = ctree_watch(fd, tree.root)
            benchmark.stopMeasurement()
            precondition(watched == Int64(directories + 1), "watched \(watched)")
            close(fd)
            benchmark.startMeasurement()
        }
    }

    Benchmark("ready/TreeWatcher, 50k directories", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            let watcher = try TreeWatcher(root: FilePath(tree.root))
            benchmark.stopMeasurement()
            precondition(watcher.watchedDirectories == directories + 1)
            watcher.close()
            benchmark.startMeasurement()
        }
    }

    let bytesPerDirectory = BenchmarkMetric.custom("heap bytes per directory", polarity: .prefersSmaller, useScalingFactor: false)
    Benchmark("memory/TreeWatcher, 50k directories",
              configuration: .init(metrics: [bytesPerDirectory], maxDuration: .seconds(10), maxIterations: 3,
                                   setup: { tree.build() })) { benchmark in
        for _ in benchmark.scaledIterations {
            let before = cheap_in_use()
            let watcher = try TreeWatcher(root: FilePath(tree.root))
            let after = cheap_in_use()
            benchmark.measurement(bytesPerDirectory, Int(after - before) / (directories + 1))
            watcher.close()
        }
    }
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
