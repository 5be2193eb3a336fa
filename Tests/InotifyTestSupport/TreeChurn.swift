import Foundation
import SystemPackage

/// Randomised writers for a tree, and what the disk holds after them: the
/// churn a tree watcher has to stay true under.
///
/// Every writer works in the same small namespace of names (by default `d0`…`d4`
/// for directories, three levels deep, `f0`…`f3` for files: ``Shape``), so
/// writers collide all the time: one renames a directory another is filling,
/// deletes a subtree another is listing, moves a directory out that another
/// just made.
/// Operations that fail because another writer got there first (ENOENT,
/// EEXIST, ENOTEMPTY, EINVAL) are part of the churn and are not errors.
public struct TreeChurn {
    public enum Operation: CaseIterable, Sendable {
        /// `mkdir -p` of a nested directory, then a file in it at once.
        case nestedCreate
        /// A file created or appended to.
        case writeFile
        case deleteFile
        /// A file renamed, within or across directories (onto another, at times).
        case renameFile
        /// A directory renamed within the tree, with all it holds.
        case renameDirectory
        /// `rm -rf` of a subtree.
        case removeSubtree
        /// A directory moved out of the tree.
        case moveOut
        /// A directory prepared outside, with contents, moved in.
        case moveIn
    }

    /// The namespace the writers share: how many directory names per level
    /// (`d0`…), how many levels, how many file names (`f0`…). A wider one
    /// holds a bigger tree; the default keeps collisions frequent.
    public struct Shape: Sendable {
        public var directoryNames: Int
        public var levels: Int
        public var fileNames: Int
        /// The shallowest level a subtree is removed or moved out from: a
        /// deeper one keeps a wide tree from being emptied by a few of them.
        public var shallowestRemoval: Int

        public init(directoryNames: Int = 5, levels: Int = 3, fileNames: Int = 4, shallowestRemoval: Int = 1) {
            precondition(directoryNames > 0 && levels >= 2 && fileNames > 0, "a shape needs names and two levels")
            precondition((1...levels).contains(shallowestRemoval), "removals need a level of the tree")
            self.directoryNames = directoryNames
            self.levels = levels
            self.fileNames = fileNames
            self.shallowestRemoval = shallowestRemoval
        }

        /// Every directory of the namespace, shallowest first.
        public var directories: [String] {
            var all: [String] = []
            var level = [""]
            for _ in 0..<levels {
                level = level.flatMap { parent in
                    (0..<directoryNames).map { parent.isEmpty ? "d\($0)" : parent + "/d\($0)" }
                }
                all += level
            }
            return all
        }

        /// Every file name of the namespace.
        public var files: [String] { (0..<fileNames).map { "f\($0)" } }
    }

    public let root: FilePath
    /// Outside the tree, on the same filesystem, so that renames across work.
    public let outside: FilePath
    public let shape: Shape
    private var random: SplitMix64
    private let tag: String
    private var serial = 0
    public private(set) var counts: [Operation: Int] = [:]
    /// What each operation did, with the monotonic clock's nanoseconds and
    /// the result of each call, when not nil: for tracing a failure
    /// (`CHURN_TRACE`). Off by default.
    public var log: [String]?

    public init(root: FilePath, outside: FilePath, seed: UInt64, tag: String, shape: Shape = Shape()) {
        self.root = root
        self.outside = outside
        self.shape = shape
        self.random = SplitMix64(seed: seed)
        self.tag = tag
    }

    /// Runs `count` random operations.
    public mutating func run(_ count: Int) {
        for _ in 0..<count { step() }
    }

    public mutating func step() {
        let operation = pick()
        counts[operation, default: 0] += 1
        switch operation {
        case .nestedCreate:
            let dir = directoryPath(depth: 2...shape.levels)
            var path = root
            for component in dir.components {
                path.append(component)
                note("mkdir", path, path.withPlatformString { mkdir($0, 0o755) })
            }
            let file = path.appending(fileName())
            note("write", file, Self.write(file))
        case .writeFile:
            let path = root.pushing(directoryPath(depth: 0...shape.levels)).appending(fileName())
            note("write", path, Self.write(path))
        case .deleteFile:
            let path = root.pushing(directoryPath(depth: 0...shape.levels)).appending(fileName())
            note("unlink", path, path.withPlatformString { unlink($0) })
        case .renameFile:
            let from = root.pushing(directoryPath(depth: 0...shape.levels)).appending(fileName())
            let to = root.pushing(directoryPath(depth: 0...shape.levels)).appending(fileName())
            note("rename", from, Self.rename(from, to), to)
        case .renameDirectory:
            let from = root.pushing(directoryPath(depth: 1...shape.levels))
            let to = root.pushing(directoryPath(depth: 1...shape.levels))
            note("rename", from, Self.rename(from, to), to)
        case .removeSubtree:
            let path = root.pushing(directoryPath(depth: shape.shallowestRemoval...shape.levels))
            note("rm -rf", path, 0)
            Self.removeTree(path)
            note("rm -rf done", path, 0)
        case .moveOut:
            let from = root.pushing(directoryPath(depth: shape.shallowestRemoval...shape.levels))
            let to = outside.appending(uniqueName())
            note("rename", from, Self.rename(from, to), to)
        case .moveIn:
            let prepared = outside.appending(uniqueName())
            _ = prepared.withPlatformString { mkdir($0, 0o755) }
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                var path = prepared
                for component in directoryPath(depth: 0...(shape.levels - 1)).components {
                    path.append(component)
                    _ = path.withPlatformString { mkdir($0, 0o755) }
                }
                Self.write(path.appending(fileName()))
            }
            let to = root.pushing(directoryPath(depth: 1...shape.levels))
            note("rename", prepared, Self.rename(prepared, to), to, DiskTree(walking: to).entries.keys.sorted().joined(separator: " "))
        }
    }

    private mutating func note(
        _ what: String, _ path: FilePath, _ result: CInt, _ to: FilePath? = nil, _ more: @autoclosure () -> String = ""
    ) {
        guard log != nil else { return }
        let error = result < 0 ? " \(String(cString: strerror(errno)))" : ""
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        log?.append("\(Int(now.tv_sec) * 1_000_000_000 + now.tv_nsec) \(tag) \(what) \(path)\(to.map { " -> \($0)" } ?? "")\(error) \(more())")
    }

    private mutating func pick() -> Operation {
        // Files change most often; whole subtrees go and come less often.
        let weights: [(Operation, Int)] = [
            (.nestedCreate, 4), (.writeFile, 5), (.deleteFile, 3), (.renameFile, 3),
            (.renameDirectory, 3), (.removeSubtree, 1), (.moveOut, 1), (.moveIn, 1),
        ]
        var roll = Int.random(in: 0..<weights.reduce(0) { $0 + $1.1 }, using: &random)
        for (operation, weight) in weights {
            if roll < weight { return operation }
            roll -= weight
        }
        return .writeFile
    }

    private mutating func directoryPath(depth: ClosedRange<Int>) -> FilePath {
        let levels = Int.random(in: depth, using: &random)
        return FilePath(root: nil, (0..<levels).map { _ in
            FilePath.Component("d\(Int.random(in: 0..<shape.directoryNames, using: &random))")!
        })
    }

    private mutating func fileName() -> FilePath.Component {
        FilePath.Component("f\(Int.random(in: 0..<shape.fileNames, using: &random))")!
    }

    private mutating func uniqueName() -> FilePath.Component {
        serial += 1
        return FilePath.Component("\(tag)-\(serial)")!
    }

    /// Appends a byte to `path`, made if missing (a missing directory: nothing).
    @discardableResult
    public static func write(_ path: FilePath) -> CInt {
        let fd = path.withPlatformString { open($0, O_CREAT | O_WRONLY | O_APPEND | O_CLOEXEC, 0o644) }
        guard fd >= 0 else { return fd }
        _ = "x".withCString { Foundation.write(fd, $0, 1) }
        close(fd)
        return 0
    }

    @discardableResult
    private static func rename(_ from: FilePath, _ to: FilePath) -> CInt {
        from.withPlatformString { f in to.withPlatformString { t in Foundation.rename(f, t) } }
    }

    /// `rm -rf`, tolerating entries that other writers remove or add meanwhile.
    public static func removeTree(_ path: FilePath) {
        var info = stat()
        guard path.withPlatformString({ lstat($0, &info) }) == 0 else { return }
        if info.st_mode & S_IFMT == S_IFDIR {
            for name in DiskTree.names(in: path) { removeTree(path.appending(name)) }
            _ = path.withPlatformString { rmdir($0) }
        } else {
            _ = path.withPlatformString { unlink($0) }
        }
    }
}

/// What is on disk below a root: every entry's relative path and whether it
/// is a directory, and the inode of every directory (the root's included).
public struct DiskTree: Equatable {
    public var entries: [String: Bool] = [:]
    public var directoryInodes: Set<UInt64> = []

    public init(walking root: FilePath) {
        var info = stat()
        if root.withPlatformString({ lstat($0, &info) }) == 0 { directoryInodes.insert(UInt64(info.st_ino)) }
        walk(root, relative: "")
    }

    private mutating func walk(_ directory: FilePath, relative: String) {
        for name in Self.names(in: directory) {
            let path = directory.appending(name)
            let child = relative.isEmpty ? name : relative + "/" + name
            var info = stat()
            guard path.withPlatformString({ lstat($0, &info) }) == 0 else { continue }
            let isDirectory = info.st_mode & S_IFMT == S_IFDIR
            entries[child] = isDirectory
            if isDirectory {
                directoryInodes.insert(UInt64(info.st_ino))
                walk(path, relative: child)
            }
        }
    }

    static func names(in directory: FilePath) -> [String] {
        guard let stream = directory.withPlatformString({ opendir($0) }) else { return [] }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}

extension Files {
    /// The inodes the kernel watches for an inotify descriptor, from
    /// /proc/self/fdinfo (`inotify wd:1 ino:2a sdev:...`), one per watch.
    public static func kernelWatchedInodes(_ fd: FileDescriptor) -> [UInt64] {
        let text = (try? String(contentsOfFile: "/proc/self/fdinfo/\(fd.rawValue)", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").filter { $0.hasPrefix("inotify wd:") }.compactMap { line in
            guard let field = line.split(separator: " ").first(where: { $0.hasPrefix("ino:") }) else { return nil }
            return UInt64(field.dropFirst(4), radix: 16)
        }
    }
}
