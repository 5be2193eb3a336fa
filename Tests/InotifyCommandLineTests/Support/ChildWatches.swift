import Foundation

extension Subprocess {
    /// The watches the child's inotify descriptors hold, counted from its
    /// /proc fdinfo: how to know it is watching when it prints nothing (-qq).
    func kernelWatchCount() -> Int {
        let descriptors = "/proc/\(pid)/fd"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: descriptors)) ?? []
        var count = 0
        for name in names
        where (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(descriptors)/\(name)")) == "anon_inode:inotify" {
            let info = (try? String(contentsOfFile: "/proc/\(pid)/fdinfo/\(name)", encoding: .utf8)) ?? ""
            count += info.split(separator: "\n").filter { $0.hasPrefix("inotify wd:") }.count
        }
        return count
    }
}

extension Subprocess {
    /// The marks the child's fanotify groups hold (inode, mount and
    /// filesystem marks alike), counted from its /proc fdinfo: how to know
    /// it is watching when it says nothing (-q).
    func kernelMarkCount() -> Int {
        let descriptors = "/proc/\(pid)/fd"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: descriptors)) ?? []
        var count = 0
        for name in names
        where (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(descriptors)/\(name)")) == "anon_inode:[fanotify]" {
            let info = (try? String(contentsOfFile: "/proc/\(pid)/fdinfo/\(name)", encoding: .utf8)) ?? ""
            count += info.split(separator: "\n").filter { $0.hasPrefix("fanotify ") && !$0.hasPrefix("fanotify flags:") }.count
        }
        return count
    }
}
