import Foundation
import InotifyTestSupport
import InotifyTree
import SystemPackage

/// One check, with the writers paused and the watcher settled: the
/// consumer's view against a walk of the disk, the kernel's watches (from
/// /proc/self/fdinfo, by inode) against the tree's directories, and what
/// the process holds.
struct Check {
    let disk: DiskTree
    let view: TreeView
    let sample: ProcessSample
    /// What differs, said; empty when the check passes.
    let differences: [String]

    init(watcher: TreeWatcher, consumer: ViewConsumer, root: FilePath) async {
        let disk = DiskTree(walking: root)
        let view = consumer.view
        self.disk = disk
        self.view = view
        var differences: [String] = []
        let missing = disk.entries.filter { view.entries[$0.key] != $0.value }.keys.sorted()
        let extra = view.entries.filter { disk.entries[$0.key] == nil }.keys.sorted()
        if !missing.isEmpty {
            differences.append("\(missing.count) paths on disk not in the view as they are, e.g. \(missing.prefix(8))")
        }
        if !extra.isEmpty {
            differences.append("\(extra.count) paths in the view not on disk, e.g. \(extra.prefix(8))")
        }
        if !view.problems.isEmpty { differences.append("changes no churn should cause: \(view.problems.prefix(8))") }
        if let error = consumer.error { differences.append("the changes ended: \(error)") }

        let instances = ProcessSample.inotifyDescriptors()
        if instances.count != 1 {
            differences.append("\(instances.count) inotify instances in the process, not 1")
        } else {
            let watched = Files.kernelWatchedInodes(FileDescriptor(rawValue: instances[0]))
            let watchedSet = Set(watched)
            let outsideTree = watchedSet.subtracting(disk.directoryInodes)
            let unwatched = disk.directoryInodes.subtracting(watchedSet)
            if !outsideTree.isEmpty { differences.append("\(outsideTree.count) watches on directories outside the tree") }
            if !unwatched.isEmpty { differences.append("\(unwatched.count) of the tree's directories have no watch") }
            if watched.count != watchedSet.count { differences.append("\(watched.count - watchedSet.count) inodes watched twice") }
        }
        // The count is stored after each batch the watcher hands over: the
        // settling marker's batch has been, so it is current; asked again a
        // little while, in case the marker came in a batch of its own.
        let directories = disk.directoryInodes.count
        let deadline = ContinuousClock.now + .seconds(5)
        while watcher.watchedDirectories != directories && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        if watcher.watchedDirectories != directories {
            differences.append("the watcher counts \(watcher.watchedDirectories) watched directories, the disk has \(directories)")
        }
        self.differences = differences
        sample = ProcessSample.now()
    }
}
