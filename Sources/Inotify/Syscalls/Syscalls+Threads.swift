import CInotify
import Glibc
import SystemPackage

// Threads of the package's own, a working directory of a thread's own, and
// the wait of a counting semaphore.

extension Syscalls {
    /// pthread_create(3), detached: starts `body` on a thread of its own, named
    /// `name` (at most 15 bytes) for ps, top and /proc. The thread inherits
    /// the caller's fault plan. One that is not `injectable` takes no planned
    /// failure: a helper thread whose caller can do without it must not use up
    /// the failure a test meant for the thread that matters.
    package static func spawnThread(
        named name: String, injectable: Bool = true, _ body: @escaping @Sendable () -> Void
    ) -> Result<Void, Errno> {
        #if INOTIFY_FAULTS
        if injectable, let fault = FaultPlan.fault(for: .spawnThread, .none) { return .failure(fault) }
        let plan = FaultPlan.current
        let run: @Sendable () -> Void = { FaultPlan.$current.withValue(plan) { body() } }
        #else
        let run = body
        #endif
        let context = Unmanaged.passRetained(ThreadBody {
            _ = cinotify_set_thread_name(name)
            run()
        }).toOpaque()
        var thread = pthread_t()
        // pthread_create answers with the error number itself, never EINTR.
        let status = pthread_create(&thread, nil, { context in
            Unmanaged<ThreadBody>.fromOpaque(context!).takeRetainedValue().body()
            return nil
        }, context)
        guard status == 0 else {
            Unmanaged<ThreadBody>.fromOpaque(context).release()
            return .failure(Errno(rawValue: status))
        }
        pthread_detach(thread)
        return .success(())
    }

    /// unshare(CLONE_FS): the calling thread gets a working directory of its
    /// own, which ``changeDirectory(to:)`` then changes for it alone.
    package static func unshareWorkingDirectory() -> Result<Void, Errno> {
        call(.unshare) { cinotify_unshare_working_directory() }.map { _ in () }
    }

    /// fchdir(2): the working directory becomes the directory open as `fd`.
    package static func changeDirectory(to fd: CInt) -> Result<Void, Errno> {
        call(.chdir, .descriptor(fd)) { fchdir(fd) }.map { _ in () }
    }

    /// chdir(2).
    package static func changeDirectory(_ path: UnsafePointer<CChar>) -> Result<Void, Errno> {
        call(.chdir, .name(path)) { chdir(path) }.map { _ in () }
    }

    /// sem_wait(3), until it is posted: a signal does not end the wait.
    package static func wait(_ semaphore: UnsafeMutablePointer<sem_t>) {
        // Not a point of failure to plan: sem_wait fails only for a semaphore
        // that is not one, which the caller's type rules out.
        _ = retryOnInterrupt { sem_wait(semaphore) == 0 ? .success(()) : .failure(Errno(rawValue: Glibc.errno)) }
    }
}

/// The body of a thread, handed through pthread_create's context pointer.
private final class ThreadBody: Sendable {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}
