import Foundation
@testable import Inotify
@testable import InotifyTree
import InotifyTestSupport
import SystemPackage
import Testing

/// The same operations, watched at once by an inotify source and a fanotify
/// source: each step's changes to the tree are the same (what the kernel
/// merges or splits differently can change their order within a step, not
/// what they say).
@Suite(
    "The fanotify and inotify sources say the same of the same operations",
    .enabled(if: FanotifyTreeAvailability.available, "fanotify is not permitted (not root) or lacks what the source needs"),
    .timeLimit(.minutes(5)))
struct SourceDifferentialTests {
    typealias Step = (name: String, run: @Sendable (FilePath, FilePath) throws -> Void)

    /// Each step runs on its own; `root` is watched, `outside` is not.
    static let steps: [Step] = [
        ("create a file", { root, _ in try Files.touch(root.appending("f")) }),
        ("write it", { root, _ in try Files.write(root.appending("f"), "more") }),
        ("change its mode", { root, _ in try Files.chmod(root.appending("f"), 0o600) }),
        ("make a directory", { root, _ in try Files.mkdir(root.appending("d")) }),
        ("make a file in it", { root, _ in try Files.touch(root.appending("d/g")) }),
        ("rename the file into the directory", { root, _ in try Files.rename(root.appending("f"), root.appending("d/f2")) }),
        ("rename the directory", { root, _ in try Files.rename(root.appending("d"), root.appending("e")) }),
        ("write in the renamed directory", { root, _ in try Files.write(root.appending("e/g"), "x") }),
        ("change the directory's mode", { root, _ in try Files.chmod(root.appending("e"), 0o700) }),
        ("delete a file", { root, _ in try Files.unlink(root.appending("e/g")) }),
        ("move a tree in", { root, outside in
            try Files.mkdir(outside.appending("in"))
            try Files.mkdir(outside.appending("in/deep"))
            try Files.touch(outside.appending("in/deep/file"))
            try Files.rename(outside.appending("in"), root.appending("in"))
        }),
        ("write in the tree moved in", { root, _ in try Files.touch(root.appending("in/deep/new")) }),
        ("move a directory out", { root, outside in try Files.rename(root.appending("e"), outside.appending("e")) }),
        ("write in it, outside", { _, outside in try Files.touch(outside.appending("e/unseen")) }),
        ("move a file out and one in", { root, outside in
            try Files.rename(root.appending("in/deep/new"), outside.appending("new"))
            try Files.touch(outside.appending("back"))
            try Files.rename(outside.appending("back"), root.appending("back"))
        }),
        ("replace a file by a rename", { root, _ in
            try Files.touch(root.appending("tmp"))
            try Files.rename(root.appending("tmp"), root.appending("back"))
        }),
        ("make nested directories", { root, _ in
            try Files.mkdir(root.appending("n"))
            try Files.mkdir(root.appending("n/o"))
            try Files.mkdir(root.appending("n/o/p"))
            try Files.touch(root.appending("n/o/p/q"))
        }),
        ("remove a tree", { root, _ in try Files.removeTree(root.appending("in")) }),
    ]

    @Test("step by step, both sources report the same changes (kind, path, directory or not)")
    func sameChanges() async throws {
        // On a tmpfs of its own where one can be mounted: a filesystem mark
        // on /tmp sees every other test's churn, which in a full parallel
        // run can overflow its queue, and a rescan says less than each step.
        let fs = TmpfsMount.permitted ? try OwnFilesystem("differential-fs") : nil
        let dir = try fs?.directory("differential") ?? TemporaryDirectory("differential")
        let outside = try fs?.directory("differential-outside") ?? TemporaryDirectory("differential-outside")
        let byInotify = try TreeWatcher(root: dir.path, options: .with(.inotify))
        let byFanotify = try TreeWatcher(root: dir.path, options: .with(.fanotify))
        let inotify = Collector(byInotify)
        let fanotify = Collector(byFanotify)
        defer {
            inotify.stop()
            fanotify.stop()
            byInotify.close()
            byFanotify.close()
        }
        let root = dir.path
        let away = outside.path
        for (index, step) in Self.steps.enumerated() {
            try await onThread { try withOwnDescriptorTable { try step.run(root, away) } }
            // Twice: the second mark comes after inotify's pairing window,
            // so that a rename half it holds has been told.
            for pass in 0..<2 {
                let mark = "mark-\(index)-\(pass)"
                if pass == 1 { try await Task.sleep(for: byInotify.options.movePairingWindow * 3) }
                try Files.touch(root.appending(mark))
                for collector in [inotify, fanotify] {
                    #expect(await collector.wait { $0.contains { $0.path.string == mark } }, "\(step.name): \(mark) never came")
                }
            }
        }
        let inotifySteps = Self.split(inotify.changes)
        let fanotifySteps = Self.split(fanotify.changes)
        for (index, step) in Self.steps.enumerated() {
            let said = "\(step.name): inotify said \(inotifySteps[index].sorted()), fanotify \(fanotifySteps[index].sorted())"
            // The tree's changes are the same. Of a file's writes,
            // fanotify can say more: in a directory made a moment ago,
            // inotify only lists what was written before its watch came.
            #expect(inotifySteps[index].filter(Self.isStructural) == fanotifySteps[index].filter(Self.isStructural), "\(said)")
            #expect(inotifySteps[index].isSubset(of: fanotifySteps[index]), "\(said)")
        }
    }

    static func isStructural(_ said: String) -> Bool {
        ["created ", "deleted ", "moved ", "movedIn ", "movedOut "].contains { said.hasPrefix($0) }
    }

    /// Each step's changes, as `kind path[/]`, whether found by listing
    /// or not, the marks left out.
    static func split(_ changes: [Change]) -> [Set<String>] {
        var steps: [Set<String>] = [[]]
        for change in changes {
            let path = change.path.string
            if path.hasPrefix("mark-") {
                if path.hasSuffix("-1") && change.kind == .created { steps.append([]) }
                continue
            }
            // How it was learnt is the source's own (inotify lists a new
            // directory; fanotify is told of what is made in it).
            steps[steps.count - 1].insert(change.description.replacingOccurrences(of: " (scan)", with: ""))
        }
        return steps
    }
}
