// A stream's reader thread: the producer of its channel. It runs while an
// iteration does, waits in poll(2) on the instance's descriptor, its nudge
// line (the consumer's wake-ups) and its close wake-up line, and reads when
// the channel gives it the turn.

extension EventStream {
    /// Starts the reader thread; a failure to start it ends the iteration
    /// with the error.
    func startReader() {
        let spawned = Syscalls.spawnThread(named: threadName) { self.runReader() }
        if case .failure(let errno) = spawned {
            channel.finish(.failed(Inotify.Error(
                .read, errno: errno, value: "reader thread",
                advice: "Could not start the thread that reads the descriptor")))
        }
    }

    private func runReader() {
        let end: Channel<EventBatch>.End?
        do {
            // The descriptor stays open for the thread's whole life: it polls it.
            end = try owner.use(.read) { _ in Result { try readLoop() } }.get()
        } catch where owner.isClosed {
            // Closed before or while this thread read: the stream ends cleanly.
            end = .finished
        } catch {
            end = .failed(error)
        }
        // A reader told to stop has left the channel already; a new
        // iteration may have started another by now.
        if let end { channel.finish(end) }
    }

    /// Reads until told to stop (nil); throws what ends the stream.
    private func readLoop() throws -> Channel<EventBatch>.End? {
        // Before the first look at the channel: a nudge that comes after
        // the look must find the line there.
        try owner.prepareNudges()
        var eventsReady = false
        var takesSeen: Int? = nil
        while true {
            switch channel.producerTurn(eventsReady: eventsReady, readAheadUnlessTakenSince: takesSeen) {
            case .stop:
                return nil
            case .pause, .waitForTurn:
                _ = try owner.wait(events: false, nudges: true, for: .forever)
            case .awaitEvents:
                eventsReady = try owner.wait(events: true, nudges: true, for: .forever) == .readable
            case .holdBack(let takes):
                // The consumer is busy and reads for itself: give it
                // `readerDeferral`, or until it waits.
                let deadline = ContinuousClock.now.advanced(by: EventStream.readerDeferral)
                _ = try owner.wait(events: false, nudges: true, for: .until(deadline))
                takesSeen = takes
            case .produce:
                takesSeen = nil
                eventsReady = false
                let batch: EventBatch?
                do {
                    batch = try reader.read(.chunk, wait: .no)
                } catch {
                    channel.releaseProducerTurn()
                    throw error
                }
                if let batch {
                    channel.send(batch, weight: batch.byteCount)
                } else {
                    // The consumer read what was there first.
                    channel.releaseProducerTurn()
                }
            }
        }
    }
}
