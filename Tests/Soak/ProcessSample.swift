import Foundation

/// What the process holds at one moment: memory, descriptors and threads,
/// from /proc/self.
struct ProcessSample {
    /// Resident memory now, and at its peak so far (kB).
    var rssKB = 0
    var peakRSSKB = 0
    var descriptors = 0
    var threads = 0

    static func now() -> ProcessSample {
        var sample = ProcessSample()
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        for line in status.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2, let kB = Int(fields[1]) else { continue }
            if fields[0] == "VmRSS:" { sample.rssKB = kB }
            if fields[0] == "VmHWM:" { sample.peakRSSKB = kB }
        }
        sample.descriptors = Self.count("/proc/self/fd") - 1  // the listing's own descriptor
        sample.threads = Self.count("/proc/self/task")
        return sample
    }

    private static func count(_ directory: String) -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).count
    }

    /// The descriptors of this process that are inotify instances.
    static func inotifyDescriptors() -> [Int32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return names.compactMap { name in
            let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(name)")
            return target == "anon_inode:inotify" ? Int32(name) : nil
        }
    }
}

/// How much a later sample may exceed the first check's: past it, the run fails.
struct GrowthBound {
    var descriptors = 4
    var threads = 4
    var rssKB = 64 * 1024

    /// What exceeds the bound, said; empty when nothing does.
    func excess(of sample: ProcessSample, over first: ProcessSample) -> [String] {
        var said: [String] = []
        if sample.descriptors > first.descriptors + descriptors {
            said.append("descriptors \(first.descriptors) -> \(sample.descriptors) (bound +\(descriptors))")
        }
        if sample.threads > first.threads + threads {
            said.append("threads \(first.threads) -> \(sample.threads) (bound +\(threads))")
        }
        if sample.rssKB > first.rssKB + rssKB {
            said.append("VmRSS \(first.rssKB) kB -> \(sample.rssKB) kB (bound +\(rssKB) kB)")
        }
        return said
    }

    var description: String { "descriptors +\(descriptors), threads +\(threads), VmRSS +\(rssKB / 1024) MiB over the first check" }
}
