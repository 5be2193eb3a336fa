import Glibc
import Inotify
import SystemPackage

/// The file `$INOTIFY_CHANGES` names: the current batch's JSON lines, in a
/// directory of the run's own (mode 0700) under `$TMPDIR`, removed at the
/// end. Each batch is written beside it and renamed over it, so that a
/// command still reading the last one (a restart's old process) keeps
/// reading what it was given.
final class ChangesFile {
    let directory: [UInt8]
    let path: [UInt8]

    /// Nil after printing why the directory could not be made.
    init?(program: String) {
        let base = ProcessEnvironment.value("TMPDIR").flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(base)/inotify-run.XXXXXX".utf8) + [0]
        let made = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { mkdtemp($0) }
        }
        guard made != nil else {
            printError("\(program): couldn't make a directory for the changes file in \(base): \(errnoText(errno)) "
                + "(set TMPDIR to a writable directory).")
            return nil
        }
        directory = Array(template.dropLast())
        path = directory + Array("/changes.jsonl".utf8)
    }

    /// The file's directory as a path below `root` (as given), for leaving
    /// it out of the watch; nil when it is not below `root`.
    func directory(under root: [UInt8]) -> [UInt8]? {
        guard case .success(let real) = withCPath(root, { Syscalls.realPath($0) }),
            case .success(let ownReal) = withCPath(directory, { Syscalls.realPath($0) })
        else { return nil }
        var base = real.string
        if !base.hasSuffix("/") { base += "/" }
        guard ownReal.string.hasPrefix(base) else { return nil }
        var path = root
        if path.last != UInt8(ascii: "/") { path.append(UInt8(ascii: "/")) }
        return path + Array(ownReal.string.dropFirst(base.count).utf8)
    }

    /// Replaces the contents with `lines`; the errno of a failure.
    func write(_ lines: [UInt8]) -> CInt? {
        let staging = directory + Array("/changes.jsonl.new".utf8)
        let opened = withCPath(staging) { Syscalls.open($0, flags: O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode: 0o600) }
        guard case .success(let fd) = opened else {
            if case .failure(let errno) = opened { return errno.rawValue }
            return EIO
        }
        let failure = lines.withUnsafeBytes { writeAll(fd, $0) }
        _ = Syscalls.close(fd)
        if let failure { return failure }
        let renamed = withCPath(staging) { from in withCPath(path) { to in Glibc.rename(from, to) } }
        return renamed == 0 ? nil : errno
    }

    /// The file opened for reading: the command's standard input with `--stdin`.
    func openForReading() -> Result<CInt, Errno> {
        withCPath(path) { Syscalls.open($0, flags: O_RDONLY | O_CLOEXEC) }
    }

    /// Removes the file and its directory.
    func remove() {
        for file in [path, directory + Array("/changes.jsonl.new".utf8)] { _ = withCPath(file) { unlink($0) } }
        _ = withCPath(directory) { rmdir($0) }
    }
}

/// The process's environment, read from `environ`.
enum ProcessEnvironment {
    /// Every `NAME=value` entry, as bytes.
    static func entries() -> [[UInt8]] {
        var result: [[UInt8]] = []
        var cursor = environ
        while let entry = cursor.pointee {
            result.append(Array(UnsafeRawBufferPointer(start: entry, count: strlen(entry))))
            cursor += 1
        }
        return result
    }

    static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
