/// The rules of a ``Channel``: one producer (a thread) hands elements to one
/// async consumer at a time, in order, with a bound on what waits between them.
///
/// A pure value: each event is a `mutating func` that returns what to do
/// (resume this waiter with that, wake the producer, start one), and the
/// ``Channel`` that holds it under a lock does that after letting go of the
/// lock. So the rules are tested by calling the functions, without threads,
/// and `Waiter` is whatever stands for a suspended consumer (a continuation
/// in the channel, a number in the tests).
///
/// What it keeps apart:
/// - The consumer, in ``Consumer``: absent (no iteration; elements wait for
///   the next one), active, waiting (suspended: nothing is buffered and the
///   channel has not ended), or cancelled (its next call ends the iteration).
///   A second consumer is refused.
/// - The bound: elements carry a weight; at `limit` the producer is told
///   the channel is full and waits (``producerTurn(eventsReady:readAheadUnlessTakenSince:)``
///   says `.pause`, ``waitForRoom()`` says `.full`) until the consumer takes
///   something. What the consumer holds counts too when `countsHeldElement`
///   (a consumer that hands out a taken batch piece by piece).
/// - The turn, for a consumer that may read its next element itself rather
///   than wait for the producer to (``take(mayProduce:)`` says `.produce`):
///   one of them reads at a time, and what the producer read is in the
///   buffer before the consumer can read the next, so elements stay in
///   order. An outsider (a plain read) may take the turn and the buffer
///   while no consumer iterates.
/// - The end: the producer finished or failed (or the channel was closed);
///   the consumer gets what is buffered, then the end.
@_spi(Concurrency) public struct ChannelStateMachine<Element, Waiter> {
    /// How the element stream ends.
    public enum End: Sendable {
        /// Cleanly: the consumer's next call returns nil.
        case finished
        /// With an error, which the consumer's next call throws.
        case failed(any Error)
    }

    public enum Consumer {
        /// No iteration: elements wait for the next one.
        case absent
        /// Iterating, not suspended.
        case active
        /// Suspended until an element or the end comes.
        case waiting(Waiter)
        /// Its task was cancelled: its next call ends the iteration.
        case cancelled
    }

    /// Who reads the next element.
    public enum Turn: Equatable {
        case free
        case producer
        case consumer
        /// A reader outside any iteration (a plain read).
        case outsider
    }

    /// What the producer waits for; nil while it runs.
    public enum Park: Equatable {
        /// Room below the bound.
        case room
        /// The consumer to give back the turn.
        case turn
        /// The consumer to wait (or to end the iteration).
        case consumerWaits
        /// Events; only an end of the iteration is news to it.
        case events
    }

    /// Whether the producer runs only while a consumer iterates (a stream's
    /// reader thread), rather than for the channel's whole life.
    public let producerRunsPerIteration: Bool
    /// Whether the element the consumer took last counts against the bound
    /// until it takes the next one.
    public let countsHeldElement: Bool
    /// The bound on the weight that waits for the consumer.
    public var limit: Int

    public var consumer = Consumer.absent
    public var turn = Turn.free
    public var parked: Park?
    public var end: End?
    /// Whether a producer runs (always, unless `producerRunsPerIteration`).
    public var producerRunning: Bool
    /// How many elements the consumer has taken: a producer that holds back
    /// for a busy consumer reads ahead once this stops moving.
    public var takes = 0
    @usableFromInline var buffer = ChannelBuffer<Element>()
    /// The weight of the element the consumer holds, when counted.
    @usableFromInline var held = 0

    @inlinable public init(limit: Int, producerRunsPerIteration: Bool, countsHeldElement: Bool) {
        self.limit = max(limit, 1)
        self.producerRunsPerIteration = producerRunsPerIteration
        self.countsHeldElement = countsHeldElement
        producerRunning = !producerRunsPerIteration
    }

    /// The weight waiting in the buffer.
    @inlinable public var bufferedWeight: Int { buffer.weight }
    /// How many elements wait in the buffer.
    @inlinable public var bufferedCount: Int { buffer.count }
    /// Whether the producer must wait for room.
    @inlinable public var isFull: Bool { buffer.weight + held >= limit }

    // MARK: Consumer

    public enum BeginAction: Equatable {
        /// Another consumer iterates, or an outsider reads.
        case refuse
        /// The iteration begins; start a producer, or wake the running one
        /// so that it sees the consumer (and the limit) anew.
        case begin(startProducer: Bool, wakeProducer: Bool)
    }

    /// A consumer starts iterating, with a bound of its own if `limit` is given.
    @inlinable public mutating func beginIteration(limit: Int? = nil) -> BeginAction {
        guard case .absent = consumer, turn != .outsider else { return .refuse }
        consumer = .active
        if let limit { self.limit = max(limit, 1) }
        if !producerRunning {
            // A producer per iteration: a new one starts afresh, whatever
            // ended the last.
            producerRunning = true
            end = nil
            return .begin(startProducer: true, wakeProducer: false)
        }
        return .begin(startProducer: false, wakeProducer: unpark { _ in true })
    }

    public enum TakeAction {
        /// The next element.
        case element(Element, wakeProducer: Bool)
        /// The end (nil: the consumer was cancelled).
        case end(End?, wakeProducer: Bool)
        /// Nothing is buffered and the turn is the consumer's: it reads its
        /// next element itself, then calls ``releaseTurn(produced:)``.
        case produce(wakeProducer: Bool)
        /// Nothing yet: the consumer suspends (``suspend(_:)``).
        case none(wakeProducer: Bool)
    }

    /// The consumer asks for its next element without suspending.
    @inlinable public mutating func take(mayProduce: Bool) -> TakeAction {
        precondition(isIterating, "take() outside an iteration")
        if case let (element, wake)? = popBuffered() { return .element(element, wakeProducer: wake) }
        let wake = releaseHeld()
        if let end { return .end(end, wakeProducer: wake) }
        if case .cancelled = consumer { return .end(nil, wakeProducer: wake) }
        if mayProduce, turn == .free {
            turn = .consumer
            return .produce(wakeProducer: wake)
        }
        return .none(wakeProducer: wake)
    }

    /// The consumer has read (`produced`: and kept) its own element; the turn
    /// is free again. Returns whether to wake the producer.
    @inlinable public mutating func releaseTurn(produced: Bool) -> Bool {
        precondition(turn == .consumer, "releaseTurn() without the turn")
        turn = .free
        if produced { takes += 1 }
        return unpark { $0 == .turn }
    }

    public enum SuspendAction {
        /// Resume the waiter at once with this outcome.
        case resume(Waiter, Outcome, wakeProducer: Bool)
        /// The waiter waits; the producer (or the end) resumes it.
        case wait(wakeProducer: Bool)
    }

    /// What a suspended consumer is resumed with.
    public enum Outcome {
        case element(Element)
        /// The end (nil: the consumer was cancelled).
        case end(End?)
    }

    /// The consumer suspends, unless something is there for it already.
    @inlinable public mutating func suspend(_ waiter: Waiter) -> SuspendAction {
        precondition(isIterating, "suspend() outside an iteration")
        if case let (element, wake)? = popBuffered() { return .resume(waiter, .element(element), wakeProducer: wake) }
        let wakeForRoom = releaseHeld()
        if let end { return .resume(waiter, .end(end), wakeProducer: wakeForRoom) }
        if case .cancelled = consumer { return .resume(waiter, .end(nil), wakeProducer: wakeForRoom) }
        consumer = .waiting(waiter)
        // A producer holding back for a busy consumer reads now.
        let wakeToRead = unpark { $0 == .consumerWaits }
        return .wait(wakeProducer: wakeToRead || wakeForRoom)
    }

    /// The consumer's task was cancelled; returns the waiter to resume (with
    /// nil) if it was suspended.
    @inlinable public mutating func cancel() -> Waiter? {
        switch consumer {
        case .waiting(let waiter):
            consumer = .cancelled
            return waiter
        case .active:
            consumer = .cancelled
            return nil
        case .absent, .cancelled:
            return nil
        }
    }

    /// The iteration ends. What it took and did not hand out goes back to the
    /// front, for the next iteration. Returns whether to wake the producer
    /// (to stop, when it runs per iteration).
    @inlinable public mutating func finishIteration(returning leftover: Element?, weight: Int) -> Bool {
        if case .waiting = consumer { preconditionFailure("finishIteration() while the consumer waits") }
        consumer = .absent
        held = 0
        if let leftover { buffer.pushFront(leftover, weight: weight) }
        if turn == .consumer { turn = .free }
        return unpark { _ in true }
    }

    /// A plain read, outside any iteration, takes the turn and whatever is
    /// buffered (it comes before anything newer); nil while a consumer
    /// iterates or another reads.
    @inlinable public mutating func takeAllForOutsider() -> [Element]? {
        guard case .absent = consumer, turn == .free else { return nil }
        turn = .outsider
        return buffer.removeAll()
    }

    /// The plain read is done.
    @inlinable public mutating func releaseOutsider() {
        precondition(turn == .outsider, "releaseOutsider() without the turn")
        turn = .free
    }

    // MARK: Producer

    public enum ProducerAction: Equatable {
        /// No one iterates: the producer ends (it runs per iteration).
        case stop
        /// The bound is reached: wait for a wake-up.
        case pause
        /// Wait for events (or a wake-up), then ask again with `eventsReady`.
        case awaitEvents
        /// The consumer is reading: wait for a wake-up.
        case waitForTurn
        /// The consumer is busy: wait a little (or for a wake-up), then ask
        /// again with this count of takes; if it has not moved, the consumer
        /// is slow, and the producer reads ahead into the buffer.
        case holdBack(takes: Int)
        /// The turn is the producer's: read, then ``send(_:weight:)`` or
        /// ``releaseProducerTurn()``.
        case produce
    }

    /// A producer that reads only when it should (a stream's reader thread)
    /// asks what to do next. It reads when the consumer waits for it, or,
    /// when the consumer is busy, once the consumer has taken nothing for a
    /// while (`readAheadUnlessTakenSince` is the count of takes it saw then):
    /// a consumer that keeps up reads for itself, with no thread hop.
    @inlinable public mutating func producerTurn(eventsReady: Bool, readAheadUnlessTakenSince mark: Int?) -> ProducerAction {
        parked = nil
        if producerRunsPerIteration, case .absent = consumer {
            // Decided here, under the channel's lock, so a new iteration
            // either sees this producer running and keeps it, or sees it
            // gone and starts another.
            producerRunning = false
            return .stop
        }
        if isFull { return park(.room, .pause) }
        if !eventsReady { return park(.events, .awaitEvents) }
        if turn != .free { return park(.turn, .waitForTurn) }
        switch consumer {
        case .waiting:
            turn = .producer
            return .produce
        case .active where mark == takes:
            turn = .producer
            return .produce
        case .active, .cancelled, .absent:
            return park(.consumerWaits, .holdBack(takes: takes))
        }
    }

    /// A producer that never waits for a turn (the tree's thread) asks
    /// before it sends whether there is room.
    public enum RoomAction: Equatable {
        case room
        /// Wait for a wake-up, then ask again.
        case full
        /// The channel has ended: stop producing.
        case ended
    }

    @inlinable public mutating func waitForRoom() -> RoomAction {
        if end != nil { return .ended }
        if isFull { return park(.room, .full) }
        return .room
    }

    public enum SendAction {
        /// The consumer waited for it: resume it with the element.
        case resume(Waiter, Element)
        case buffered
        /// The channel has ended: the element is dropped; stop producing.
        case dropped
    }

    /// The producer hands over an element (and gives back the turn, if it
    /// had it). Accepted even past the bound: what was read is never lost.
    @inlinable public mutating func send(_ element: Element, weight: Int) -> SendAction {
        if turn == .producer { turn = .free }
        if end != nil { return .dropped }
        if case .waiting(let waiter) = consumer {
            consumer = .active
            takes += 1
            if countsHeldElement { held = weight }
            return .resume(waiter, element)
        }
        buffer.append(element, weight: weight)
        return .buffered
    }

    /// The producer read nothing: the turn is free again.
    @inlinable public mutating func releaseProducerTurn() {
        if turn == .producer { turn = .free }
    }

    public struct FinishAction {
        /// A waiting consumer to resume with the end.
        public var resume: (Waiter, End)?
        public var wakeProducer: Bool

        @inlinable public init(resume: (Waiter, End)?, wakeProducer: Bool) {
            self.resume = resume
            self.wakeProducer = wakeProducer
        }
    }

    /// The element stream ends: the producer finished or failed, or the
    /// channel was closed from outside. The first end counts. A producer
    /// that waits for room is woken to see it.
    @inlinable public mutating func finish(_ end: End) -> FinishAction {
        if self.end == nil { self.end = end }
        if producerRunsPerIteration { producerRunning = false }
        var action = FinishAction(resume: nil, wakeProducer: unpark { _ in true })
        if case .waiting(let waiter) = consumer {
            consumer = .active
            action.resume = (waiter, self.end!)
        }
        return action
    }

    // MARK: Internals

    @inlinable var isIterating: Bool {
        switch consumer {
        case .active, .cancelled: true
        case .absent, .waiting: false
        }
    }

    /// The first buffered element, taken by the consumer, and whether taking
    /// it makes room for a producer that waits for some.
    @inlinable mutating func popBuffered() -> (Element, Bool)? {
        let wasFull = isFull
        guard case let (element, weight)? = buffer.popFirst() else { return nil }
        held = countsHeldElement ? weight : 0
        takes += 1
        return (element, madeRoom(wasFull: wasFull))
    }

    /// The consumer came back for more: what it held is handed out. Whether
    /// that makes room for a producer that waits for some.
    @inlinable mutating func releaseHeld() -> Bool {
        guard held > 0 else { return false }
        let wasFull = isFull
        held = 0
        return madeRoom(wasFull: wasFull)
    }

    /// Whether the bound, reached before, is not now, for a producer parked
    /// until it is; if so the producer is un-parked, and the caller wakes it.
    @inlinable mutating func madeRoom(wasFull: Bool) -> Bool {
        guard wasFull && !isFull else { return false }
        return unpark { $0 == .room }
    }

    @inlinable mutating func park<Action>(_ reason: Park, _ action: Action) -> Action {
        parked = reason
        return action
    }

    /// Whether the producer is parked for a reason that `matches`; if so it
    /// is un-parked, and the caller wakes it.
    @inlinable mutating func unpark(_ matches: (Park) -> Bool) -> Bool {
        guard let parked, matches(parked) else { return false }
        self.parked = nil
        return true
    }
}
