import Inotify
import SystemPackage

extension TreeEngine {
    /// Reports a change, unless the options keep it out (``ChangeFilter``).
    func report(
        _ kind: Change.Kind, _ path: FilePath, isDirectory: Bool, _ events: [Inotify.Event], scan: Bool = false,
        _ out: inout [Change]
    ) {
        guard filter.reports(kind, at: path) else { return }
        out.append(Change(kind, path: path, root: root, isDirectory: isDirectory, foundByScan: scan, events: events))
    }
}
