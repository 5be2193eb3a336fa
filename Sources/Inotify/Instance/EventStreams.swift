// `for try await event in inotify.events` and its batched twin.

extension Inotify {
    /// Every event of the instance, in order, as an `AsyncSequence`.
    ///
    /// A reader thread of the library's own drains the kernel queue eagerly
    /// into memory (at most ``defaultStreamBufferLimit`` bytes; then it stops
    /// reading and the kernel's queue holds the rest), so a briefly slow
    /// consumer causes no overflow; if the kernel's queue overflows all the
    /// same, its `IN_Q_OVERFLOW` event (wd -1) arrives in sequence. Cancelling
    /// the consuming task or breaking out of the loop ends the iteration
    /// promptly; events read but not delivered wait for the next iteration.
    /// ``close()`` ends the iteration cleanly. One iteration at a time: a
    /// second concurrent one throws `EBUSY`.
    public var events: Events { Events(instance: self, bufferLimit: Inotify.defaultStreamBufferLimit) }

    /// ``events``, with the in-memory buffer bounded at `bufferLimit` bytes of kernel events.
    public func events(bufferLimit: Int) -> Events {
        Events(instance: self, bufferLimit: max(bufferLimit, Inotify.maxEventSize))
    }

    /// The events of each kernel read as one array: fewer suspensions than ``events``.
    public var eventBatches: EventBatches {
        EventBatches(instance: self, bufferLimit: Inotify.defaultStreamBufferLimit)
    }

    /// ``eventBatches``, with the in-memory buffer bounded at `bufferLimit` bytes of kernel events.
    public func eventBatches(bufferLimit: Int) -> EventBatches {
        EventBatches(instance: self, bufferLimit: max(bufferLimit, Inotify.maxEventSize))
    }

    public struct Events: AsyncSequence, Sendable {
        public typealias Element = Event
        let instance: Inotify
        let bufferLimit: Int

        public func makeAsyncIterator() -> Iterator {
            Iterator(iteration: Iteration(instance: instance, bufferLimit: bufferLimit))
        }

        public struct Iterator: AsyncIteratorProtocol {
            let iteration: Iteration

            public mutating func next() async throws -> Event? {
                try await iteration.nextEvent(isolation: nil)
            }

            /// Runs on the caller's executor: no hop per event.
            public mutating func next(isolation actor: isolated (any Actor)?) async throws -> Event? {
                try await iteration.nextEvent(isolation: actor)
            }
        }
    }

    public struct EventBatches: AsyncSequence, Sendable {
        public typealias Element = [Event]
        let instance: Inotify
        let bufferLimit: Int

        public func makeAsyncIterator() -> Iterator {
            Iterator(iteration: Iteration(instance: instance, bufferLimit: bufferLimit))
        }

        public struct Iterator: AsyncIteratorProtocol {
            let iteration: Iteration

            public mutating func next() async throws -> [Event]? {
                try await iteration.nextBatch(isolation: nil)
            }

            /// Runs on the caller's executor: no hop per batch.
            public mutating func next(isolation actor: isolated (any Actor)?) async throws -> [Event]? {
                try await iteration.nextBatch(isolation: actor)
            }
        }
    }

    /// One pass over the stream: starts it on the first `next`, ends it at the
    /// end of the stream, on cancellation, or when the iterator goes away.
    final class Iteration {
        private let instance: Inotify
        private let bufferLimit: Int
        private var started = false
        private var finished = false
        private var current: ArraySlice<Event> = []

        init(instance: Inotify, bufferLimit: Int) {
            self.instance = instance
            self.bufferLimit = bufferLimit
        }

        deinit { finish() }

        func nextEvent(isolation actor: isolated (any Actor)?) async throws -> Event? {
            if let event = current.popFirst() { return event }
            while current.isEmpty {
                guard let batch = try await nextBatch(isolation: actor) else { return nil }
                current = batch[...]
            }
            return current.popFirst()
        }

        func nextBatch(isolation actor: isolated (any Actor)?) async throws -> [Event]? {
            if finished { return nil }
            if !started {
                started = true
                do { try instance.streamCore.begin(instance, limit: bufferLimit) } catch {
                    finished = true
                    throw error
                }
            }
            do {
                guard let batch = try await instance.streamCore.next(isolation: actor) else {
                    finish()
                    return nil
                }
                let events = try batch.decoded()
                instance.forgetIgnored(events)
                return events
            } catch {
                finish()
                throw error
            }
        }

        private func finish() {
            guard started, !finished else { return }
            finished = true
            instance.streamCore.finish(returning: current)
            current = []
        }
    }
}

extension StreamCore.Batch {
    func decoded() throws -> [Inotify.Event] {
        switch self {
        case .raw(let bytes): try Inotify.decodeEvents(bytes)
        case .events(let events): Array(events)
        }
    }
}
