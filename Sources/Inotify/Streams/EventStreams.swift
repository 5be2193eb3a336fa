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
    /// second concurrent one throws ``BusyError``.
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

    /// The instance's events, one at a time.
    public struct Events: AsyncSequence, Sendable {
        /// One event at a time.
        public typealias Element = Event
        let instance: Inotify
        let bufferLimit: Int

        /// An iterator; the iteration starts on its first `next`.
        public func makeAsyncIterator() -> Iterator {
            Iterator(iteration: Iteration(instance: instance, bufferLimit: bufferLimit))
        }

        /// One pass over the events. Not `Sendable`: one task iterates.
        public struct Iterator: AsyncIteratorProtocol {
            @usableFromInline let iteration: Iteration

            init(iteration: Iteration) { self.iteration = iteration }

            /// The next event; nil once the instance is closed or the task cancelled.
            @inlinable
            public mutating func next() async throws -> Event? {
                if let event = iteration.popBuffered() { return event }
                return try await iteration.nextEvent(isolation: nil)
            }

            /// Runs on the caller's executor: no hop per event. Inlinable, so
            /// that while a batch lasts an event costs no async call at all.
            @inlinable
            public mutating func next(isolation actor: isolated (any Actor)?) async throws -> Event? {
                if let event = iteration.popBuffered() { return event }
                return try await iteration.nextEvent(isolation: actor)
            }
        }
    }

    /// The instance's events, one array per kernel read.
    public struct EventBatches: AsyncSequence, Sendable {
        /// What one read brought, in order.
        public typealias Element = [Event]
        let instance: Inotify
        let bufferLimit: Int

        /// An iterator; the iteration starts on its first `next`.
        public func makeAsyncIterator() -> Iterator {
            Iterator(iteration: Iteration(instance: instance, bufferLimit: bufferLimit))
        }

        /// One pass over the batches. Not `Sendable`: one task iterates.
        public struct Iterator: AsyncIteratorProtocol {
            let iteration: Iteration

            /// The next batch; nil once the instance is closed or the task cancelled.
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
    @usableFromInline
    final class Iteration {
        private let instance: Inotify
        private let bufferLimit: Int
        private var started = false
        private var finished = false
        /// The batch being handed out one event at a time, and the next index in it.
        @usableFromInline var current: [Event] = []
        @usableFromInline var index = 0

        init(instance: Inotify, bufferLimit: Int) {
            self.instance = instance
            self.bufferLimit = bufferLimit
        }

        deinit { finish() }

        /// The next event of the batch at hand, if any: the synchronous fast path.
        @inlinable
        func popBuffered() -> Event? {
            guard index < current.count else { return nil }
            defer { index += 1 }
            return current[index]
        }

        @usableFromInline
        func nextEvent(isolation actor: isolated (any Actor)?) async throws -> Event? {
            while index >= current.count {
                guard let batch = try await nextBatch(isolation: actor) else { return nil }
                current = batch
                index = 0
            }
            return popBuffered()
        }

        func nextBatch(isolation actor: isolated (any Actor)?) async throws -> [Event]? {
            if finished { return nil }
            if !started {
                started = true
                do {
                    try instance.stream.beginIteration(limit: bufferLimit)
                } catch {
                    finished = true
                    throw error
                }
            }
            do {
                guard let batch = try await instance.stream.next(isolation: actor) else {
                    finish()
                    return nil
                }
                instance.table?.delivered(batch.events)
                return batch.events
            } catch {
                finish()
                throw error
            }
        }

        private func finish() {
            guard started, !finished else { return }
            finished = true
            instance.stream.finishIteration(returning: current[index...])
            current = []
            index = 0
        }
    }
}

@available(*, unavailable, message: "one task iterates: hand the events on, not the iterator")
extension Inotify.Events.Iterator: Sendable {}

@available(*, unavailable, message: "one task iterates: hand the batches on, not the iterator")
extension Inotify.EventBatches.Iterator: Sendable {}
