import Glibc
import Inotify
import SystemPackage

/// Reading a small file whole, for ignore and configuration files.
enum FileContents {
    enum Failure: Error {
        /// Nothing there (ENOENT, or a path through something that is no directory): not worth a word.
        case missing
        /// A symbolic link, where links are not followed.
        case symbolicLink
        /// A directory, a FIFO, a device: not read (a FIFO would block the reader).
        case notRegularFile
        case error(Errno)
    }

    /// The size of the chunks ``read(_:in:followSymbolicLinks:)`` reads:
    /// each read(2) that returns bytes queues an IN_ACCESS, which a watcher
    /// reading a file in its own tree must know to tell its own events.
    static let chunkSize = 64 * 1024

    /// The bytes of the file at `path` (a NUL-terminated C string, relative
    /// to the directory open as `directory` unless absolute). One open when
    /// the file does not exist; O_NONBLOCK so that a FIFO in its place cannot
    /// block, and without following a final symbolic link unless
    /// `followSymbolicLinks`.
    static func read(
        _ path: UnsafePointer<CChar>, in directory: CInt = AT_FDCWD, followSymbolicLinks: Bool
    ) -> Result<[UInt8], Failure> {
        let flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | (followSymbolicLinks ? 0 : O_NOFOLLOW)
        let fd: CInt
        switch Syscalls.open(path, in: directory, flags: flags) {
        case .success(let opened): fd = opened
        case .failure(.noSuchFileOrDirectory), .failure(.notDirectory): return .failure(.missing)
        case .failure(.tooManySymbolicLinkLevels) where !followSymbolicLinks: return .failure(.symbolicLink)
        case .failure(let errno): return .failure(.error(errno))
        }
        defer { _ = Syscalls.close(fd) }
        let info: stat
        switch Syscalls.status(fd) {
        case .success(let status): info = status
        case .failure(let errno): return .failure(.error(errno))
        }
        guard info.st_mode & S_IFMT == S_IFREG else { return .failure(.notRegularFile) }
        // The size is a hint: the file may change while it is read.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(info.st_size))
        let failure = withUnsafeTemporaryAllocation(byteCount: chunkSize, alignment: 1) { chunk -> Failure? in
            while true {
                switch Syscalls.read(fd, chunk) {
                case .success(0): return nil
                case .success(let count): bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
                case .failure(let errno): return .error(errno)
                }
            }
        }
        if let failure { return .failure(failure) }
        return .success(bytes)
    }

    /// ``read(_:followSymbolicLinks:)`` for a `FilePath`.
    static func read(_ path: FilePath, followSymbolicLinks: Bool) -> Result<[UInt8], Failure> {
        path.withPlatformString { read($0, followSymbolicLinks: followSymbolicLinks) }
    }
}

extension FilePath {
    /// The path's bytes, without the NUL.
    var platformBytes: [UInt8] {
        withPlatformString { pointer in
            Array(UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)))
        }
    }

    /// A path from bytes that need not be UTF-8.
    init(platformBytes bytes: some Collection<UInt8>) {
        let terminated = Array(bytes) + [0]
        self = terminated.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { FilePath(platformString: $0.baseAddress!) }
        }
    }
}
