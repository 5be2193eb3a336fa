@_spi(Concurrency) import Inotify
import Synchronization

/// Hands changes from the watcher's thread to one async consumer, over the
/// library's ``Channel``, one read's changes at a time, with a bound: while
/// `limit` changes or more wait (those the consumer took and has not handed
/// out yet count too), the watcher's thread waits (and the kernel's queue
/// takes the strain, ending in an overflow and a rescan if the consumer never
/// catches up). A read's changes go in together, so the bound can be passed
/// by one read's worth. Nothing is dropped here.
final class ChangeChannel: Sendable {
    let channel: Channel<[Change]>
    /// The watcher's thread waits on it for room; the channel posts it.
    private let room: CountingSemaphore
    /// What the consumer took and has not handed out yet, readable from any
    /// thread; written by the one consumer.
    let handedOutLeft = Atomic<Int>(0)

    init(limit: Int) {
        let room = CountingSemaphore(0)
        self.room = room
        channel = Channel(
            subject: "this TreeWatcher's changes", limit: max(limit, 1),
            producerRunsPerIteration: false, countsHeldElement: true,
            wakeProducer: { room.signal() })
    }

    // MARK: Producer (the watcher's thread)

    /// Hands over the changes of one read at once, waiting for room first.
    /// Returns false once the channel has ended: the producer should stop.
    func send(_ changes: [Change]) -> Bool {
        // Nothing to hand over: no reason to wait for room.
        guard !changes.isEmpty else { return !channel.hasEnded }
        while true {
            switch channel.waitForRoom() {
            case .ended: return false
            case .full: room.wait()
            case .room: return channel.send(changes, weight: changes.count)
            }
        }
    }

    /// The watcher ended, cleanly or not: the stream ends after what it holds.
    func finish(_ end: Result<Void, any Error>) {
        switch end {
        case .success: channel.finish(.finished)
        case .failure(let error): channel.finish(.failed(error))
        }
    }

    /// Stops the producer, waking it if it waits for room, and ends the
    /// stream after what it holds.
    func close() {
        channel.finish(.finished)
    }

    /// Changes handed over and not yet handed out to the consumer.
    var pendingCount: Int { channel.bufferedWeight + handedOutLeft.load(ordering: .relaxed) }
}
