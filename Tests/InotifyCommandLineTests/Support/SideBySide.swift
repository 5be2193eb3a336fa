import InotifyTestSupport
import SystemPackage
import Testing

/// inotify-tools' tool and ours, run at the same time on the same directory
/// with the same arguments, so that both see the very same events and their
/// output can be compared byte for byte.
struct SideBySide {
    var ours: Subprocess.Finished
    var theirs: Subprocess.Finished

    /// Starts `reference` (inotifywait or inotifywatch) and `inotify` under the
    /// same name, in `directory`; runs `operations` once both say their watches
    /// are established; then lets both end by themselves (give them `-t`).
    /// A run that must see the operations gives `-m -t 3`, not 1: the tool
    /// that was ready first waits for the other's start and for this thread,
    /// and under AddressSanitizer in a full run that once passed a second
    /// (our `--fromfile -` run timed out with nothing printed; inotifywait,
    /// ready later, printed both creations).
    static func run(
        _ tool: String, reference: String, _ arguments: [String], in directory: FilePath,
        ready: String = "Watches established.", stdin: [UInt8]? = nil, operations: () throws -> Void
    ) throws -> SideBySide {
        let theirs = try Subprocess(
            reference, arguments.map { Array($0.utf8) }, argv0: tool, stdin: stdin, directory: directory.string)
        let ours = try Tools.start(tool, arguments, stdin: stdin, directory: directory.string)
        #expect(theirs.waitFor(stderr: ready), "\(tool) did not get ready: \(String(decoding: theirs.stderr, as: UTF8.self))")
        #expect(ours.waitFor(stderr: ready), "inotify did not get ready: \(String(decoding: ours.stderr, as: UTF8.self))")
        try operations()
        return SideBySide(ours: ours.finish(), theirs: theirs.finish())
    }

    /// The same, each tool in a tree of its own, alike: `directory/theirs`
    /// and `directory/ours`, both made before. Tools watching a tree
    /// recursively list it to watch it, which the other's watches would see
    /// in a shared tree. `operations` is run on each tree, theirs first.
    static func runApart(
        _ tool: String, reference: String, _ arguments: [String], in directory: FilePath,
        ready: String = "Watches established.", operations: (FilePath) throws -> Void
    ) throws -> SideBySide {
        let theirsTree = directory.appending("theirs")
        let oursTree = directory.appending("ours")
        let theirs = try Subprocess(
            reference, arguments.map { Array($0.utf8) }, argv0: tool, directory: theirsTree.string)
        let ours = try Tools.start(tool, arguments, directory: oursTree.string)
        #expect(theirs.waitFor(stderr: ready), "\(tool) did not get ready: \(String(decoding: theirs.stderr, as: UTF8.self))")
        #expect(ours.waitFor(stderr: ready), "inotify did not get ready: \(String(decoding: ours.stderr, as: UTF8.self))")
        try operations(theirsTree)
        try operations(oursTree)
        return SideBySide(ours: ours.finish(), theirs: theirs.finish())
    }

    func expectSame(stderr: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(ours.out == theirs.out, "stdout differs", sourceLocation: sourceLocation)
        if ours.out == theirs.out { #expect(ours.stdout == theirs.stdout, "stdout bytes differ", sourceLocation: sourceLocation) }
        if stderr { #expect(ours.err == theirs.err, "stderr differs", sourceLocation: sourceLocation) }
        #expect(ours.status == theirs.status, "exit status differs", sourceLocation: sourceLocation)
    }
}
