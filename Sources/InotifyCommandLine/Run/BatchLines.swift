import InotifyTree
import SystemPackage

/// A settled batch as the command sees it: JSON lines in the schema of
/// `inotify wait --json`, each net change as the event it comes to (a
/// creation CREATE, a deletion DELETE, content MODIFY, metadata ATTRIB, a
/// move its MOVED_FROM and MOVED_TO lines with one cookie), with `%w` the
/// root as given joined with the change's directory; then a `rescanned`
/// notice when the batch may miss changes (an overflow), and the batch's
/// own notices (a directory left unwatched, an unmount).
struct BatchLines {
    let lines: TreeLines
    let filter: PathFilter
    private var scratch: [UInt8] = []

    init(root: [UInt8], isDirectory: Bool, filter: PathFilter) {
        lines = TreeLines(root: root, isDirectory: isDirectory)
        self.filter = filter
    }

    /// Appends the lines of what `batch` holds that the filter lets through;
    /// returns how many changes that was, a rescan counting as one.
    mutating func append(_ batch: SettledBatch, root: [UInt8], to out: inout [UInt8]) -> Int {
        var taken = 0
        var lineBytes: [UInt8] = []
        for settled in batch.changes {
            let change = Change(Self.kind(settled.kind), path: settled.path, root: FilePath(), isDirectory: settled.isDirectory)
            var passes = false
            lineBytes.removeAll(keepingCapacity: true)
            lines.forEachLine(change) { line in
                // A move is kept whole if either end is.
                if filter.reports(watched: line.watched, name: line.name, scratch: &scratch) { passes = true }
                JSONLine.append(line, to: &lineBytes)
            }
            guard passes else { continue }
            out.append(contentsOf: lineBytes)
            taken += 1
        }
        if batch.needsResync {
            let rescan = Change(.rescanned, path: FilePath(), root: FilePath(), isDirectory: true)
            lines.forEachNotice(rescan) { JSONLine.append($0, notice: $1, to: &out) }
            taken += 1
        }
        for notice in batch.notices {
            lines.forEachNotice(notice) { JSONLine.append($0, notice: $1, to: &out) }
        }
        return taken
    }

    private static func kind(_ kind: SettledChange.Kind) -> Change.Kind {
        switch kind {
        case .created: .created
        case .deleted: .deleted
        case .moved(let from): .moved(from: from)
        case .modified: .modified
        case .attributesChanged: .attributesChanged
        }
    }
}
