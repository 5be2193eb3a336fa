// inotify-soak: a tree watcher under hours of churn, in minutes. Writers
// churn a tree of 10,000 entries or more (creates, writes, deletes, renames
// within and across directories, directory renames, `mkdir -p`, `rm -rf`,
// moves out and in, and bursts past the kernel's queue) while a TreeWatcher
// watches it and a consumer keeps its own view from the changes alone. Every
// minute, with the writers paused, the view must equal the disk, the kernel's
// watches the tree's directories, and the process's descriptors, threads and
// memory must stay within a bound of the first check's. A tool, in no
// product; .ci/run runs it for a minute.
import Foundation
import InotifyTestSupport
import InotifyTree
import SystemPackage

/// One line to standard output, written at once (a pipe's reader sees it as it happens).
func say(_ text: String) {
    let line = Array((text + "\n").utf8)
    _ = line.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
}

guard let options = SoakOptions.parse(Array(CommandLine.arguments.dropFirst())) else { exit(2) }
let maxQueued = Files.sysctl("max_queued_events") ?? 16_384
let watcherOptions = TreeWatcher.Options()
let burst = options.burst ?? 2 * (maxQueued + watcherOptions.changeBufferLimit)
if let directory = options.churnOnly {
    exit(ChurnOnly.run(directory: FilePath(directory), options: options, burst: burst))
}
exit(await Soak.run(options, watcherOptions: watcherOptions, maxQueued: maxQueued, burst: burst))
