import Glibc
import Inotify
import InotifyTree
import SystemPackage

/// `%w` and `%f` of fanotify events, from the events' own records, as
/// fsnotifywait splits them: the directory with `/` after it, and the name
/// the record carries (none for an event on the directory itself, whose
/// record names `.`). A name is never looked up: a file deleted since its
/// event is named as the event named it, and nothing reads
/// /proc/self/fd, so no path ever ends in " (deleted)".
///
/// A watched file is known by its own identifier (the FID record), its path
/// as given split after its last `/`, with the record's name where it has
/// one. The directory is a path given to watch, as given (`dir/`), when the
/// record's handle is that path's; any other directory (a subdirectory's
/// own events, everything under `-S`) is named from its handle by walking
/// up with `..` to a watched directory, or to the top of the filesystem
/// (named by its absolute path), reading each parent for the entry of the
/// child's inode; what a walk finds is kept until a directory is moved.
/// The watcher's own reads of directories are its own events, which
/// ``FanotifyWatch`` does not report.
final class FanotifyNames {
    /// A path given to watch, and what its mark's events are known by.
    struct Marked {
        /// Its identifier as records carry it.
        let id: Fanotify.FileID
        let device: UInt64
        let inode: UInt64
        /// As given, with `/` after a directory (inotifywait's `%w`).
        let printed: [UInt8]
        let isDirectory: Bool
    }

    /// A directory's identifier, as a record carries it.
    private struct HandleKey: Hashable {
        let fsid: Fanotify.FilesystemID
        let type: Int32
        let bytes: [UInt8]
    }

    private struct InodeKey: Hashable {
        let device: UInt64
        let inode: UInt64
    }

    private(set) var marked: [Marked] = []
    private let diagnostics: Diagnostics
    /// Per filesystem, its top directory open for reading: what
    /// open_by_handle_at(2) resolves its handles against (a descriptor
    /// opened with O_PATH is refused there).
    private var mounts: [Fanotify.FilesystemID: CInt] = [:]
    /// Per filesystem, its top directory's inode and absolute path, `/` after it.
    private var tops: [UInt64: (inode: UInt64, path: [UInt8])] = [:]
    /// Directories named by a walk, by handle and by inode, `/` after each.
    private var byHandle: [HandleKey: [UInt8]] = [:]
    private var byInode: [InodeKey: [UInt8]] = [:]
    /// A directory that could not be named for want of a capability was said.
    private var saidUnnamed = false

    /// Kept at most: past it, the next walk starts afresh.
    static let cacheLimit = 65_536

    init(diagnostics: Diagnostics) {
        self.diagnostics = diagnostics
    }

    deinit {
        for fd in mounts.values { _ = Syscalls.close(fd) }
    }

    /// Learns `path`, watched: its identifier, and a descriptor of its
    /// filesystem; throws what open(2), fstat(2), fstatfs(2) or
    /// name_to_handle_at(2) refused.
    func add(_ path: [UInt8], followingLinks: Bool) throws(Fanotify.Error) {
        // O_PATH reads nothing, so it queues no event.
        let flags = Syscalls.pathOnly | O_CLOEXEC | (followingLinks ? 0 : O_NOFOLLOW)
        let opened = withCPath(path) { Syscalls.open($0, flags: flags) }
        guard case .success(let fd) = opened else {
            throw Fanotify.Error(.nameToHandle, errno: opened.errno ?? .noSuchFileOrDirectory, path: filePath(path))
        }
        defer { _ = Syscalls.close(fd) }
        let id = try Fanotify.fileID(of: FileDescriptor(rawValue: fd))
        let status = Syscalls.status(fd)
        guard case .success(let info) = status else {
            throw Fanotify.Error(.nameToHandle, errno: status.errno ?? .noSuchFileOrDirectory, path: filePath(path))
        }
        let isDirectory = info.st_mode & S_IFMT == S_IFDIR
        var printed = path
        if isDirectory && printed.last != UInt8(ascii: "/") { printed.append(UInt8(ascii: "/")) }
        marked.append(Marked(
            id: id, device: UInt64(info.st_dev), inode: UInt64(info.st_ino), printed: printed,
            isDirectory: isDirectory))
        if mounts[id.fsid] == nil {
            let directory = isDirectory ? path : Self.directoryPart(path).map { $0.isEmpty ? [UInt8(ascii: ".")] : $0 }
                ?? [UInt8(ascii: ".")]
            let opened = withCPath(directory) { Syscalls.open($0, flags: O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
            if case .success(let fd) = opened {
                // The top of the filesystem is held, not the directory: a
                // directory held open is not deleted until it is closed, and
                // its DELETE_SELF waits until then (for ever, with -m).
                if let top = learnTop(from: fd, path: directory) {
                    _ = Syscalls.close(fd)
                    mounts[id.fsid] = top
                } else {
                    mounts[id.fsid] = fd
                }
            }
        }
    }

    /// Calls `body` with `%w` and `%f` of `event` and the index in
    /// ``marked`` of the watched path the event is about itself, if it is one.
    func withNames<R>(
        of event: Fanotify.RawEvent,
        _ body: (_ watched: UnsafeRawBufferPointer, _ name: UnsafeRawBufferPointer, _ marked: Int?) -> R
    ) -> R {
        var directory: Fanotify.RawFileID?
        var object: Fanotify.RawFileID?
        for case .fileID(let id) in event.infoRecords {
            switch id.type {
            case Fanotify.FAN_EVENT_INFO_TYPE_FID: object = object ?? id
            case Fanotify.FAN_EVENT_INFO_TYPE_DFID, Fanotify.FAN_EVENT_INFO_TYPE_DFID_NAME: directory = directory ?? id
            default: break
            }
        }
        let name = directory?.name.flatMap { $0.elementsEqual([UInt8(ascii: ".")]) ? nil : $0 }
            ?? UnsafeRawBufferPointer(start: nil, count: 0)
        // A watched file: its own identifier, whatever directory it is in now.
        if let object, let index = marked.firstIndex(where: { !$0.isDirectory && Self.same($0.id, object) }) {
            let path = marked[index].printed
            // Split as inotify-tools splits it, after the path's last `/`,
            // the name the record gives (the file's name now) in place of
            // the path's own where there is one; a path without a `/` is
            // inotifywait's `%w`, with no name.
            guard let part = Self.directoryPart(path) else {
                return path.withUnsafeBytes { body($0, UnsafeRawBufferPointer(start: nil, count: 0), index) }
            }
            return path.withUnsafeBytes { whole in
                let directory = UnsafeRawBufferPointer(rebasing: whole[..<part.count])
                return body(directory, name.isEmpty ? UnsafeRawBufferPointer(rebasing: whole[part.count...]) : name, index)
            }
        }
        guard let directory else { return body(UnsafeRawBufferPointer(start: nil, count: 0), name, nil) }
        if let index = marked.firstIndex(where: { $0.isDirectory && Self.same($0.id, directory) }) {
            return marked[index].printed.withUnsafeBytes { body($0, name, name.isEmpty ? index : nil) }
        }
        let path = self.path(of: directory) ?? []
        return path.withUnsafeBytes { body($0, name, nil) }
    }

    /// Forgets what walks found: a directory was moved, and the paths below it with it.
    func forgetWalks() {
        byHandle.removeAll(keepingCapacity: true)
        byInode.removeAll(keepingCapacity: true)
    }

    // MARK: Naming a directory by walking up

    /// The path of the directory `id` identifies, `/` after it; nil when it
    /// cannot be named (gone, or out of reach).
    private func path(of id: Fanotify.RawFileID) -> [UInt8]? {
        let key = HandleKey(fsid: id.fsid, type: id.handleType, bytes: Array(id.handle))
        if let known = byHandle[key] { return known }
        guard let mount = mounts[id.fsid] else { return nil }
        let opened: FileDescriptor
        do {
            opened = try Fanotify.open(
                Fanotify.FileHandle(type: id.handleType, bytes: key.bytes), mount: FileDescriptor(rawValue: mount),
                flags: Syscalls.pathOnly | O_DIRECTORY | O_CLOEXEC)
        } catch {
            if error.errno == .notPermitted && !saidUnnamed {
                saidUnnamed = true
                diagnostics.say(Messages.fanotifyUnnamedDirectory)
            }
            return nil
        }
        guard let path = walk(from: opened.rawValue) else { return nil }
        if byHandle.count >= Self.cacheLimit { forgetWalks() }
        byHandle[key] = path
        return path
    }

    /// Walks up from the directory open as `start` (closed here) to one
    /// whose path is known, reading each parent for the child's name.
    private func walk(from start: CInt) -> [UInt8]? {
        var current = start
        defer { _ = Syscalls.close(current) }
        var names: [[UInt8]] = []
        var visited: [InodeKey] = []
        // A path longer than this many directories is not one a walk should take.
        for _ in 0..<4096 {
            guard case .success(let info) = Syscalls.status(current) else { return nil }
            let here = InodeKey(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
            if let base = known(here) {
                var path = base
                for (depth, name) in names.enumerated().reversed() {
                    path.append(contentsOf: name)
                    path.append(UInt8(ascii: "/"))
                    byInode[visited[depth]] = path
                }
                return path
            }
            let parentOpened = Syscalls.open("..", in: current, flags: Syscalls.pathOnly | O_DIRECTORY | O_CLOEXEC)
            guard case .success(let parent) = parentOpened else { return nil }
            guard case .success(let above) = Syscalls.status(parent), above.st_dev == info.st_dev,
                above.st_ino != info.st_ino, let name = Self.entry(of: UInt64(info.st_ino), in: parent)
            else {
                _ = Syscalls.close(parent)
                return nil
            }
            names.append(name)
            visited.append(here)
            _ = Syscalls.close(current)
            current = parent
        }
        return nil
    }

    /// A directory whose path is known without a walk: a watched one, one
    /// walked before, the top of a filesystem.
    private func known(_ key: InodeKey) -> [UInt8]? {
        if let index = marked.firstIndex(where: { $0.isDirectory && $0.device == key.device && $0.inode == key.inode }) {
            return marked[index].printed
        }
        if let path = byInode[key] { return path }
        if let top = tops[key.device], top.inode == key.inode { return top.path }
        return nil
    }

    /// The name of the entry for `inode` in the directory open as `parent`.
    private static func entry(of inode: UInt64, in parent: CInt) -> [UInt8]? {
        guard case .success(let fd) = Syscalls.open(".", in: parent, flags: O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        else { return nil }
        defer { _ = Syscalls.close(fd) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Directory.listingBufferSize, alignment: 8)
        defer { buffer.deallocate() }
        var found: [UInt8]?
        _ = Directory.forEachEntry(of: fd, buffer: buffer) { (name, _, entryInode) throws(Never) in
            if found == nil && entryInode == inode { found = Array(name) }
        }
        return found
    }

    /// Notes the top of the filesystem the directory open as `fd` (at
    /// `path`) is on, and its absolute path: where a walk that meets no
    /// watched directory ends. Returns the top, open for reading; nil where
    /// it could not be reached.
    private func learnTop(from fd: CInt, path: [UInt8]) -> CInt? {
        guard case .success(var info) = Syscalls.status(fd),
            case .success(let absolute) = withCPath(path, { Syscalls.realPath($0) }),
            case .success(var current) = Syscalls.open(".", in: fd, flags: Syscalls.pathOnly | O_DIRECTORY | O_CLOEXEC)
        else { return nil }
        defer { _ = Syscalls.close(current) }
        var steps = 0
        while case .success(let up) = Syscalls.open("..", in: current, flags: Syscalls.pathOnly | O_DIRECTORY | O_CLOEXEC) {
            guard case .success(let above) = Syscalls.status(up), above.st_dev == info.st_dev, above.st_ino != info.st_ino
            else {
                _ = Syscalls.close(up)
                break
            }
            _ = Syscalls.close(current)
            current = up
            info = above
            steps += 1
        }
        var top = absolute
        for _ in 0..<steps { top.removeLastComponent() }
        var bytes = top.withPlatformString { Array(UnsafeRawBufferPointer(start: $0, count: strlen($0))) }
        if bytes.last != UInt8(ascii: "/") { bytes.append(UInt8(ascii: "/")) }
        tops[UInt64(info.st_dev)] = (UInt64(info.st_ino), bytes)
        guard case .success(let readable) = Syscalls.open(".", in: current, flags: O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        else { return nil }
        return readable
    }

    // MARK: Helpers

    private static func same(_ id: Fanotify.FileID, _ record: Fanotify.RawFileID) -> Bool {
        id.fsid == record.fsid && id.handle.type == record.handleType && record.handle.elementsEqual(id.handle.bytes)
    }

    /// `path` up to and including its last `/`; nil when it has none.
    static func directoryPart(_ path: [UInt8]) -> [UInt8]? {
        guard let slash = path.lastIndex(of: UInt8(ascii: "/")) else { return nil }
        return Array(path[...slash])
    }
}

extension Result {
    /// The error of a failure; nil for a success.
    var errno: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
