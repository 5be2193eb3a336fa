// py-inotify's example program in Swift: watch a directory with all events and
// print each event as py-inotify prints it, one a line, as it arrives.
//
//     swift run inotify-monitor /example_dir

import Inotify
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

func fail(_ message: String, status: Int32) -> Never {
    _ = try? FileDescriptor.standardError.writeAll(Array((message + "\n").utf8))
    exit(status)
}

let arguments = CommandLine.arguments
guard arguments.count == 2 else {
    fail("usage: inotify-monitor DIRECTORY", status: 2)
}

do {
    let inotify = try Inotify()
    try inotify.addWatch(arguments[1], mask: .allEvents)
    while true {
        // One write per read: the lines of a batch leave together, and nothing
        // waits in a buffer once the batch is printed.
        var lines = ""
        for event in try inotify.readEvents() {
            lines += event.description + "\n"
        }
        try FileDescriptor.standardOutput.writeAll(Array(lines.utf8))
    }
} catch {
    fail("inotify-monitor: \(error)", status: 1)
}
