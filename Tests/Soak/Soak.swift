import Foundation
import InotifyTestSupport
import InotifyTree
import SystemPackage

/// The soak run: the tree filled, watched, churned, and checked every
/// `checkEvery` seconds and at the end. Returns the exit status: 0 when
/// every check passed, 1 when one did not, 2 when the run could not start.
enum Soak {
    static func run(_ options: SoakOptions, watcherOptions: TreeWatcher.Options, maxQueued: Int, burst: Int) async -> Int32 {
        say("""
            inotify-soak: seed \(options.seed) (--seed to repeat), \(options.writers) writers, \(options.duration) s, \
            base \(options.base), \(options.entries) entries, bursts of \(burst) events every \(options.burstEvery) s \
            (max_queued_events \(maxQueued), change buffer \(watcherOptions.changeBufferLimit)), a check every \(options.checkEvery) s
            """)
        let bound = GrowthBound()
        say("bounds: \(bound.description)")

        let tree: TemporaryDirectory
        let outside: TemporaryDirectory
        do {
            tree = try TemporaryDirectory("soak", in: options.base)
            outside = try TemporaryDirectory("soak-outside", in: options.base)
        } catch {
            say("inotify-soak: cannot make directories in \(options.base): \(error)")
            return 2
        }
        let root = tree.path
        let shape = options.shape
        Population.fill(root, shape: shape, entries: options.entries)
        let watcher: TreeWatcher
        do {
            watcher = try TreeWatcher(root: root, options: watcherOptions)
        } catch {
            say("inotify-soak: cannot watch \(root): \(error)")
            return 2
        }
        let consumer = ViewConsumer(watcher, root: root, disk: DiskTree(walking: root).entries)
        let start = ProcessSample.now()
        say("start: \(DiskTree(walking: root).entries.count) entries, \(watcher.watchedDirectories) directories watched, "
              + "VmRSS \(start.rssKB) kB, \(start.descriptors) fds, \(start.threads) threads")

        let writers = Writers(count: options.writers, root: root, outside: outside.path, shape: shape, seed: options.seed, entries: options.entries,
                              burst: burst, burstEvery: options.burstEvery, consumer: consumer)
        consumer.resyncs(pausing: writers)
        let began = ContinuousClock.now
        let end = began + .seconds(options.duration)
        var settling = Settling(root: root)
        var first: ProcessSample? = nil
        var failures = 0
        var checks = 0
        var refilled = 0
        var smallest = Int.max
        var unwatchedSeen = 0

        while true {
            let next = min(end, began + .seconds((checks + 1) * options.checkEvery))
            let left = next - ContinuousClock.now
            if left > .zero { try? await Task.sleep(for: left) }
            let last = ContinuousClock.now >= end
            if last { writers.stop() } else { writers.pause() }
            let settled = await settling.settle(watcher, consumer)
            let check = await Check(watcher: watcher, consumer: consumer, root: root)
            checks += 1
            var differences = check.differences
            if !settled { differences.append("the consumer never saw a marker file: the watcher did not settle") }
            if let first {
                differences += bound.excess(of: check.sample, over: first)
            } else {
                first = check.sample
            }
            let counts = writers.counts
            let elapsed = Int((ContinuousClock.now - began).components.seconds)
            smallest = min(smallest, check.disk.entries.count)
            say("""
                check \(checks) at \(elapsed) s: \(differences.isEmpty ? "ok" : "FAILED"), \
                \(counts.total) operations, \(counts.bursts) bursts, \(check.view.changes) changes, \
                \(check.view.overflows) overflows, \(check.view.rescans) rescans; \
                \(check.disk.entries.count) entries, \(check.disk.directoryInodes.count) directories, \
                \(watcher.watchedDirectories) watched; VmRSS \(check.sample.rssKB) kB, VmHWM \(check.sample.peakRSSKB) kB, \
                \(check.sample.descriptors) fds, \(check.sample.threads) threads
                """)
            for difference in differences { say("  \(difference)") }
            if check.view.unwatched.count > unwatchedSeen {
                say("  unwatched reports (the kernel's watches above say whether any directory was left unwatched): "
                    + "\(check.view.unwatched[unwatchedSeen...].prefix(4))")
                unwatchedSeen = check.view.unwatched.count
            }
            if !differences.isEmpty { failures += 1 }
            if last {
                let operations = counts.operations.sorted { "\($0.key)" < "\($1.key)" }.map { "\($0.key) \($0.value)" }
                say("""
                    done: seed \(options.seed), \(options.duration) s, \(options.writers) writers, \(counts.total) operations \
                    (\(operations.joined(separator: ", "))), \(counts.bursts) bursts (\(counts.burstEvents) events), \
                    \(refilled + counts.putBack) entries put back, \(check.view.changes) changes, \(check.view.overflows) overflows, \
                    \(check.view.rescans) rescans, \(check.view.unwatched.count) unwatched reports, \(checks) checks (\(failures) failed), smallest tree at a check \(smallest) entries; \
                    peak VmRSS \(check.sample.peakRSSKB) kB; fds \(start.descriptors) at start, \(check.sample.descriptors) at the end; \
                    threads \(start.threads) at start, \(check.sample.threads) at the end
                    """)
                break
            }
            settling.removeMarks()
            Population.empty(outside.path)
            refilled += Population.fill(root, shape: shape, entries: options.entries)
            writers.resume()
        }
        consumer.stop()
        watcher.close()
        return failures == 0 ? 0 : 1
    }
}
