import Foundation
import InotifyTestSupport
import SystemPackage

/// Fills a tree with the writers' own names until it holds `entries`
/// entries: every directory of the namespace first, then files in each in
/// turn. What the churn has taken away is put back, so that every stretch
/// of churn starts from a tree of at least that size. Returns how many
/// entries were made.
enum Population {
    @discardableResult
    static func fill(_ root: FilePath, shape: TreeChurn.Shape, entries: Int) -> Int {
        let disk = DiskTree(walking: root).entries
        var count = disk.count
        var made = 0
        for directory in shape.directories where count < entries && disk[directory] == nil {
            if root.appending(directory).withPlatformString({ mkdir($0, 0o755) }) == 0 {
                count += 1
                made += 1
            }
        }
        for file in shape.files {
            for directory in [""] + shape.directories {
                guard count < entries else { return made }
                let path = directory.isEmpty ? file : directory + "/" + file
                guard disk[path] == nil else { continue }
                TreeChurn.write(root.appending(path))
                count += 1
                made += 1
            }
        }
        return made
    }

    /// Removes everything in `directory` (moves out of the tree end up there).
    static func empty(_ directory: FilePath) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory.string)) ?? [] {
            TreeChurn.removeTree(directory.appending(name))
        }
    }
}
