// The machinery behind `inotify.events` and `inotify.eventBatches`: one per
// instance, on the instance's descriptor owner and read routine, handing
// batches over a Channel.
//
// Who reads: a consumer that comes for events while the kernel has some reads
// them itself, without blocking, so a busy stream costs what a plain read loop
// costs, on one core. A reader thread of the library's own (StreamReader)
// reads when the consumer waits, and hands the batch over; or when events
// have waited `readerDeferral` without the consumer taking any: then the
// consumer is slow, and draining into memory keeps the kernel's queue from
// overflowing. No thread of the concurrency pool ever blocks. The channel's
// turn makes them read one at a time, and every batch read is handed over or
// buffered before the next read starts, so events stay in order.
//
// Bounded memory: once the limit's worth of kernel bytes waits in memory the
// reader stops reading until the consumer takes a batch. The kernel's own
// queue then absorbs what comes next, and if that overflows too, the
// kernel's IN_Q_OVERFLOW arrives in sequence, exactly where events were lost.
// Nothing is dropped here.
//
// Batches not yet consumed when an iteration ends stay in the channel for the
// next iteration or a plain read, so ending an iteration loses no event.

final class EventStream: Sendable {
    let channel: Channel<EventBatch>
    let owner: DescriptorOwner
    let reader: EventReader
    /// The reader thread's name, for ps, top and /proc.
    let threadName: String

    /// How long events may wait in the kernel for a busy consumer before the
    /// reader thread drains them into memory.
    static let readerDeferral = Duration.milliseconds(1)

    init(owner: DescriptorOwner, reader: EventReader, identity: UInt64) {
        self.owner = owner
        self.reader = reader
        threadName = "inotify-r\(identity)"
        channel = Channel(
            subject: "this Inotify instance's events", limit: Inotify.defaultStreamBufferLimit,
            producerRunsPerIteration: true, countsHeldElement: false,
            wakeProducer: { [owner] in owner.nudge() })
    }

    // MARK: Plain reads

    /// Lets a plain read run: refused while a stream iterates; hands over what
    /// a stream read and did not deliver, which comes before anything newer.
    func beginPlainRead() throws(Inotify.Error) -> [EventBatch] {
        guard let batches = channel.takeAllForOutsider() else {
            throw Inotify.Error(
                .read, errno: .resourceBusy, value: "fd \(owner.descriptor)",
                advice: "A task is iterating this instance's events; read them there"
                    + " (an instance has one reader at a time)")
        }
        return batches
    }

    func endPlainRead() {
        channel.releaseOutsider()
    }

    // MARK: Consumer

    /// Starts an iteration bounded at `limit` bytes; refuses a second one.
    func beginIteration(limit: Int) throws(Inotify.BusyError) {
        if try channel.beginIteration(limit: limit) { startReader() }
    }

    /// The next batch; nil at the end of the stream or once the task is cancelled.
    func next(isolation actor: isolated (any Actor)?) async throws -> EventBatch? {
        switch try channel.take(mayProduce: true) {
        case .element(let batch):
            return batch
        case .ended:
            return nil
        case .none:
            break
        case .produce:
            // Events the kernel holds now are read here, on the consumer's thread.
            let batch: EventBatch?
            do {
                batch = try readDirectly()
            } catch {
                channel.releaseTurn(produced: false)
                throw error
            }
            channel.releaseTurn(produced: batch != nil)
            if let batch { return batch }
        }
        return try await channel.wait(isolation: actor)
    }

    /// One read of what is queued now, without waiting; nil when the kernel
    /// has nothing (or the instance is closing: the reader thread ends the
    /// stream then).
    private func readDirectly() throws -> EventBatch? {
        do {
            return try reader.read(.chunk, wait: .no)
        } catch let error as Inotify.Error where error.errno == .badFileDescriptor && owner.isClosed {
            return nil
        }
    }

    /// Ends an iteration. Events it decoded but did not deliver go back to the
    /// front, for the next one; the reader thread is told to stop.
    func finishIteration(returning leftover: ArraySlice<Inotify.Event>) {
        if leftover.isEmpty {
            channel.finishIteration()
        } else {
            let batch = EventBatch(undelivered: leftover)
            channel.finishIteration(returning: batch, weight: batch.byteCount)
        }
    }
}

extension Inotify {
    /// The default bound of a stream's in-memory buffer: 16 MiB of kernel
    /// bytes, about half a million events with short names.
    public static let defaultStreamBufferLimit = 16 * 1024 * 1024
}
