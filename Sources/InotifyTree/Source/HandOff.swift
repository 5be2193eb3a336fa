@_spi(Concurrency) import Inotify

/// One value handed from one thread to another, whole: made with it on one,
/// taken out on the other, once. The value need not be `Sendable`: it is `sending`
/// on the way in and on the way out, so the compiler checks that nothing on
/// the first thread keeps it (a source of changes, made by the first scan's
/// thread, then driven by the watcher's alone).
final class HandOff<Value>: Sendable {
    private let slot: Lock<Value?>

    init(_ value: sending Value) {
        slot = Lock(Optional(value))
    }

    /// The value, once; nil after it has been taken.
    func take() -> sending Value? {
        slot.withLock { $0.take() }
    }
}
