import Foundation
import InotifyTestSupport

/// What a soak run is asked to do, from its arguments.
struct SoakOptions {
    /// How long the writers churn, in seconds.
    var duration = 60
    /// Seeds the writers (each its own, from this one); printed, so that a
    /// run can be repeated.
    var seed = UInt64.random(in: 0...UInt64(UInt32.max))
    var writers = 3
    /// Where the tree and the directory outside it are made.
    var base = "/tmp"
    /// How many entries the tree holds when the churn starts, and again
    /// after every check.
    var entries = 10_000
    /// Kernel events per burst (0: no bursts); by default twice what the
    /// kernel's queue and the watcher's change buffer hold together.
    var burst: Int? = nil
    /// Seconds between bursts.
    var burstEvery = 15
    /// Seconds between checks.
    var checkEvery = 60
    /// Only churn this directory, with no watcher and no checks: writers for
    /// another program to watch.
    var churnOnly: String? = nil

    static let usage = """
        usage: inotify-soak [--duration S] [--seed N] [--writers N] [--base DIR] [--entries N]
                            [--burst EVENTS] [--burst-every S] [--check-every S]
               inotify-soak --churn-only DIR [--duration S] [--seed N] [--writers N] [--entries N] [--burst EVENTS]

        Churns a tree of at least --entries entries (10,000 or more) with --writers writers for
        --duration seconds while a TreeWatcher watches it and a consumer keeps its own view of the
        tree from the changes alone. Every --check-every seconds and at the end the writers pause,
        the view is compared with a walk of the disk, the kernel's watches with the tree's
        directories, and the process's memory, descriptors and threads with the first check's.
        Exits 1 on any difference or growth past the bounds it prints.
        """

    /// The options, or nil after printing why not.
    static func parse(_ arguments: [String]) -> SoakOptions? {
        var options = SoakOptions()
        var rest = arguments[...]
        func refuse(_ message: String) -> SoakOptions? {
            FileHandle.standardError.write(Data("inotify-soak: \(message)\n\(usage)\n".utf8))
            return nil
        }
        while let name = rest.popFirst() {
            if name == "--help" || name == "-h" {
                print(usage)
                exit(0)
            }
            guard let value = rest.popFirst() else { return refuse("\(name) needs a value") }
            func number() -> Int? { Int(value).flatMap { $0 >= 0 ? $0 : nil } }
            switch name {
            case "--duration": guard let n = number() else { return refuse("bad \(name) \(value)") }; options.duration = n
            case "--seed": guard let n = UInt64(value) else { return refuse("bad \(name) \(value)") }; options.seed = n
            case "--writers": guard let n = number(), n > 0 else { return refuse("bad \(name) \(value)") }; options.writers = n
            case "--base": options.base = value
            case "--entries":
                guard let n = number() else { return refuse("bad \(name) \(value)") }
                options.entries = n
            case "--burst": guard let n = number() else { return refuse("bad \(name) \(value)") }; options.burst = n
            case "--burst-every": guard let n = number(), n > 0 else { return refuse("bad \(name) \(value)") }; options.burstEvery = n
            case "--check-every": guard let n = number(), n > 0 else { return refuse("bad \(name) \(value)") }; options.checkEvery = n
            case "--churn-only": options.churnOnly = value
            default: return refuse("unknown option \(name)")
            }
        }
        // A soak's tree is big; writers for another program may start from nothing.
        if options.churnOnly == nil && options.entries < 10_000 { return refuse("--entries must be 10000 or more") }
        return options
    }

    /// The writers' namespace: 6 directory names on 4 levels (1,554
    /// directories: `mkdir -p` four deep, renames of whole subtrees within
    /// and across levels), and enough file names for twice the entries asked
    /// for, so that the churn has room on both sides of the size it starts
    /// at. Subtrees are removed and moved out from the third level down
    /// (about 1/216 of the tree each): from the first, a few operations
    /// would empty it.
    var shape: TreeChurn.Shape {
        let directories = 6 + 36 + 216 + 1296
        let fileNames = max(4, (2 * entries + directories) / (directories + 1))
        return TreeChurn.Shape(directoryNames: 6, levels: 4, fileNames: fileNames, shallowestRemoval: 3)
    }
}
