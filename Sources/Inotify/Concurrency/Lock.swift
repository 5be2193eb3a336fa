import Glibc

/// A value that one thread at a time may use: `Synchronization.Mutex`'s
/// shape on a `pthread_mutex_t`.
///
/// Why not `Mutex` itself: on Linux it is built on futex(2) directly, which
/// ThreadSanitizer cannot see, so every access under it is reported as a race
/// (a two-thread `Mutex<[Int]>` program reports four). pthread's mutex is
/// intercepted by ThreadSanitizer, so a run under `-sanitize=thread` checks
/// the claim that the library is safe to share instead of drowning it.
///
/// Public under the `Concurrency` SPI and `withLock` inlinable, for the
/// same reason as `Channel`: the other modules use it with their own types.
@_spi(Concurrency) public final class Lock<Value>: @unchecked Sendable {
    // @unchecked: `value` is only touched between pthread_mutex_lock and
    // pthread_mutex_unlock, and `withLock`'s `sending` keeps a non-Sendable
    // value from escaping the lock unprotected (as Mutex's does).
    // Internal (not private) only so that withLock can be inlined: touched
    // nowhere else.
    @usableFromInline var value: Value
    // The mutex must stay at one address for its whole life, as POSIX requires.
    @usableFromInline let mutex: UnsafeMutablePointer<pthread_mutex_t>

    public init(_ initialValue: sending Value) {
        value = initialValue
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    @inlinable public func withLock<Result, E: Error>(
        _ body: (inout sending Value) throws(E) -> sending Result
    ) throws(E) -> sending Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
