// The first scan runs on a thread of its own whose working directory is its
// own (unshare(CLONE_FS)). inotify_add_watch takes only a path, and the exact
// one, /proc/self/fd/N/name, costs the kernel a walk through procfs and its
// magic link (out of RCU mode, a reference taken and dropped per component):
// measured, 2.8 µs a watch against 1.1 µs for a whole path. With the thread's
// working directory moved to the descriptor's directory, the watch is added
// by the bare name: the same directory, reached the same way, in 0.9 µs,
// fchdir(2) included. The process's working directory is never touched.

import Glibc
@_spi(Concurrency) import Inotify

/// The working directory of a thread that has one of its own: moved to a
/// directory held as a descriptor just for a watch to be added there, then
/// back to where it was, so that anything else done on the thread (the
/// user's `excludeDirectory`, a relative root) finds the directory it would
/// have found on any other thread.
///
/// `@unchecked Sendable` only to be a task-local value: every use but the
/// owner check is on the thread that made it (``enter(_:)`` refuses others).
final class PrivateWorkingDirectory: @unchecked Sendable {
    /// The scan thread's, while it runs the first scan; nil on every other
    /// thread, whose working directory is the process's.
    @TaskLocal static var current: PrivateWorkingDirectory?

    private let owner: pthread_t
    /// The working directory the thread started with: the process's then.
    private let original: CInt
    /// Set when the way back failed: no more moves.
    private var broken = false

    /// For the calling thread, which must be one that nothing else runs on
    /// (its working directory becomes its own for the rest of its life); nil
    /// where that cannot be had (unshare refused, as seccomp profiles do).
    static func ofCallingThread() -> PrivateWorkingDirectory? {
        guard case .success = Syscalls.unshareWorkingDirectory() else { return nil }
        let opened = ".".withCString {
            DirectoryDescriptor.open($0, in: AT_FDCWD, forListing: false, follow: true)
        }
        guard case .success(let fd) = opened else { return nil }
        // The way back must work before any move is made.
        guard case .success = Syscalls.changeDirectory(to: fd) else {
            DirectoryDescriptor.close(fd)
            return nil
        }
        return PrivateWorkingDirectory(original: fd)
    }

    private init(original: CInt) {
        self.owner = pthread_self()
        self.original = original
    }

    deinit {
        DirectoryDescriptor.close(original)
    }

    /// Moves the thread's working directory to the directory open as `fd`;
    /// false, with nothing changed, where it cannot (another thread, one
    /// without search permission), and the caller takes the /proc way.
    /// Every true is followed by ``leave()``.
    func enter(_ fd: CInt) -> Bool {
        // On a thread that shares the process's working directory, a move
        // would be everyone's.
        guard !broken, pthread_equal(pthread_self(), owner) != 0 else { return false }
        if case .success = Syscalls.changeDirectory(to: fd) { return true }
        return false
    }

    func leave() {
        if case .success = Syscalls.changeDirectory(to: original) { return }
        // Lost its search permission meanwhile: the process's directory as the
        // main thread has it, which is the same one unless it moved since.
        broken = true
        _ = Syscalls.changeDirectory("/proc/self/cwd")
    }
}

enum ScanThread {
    /// Runs `body` on a new thread, with its ``PrivateWorkingDirectory`` as
    /// the current one where it can have one, and waits for it; on the
    /// calling thread, with none, where no thread can be had. The thread ends
    /// with `body`, and its working directory with it.
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) throws -> T {
        let handOver = HandOver<T>()
        let started = Syscalls.spawnThread(named: "inotify-scan", injectable: false) {
            let outcome = PrivateWorkingDirectory.$current.withValue(PrivateWorkingDirectory.ofCallingThread()) {
                Result { try body() }
            }
            handOver.outcome.withLock { $0 = outcome }
            handOver.done.signal()
        }
        guard case .success = started else { return try body() }
        handOver.done.wait()
        return try handOver.outcome.withLock { $0 }!.get()
    }

    private final class HandOver<T: Sendable>: Sendable {
        let outcome = Lock<Result<T, any Error>?>(nil)
        let done = CountingSemaphore(0)
    }
}
