import Glibc
import Inotify

/// A POSIX counting semaphore (sem_init(3)): the watcher's thread waits on it
/// when the consumer is behind. Unlike a Dispatch semaphore it may go away
/// with any count, which a watcher closed mid-wait needs.
final class CountingSemaphore: Sendable {
    // The sem_t lives at a fixed address for the object's life, as POSIX
    // requires; sem_wait and sem_post are safe from any thread.
    private nonisolated(unsafe) let semaphore: UnsafeMutablePointer<sem_t>

    init(_ value: Int) {
        semaphore = .allocate(capacity: 1)
        sem_init(semaphore, 0, UInt32(clamping: value))
    }

    deinit {
        sem_destroy(semaphore)
        semaphore.deallocate()
    }

    func wait() {
        Syscalls.wait(semaphore)
    }

    func signal() {
        sem_post(semaphore)
    }
}
