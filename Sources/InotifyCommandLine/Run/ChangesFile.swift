import Glibc
import Inotify
import SystemPackage

/// The file `$INOTIFY_CHANGES` names: the current batch's JSON lines, in a
/// directory of the run's own (mode 0700) under `$TMPDIR`, removed at the
/// end. Each run has a file of its own (`changes.N.jsonl`), made new, and the
/// last run's is removed once the next is written: replacing a file by a
/// rename (or truncating one) has ext4 start its writeback at once
/// (`auto_da_alloc`), which cost 240 µs of every run's start.
final class ChangesFile {
    let directory: [UInt8]
    /// The current run's file.
    private(set) var path: [UInt8]
    private var generation = 0

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
        path = Self.file(in: directory, generation: 0)
    }

    private static func file(in directory: [UInt8], generation: Int) -> [UInt8] {
        directory + Array("/changes.\(generation).jsonl".utf8)
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

    /// Writes `lines` to a new file, which becomes ``path``, and removes the
    /// last run's; the errno of a failure (``path`` is then the new file's,
    /// empty or short).
    func write(_ lines: [UInt8]) -> CInt? {
        let previous = generation > 0 ? path : nil
        generation += 1
        path = Self.file(in: directory, generation: generation)
        defer { if let previous { _ = withCPath(previous) { unlink($0) } } }
        let opened = withCPath(path) {
            Syscalls.open($0, flags: O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode: 0o600)
        }
        switch opened {
        case .failure(let errno): return errno.rawValue
        case .success(let fd):
            let failure = lines.withUnsafeBytes { writeAll(fd, $0) }
            _ = Syscalls.close(fd)
            return failure
        }
    }

    /// The file opened for reading: the command's standard input with `--stdin`.
    func openForReading() -> Result<CInt, Errno> {
        withCPath(path) { Syscalls.open($0, flags: O_RDONLY | O_CLOEXEC) }
    }

    /// Removes the file and its directory.
    func remove() {
        _ = withCPath(path) { unlink($0) }
        _ = withCPath(directory) { rmdir($0) }
    }
}
