import CInotifyCommand
import Glibc
@_spi(Concurrency) import Inotify
import InotifyTree

/// Where the roots' tasks leave their settled batches for the run loop,
/// which sleeps in poll(2) on the signals and on this inbox's pipe: a
/// byte written to it wakes the loop.
final class BatchInbox: Sendable {
    enum Item: Sendable {
        case batch(root: [UInt8], SettledBatch)
        /// The root's changes ended: the root is gone, or with an error.
        case ended(root: [UInt8], error: String?)
    }

    private let items = Lock<[Item]>([])
    /// The pipe's ends: the loop polls `readEnd`.
    let readEnd: CInt
    private let writeEnd: CInt

    init?() {
        var ends: [CInt] = [-1, -1]
        guard cic_pipe_cloexec(&ends) == 0 else { return nil }
        for end in ends { _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK) }
        (readEnd, writeEnd) = (ends[0], ends[1])
    }

    func put(_ item: Item) {
        items.withLock { $0.append(item) }
        var byte: UInt8 = 1
        // A full pipe already holds a wake-up: nothing is lost by a failed write.
        _ = Glibc.write(writeEnd, &byte, 1)
    }

    /// Everything put since the last take, in order.
    func take() -> [Item] {
        var drain = [UInt8](repeating: 0, count: 256)
        while Glibc.read(readEnd, &drain, drain.count) > 0 {}
        return items.withLock { items in
            defer { items.removeAll() }
            return items
        }
    }

    func close() {
        _ = Syscalls.close(readEnd)
        _ = Syscalls.close(writeEnd)
    }
}
