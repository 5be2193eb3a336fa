import Foundation
import InotifyTestSupport
import SystemPackage

/// `--churn-only DIR`: the same writers and bursts in a directory that
/// another program watches (`inotify wait -m -r DIR`, say), with no watcher
/// and no checks here. The directory outside, for moves out and in, is made
/// beside it.
enum ChurnOnly {
    static func run(directory: FilePath, options: SoakOptions, burst: Int) -> Int32 {
        let outside: TemporaryDirectory
        do {
            outside = try TemporaryDirectory("soak-outside", in: directory.removingLastComponent().string)
        } catch {
            say("inotify-soak: cannot make a directory beside \(directory): \(error)")
            return 2
        }
        let filled = Population.fill(directory, shape: options.shape, entries: options.entries)
        say("inotify-soak: churning \(directory) (\(filled) entries made): seed \(options.seed), \(options.writers) writers, "
              + "\(options.duration) s, bursts of \(burst) events every \(options.burstEvery) s")
        let writers = Writers(count: options.writers, root: directory, outside: outside.path, shape: options.shape,
                              seed: options.seed, entries: options.entries, burst: burst, burstEvery: options.burstEvery, consumer: nil)
        sleep(UInt32(options.duration))
        writers.stop()
        let counts = writers.counts
        say("inotify-soak: \(counts.total) operations, \(counts.bursts) bursts (\(counts.burstEvents) events)")
        return 0
    }
}
