/// A single-consumer channel from a thread to an async consumer: the
/// ``ChannelStateMachine`` under a lock. Each call runs one transition under
/// the lock, then does what it returned (resume a continuation, wake the
/// producer) after letting go of it.
///
/// The producer is woken through `wakeProducer`, given by the user: it writes
/// to an eventfd a reader thread polls, or posts a semaphore the producer
/// waits on. The consumer suspends on a continuation; cancelling its task
/// ends its iteration at once.
///
/// Public under the `Concurrency` SPI (`@_spi(Concurrency) import Inotify`),
/// not `package`, and `@inlinable` with its state machine: the tree's
/// channel is a `Channel<[Change]>` in another module, and there generic
/// code that cannot be specialized looks up its type metadata at run time on
/// every call (19% of a churning tree watcher's CPU, by perf). The bodies of
/// `package` declarations are not made available for inlining across
/// modules; those of (SPI) public ones are.
@_spi(Concurrency) public final class Channel<Element: Sendable>: Sendable {
    public typealias Machine = ChannelStateMachine<Element, CheckedContinuation<Element?, any Swift.Error>>
    public typealias End = Machine.End

    @usableFromInline let machine: Lock<Machine>
    @usableFromInline let wakeProducer: @Sendable () -> Void
    /// What a second consumer is told another task iterates.
    @usableFromInline let subject: String

    /// A channel bounded at `limit` (see ``ChannelStateMachine`` for the
    /// other two choices); `subject` names what it carries in a
    /// ``Inotify/BusyError``.
    public init(
        subject: String, limit: Int, producerRunsPerIteration: Bool, countsHeldElement: Bool,
        wakeProducer: @escaping @Sendable () -> Void
    ) {
        self.subject = subject
        self.wakeProducer = wakeProducer
        machine = Lock(Machine(
            limit: limit, producerRunsPerIteration: producerRunsPerIteration, countsHeldElement: countsHeldElement))
    }

    // MARK: Consumer

    /// Starts an iteration; true when the caller is to start a producer.
    /// Throws ``Inotify/BusyError`` while another iterates.
    @inlinable public func beginIteration(limit: Int? = nil) throws(Inotify.BusyError) -> Bool {
        switch machine.withLock({ $0.beginIteration(limit: limit) }) {
        case .refuse:
            throw Inotify.BusyError(subject: subject)
        case .begin(let startProducer, let wake):
            if wake { wakeProducer() }
            return startProducer
        }
    }

    /// What ``take(mayProduce:)`` found.
    public enum Take {
        case element(Element)
        /// The iteration is over: the channel ended cleanly or the task was cancelled.
        case ended
        /// The turn is the consumer's: it reads its next element itself, then
        /// calls ``releaseTurn(produced:)``.
        case produce
        /// Nothing yet: ``wait(isolation:)``.
        case none
    }

    /// The next element, without suspending; throws the producer's failure.
    @inlinable public func take(mayProduce: Bool) throws -> Take {
        switch machine.withLock({ $0.take(mayProduce: mayProduce) }) {
        case .element(let element, let wake):
            if wake { wakeProducer() }
            return .element(element)
        case .end(let end, let wake):
            if wake { wakeProducer() }
            if case .failed(let error) = end { throw error }
            return .ended
        case .produce(let wake):
            if wake { wakeProducer() }
            return .produce
        case .none(let wake):
            if wake { wakeProducer() }
            return .none
        }
    }

    /// The consumer has read its own element (`produced`) or found nothing.
    @inlinable public func releaseTurn(produced: Bool) {
        if machine.withLock({ $0.releaseTurn(produced: produced) }) { wakeProducer() }
    }

    /// Suspends until the next element (nil: the end, or the task was
    /// cancelled); throws the producer's failure.
    @inlinable public func wait(isolation actor: isolated (any Actor)? = #isolation) async throws -> Element? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation(isolation: actor) { continuation in
                switch machine.withLock({ $0.suspend(continuation) }) {
                case .resume(let waiter, let outcome, let wake):
                    if wake { wakeProducer() }
                    Channel.resume(waiter, with: outcome)
                case .wait(let wake):
                    if wake { wakeProducer() }
                }
            }
        } onCancel: {
            machine.withLock { $0.cancel() }?.resume(returning: nil)
        }
    }

    /// The next element, suspending if none is there; nil at the end or once
    /// the task is cancelled.
    @inlinable public func next(isolation actor: isolated (any Actor)? = #isolation) async throws -> Element? {
        switch try take(mayProduce: false) {
        case .element(let element): return element
        case .ended: return nil
        case .produce, .none: return try await wait(isolation: actor)
        }
    }

    /// Ends the iteration; `leftover` (of `weight`) goes back to the front.
    @inlinable public func finishIteration(returning leftover: Element? = nil, weight: Int = 0) {
        if machine.withLock({ $0.finishIteration(returning: leftover, weight: weight) }) { wakeProducer() }
    }

    /// Takes the turn and everything buffered, for a read outside any
    /// iteration; nil while one runs or another reads.
    @inlinable public func takeAllForOutsider() -> [Element]? {
        machine.withLock { $0.takeAllForOutsider() }
    }

    /// Ends a read outside any iteration.
    @inlinable public func releaseOutsider() {
        machine.withLock { $0.releaseOutsider() }
    }

    /// The weight of what waits in the buffer.
    @inlinable public var bufferedWeight: Int {
        machine.withLock { $0.bufferedWeight }
    }

    /// Whether the element stream has ended (sends are dropped from now on).
    @inlinable public var hasEnded: Bool {
        machine.withLock { $0.end != nil }
    }

    // MARK: Producer

    /// What the producer does next (see ``ChannelStateMachine/producerTurn(eventsReady:readAheadUnlessTakenSince:)``).
    @inlinable public func producerTurn(eventsReady: Bool, readAheadUnlessTakenSince mark: Int?) -> Machine.ProducerAction {
        machine.withLock { $0.producerTurn(eventsReady: eventsReady, readAheadUnlessTakenSince: mark) }
    }

    /// Whether there is room for the next send.
    @inlinable public func waitForRoom() -> Machine.RoomAction {
        machine.withLock { $0.waitForRoom() }
    }

    /// Hands over an element; false once the channel has ended (stop producing).
    @discardableResult
    @inlinable public func send(_ element: Element, weight: Int) -> Bool {
        switch machine.withLock({ $0.send(element, weight: weight) }) {
        case .resume(let waiter, let element):
            waiter.resume(returning: element)
            return true
        case .buffered:
            return true
        case .dropped:
            return false
        }
    }

    /// The producer read nothing.
    @inlinable public func releaseProducerTurn() {
        machine.withLock { $0.releaseProducerTurn() }
    }

    /// Ends the element stream after what is buffered; the first end counts.
    @inlinable public func finish(_ end: End) {
        let action = machine.withLock { $0.finish(end) }
        if action.wakeProducer { wakeProducer() }
        if case let (waiter, end)? = action.resume { Channel.resume(waiter, with: .end(end)) }
    }

    @inlinable static func resume(_ waiter: CheckedContinuation<Element?, any Swift.Error>, with outcome: Machine.Outcome) {
        switch outcome {
        case .element(let element): waiter.resume(returning: element)
        case .end(.failed(let error)): waiter.resume(throwing: error)
        case .end(.finished), .end(nil): waiter.resume(returning: nil)
        }
    }
}
