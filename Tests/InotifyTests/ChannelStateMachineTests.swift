@_spi(Concurrency) @testable import Inotify
import Testing
import InotifyTestLanes

/// The channel's rules, driven transition by transition: no thread, no
/// continuation, no kernel. A waiter is a number.
@Suite("The channel's state machine", .inBlockingLane)
struct ChannelStateMachineTests {
    typealias Machine = ChannelStateMachine<String, Int>

    /// A producer for the whole channel's life, as the tree's thread is.
    func lifelong(limit: Int = 10, countsHeld: Bool = false) -> Machine {
        Machine(limit: limit, producerRunsPerIteration: false, countsHeldElement: countsHeld)
    }

    /// A producer that runs while an iteration does, as a stream's reader thread.
    func perIteration(limit: Int = 10) -> Machine {
        Machine(limit: limit, producerRunsPerIteration: true, countsHeldElement: false)
    }

    func taken(_ action: Machine.TakeAction) -> String? {
        if case .element(let element, _) = action { return element }
        return nil
    }

    @Test("a waiting consumer is resumed by the next send, with that element")
    func sendResumesWaiter() {
        var machine = lifelong()
        #expect(machine.beginIteration() == .begin(startProducer: false, wakeProducer: false))
        guard case .none = machine.take(mayProduce: false) else { Issue.record("took from an empty channel"); return }
        guard case .wait = machine.suspend(7) else { Issue.record("did not suspend"); return }
        guard case .resume(let waiter, let element) = machine.send("a", weight: 1) else {
            Issue.record("the send did not resume the waiter")
            return
        }
        #expect(waiter == 7 && element == "a")
        guard case .active = machine.consumer else { Issue.record("not active after resuming"); return }
        #expect(machine.bufferedCount == 0)
    }

    @Test("elements sent while no one iterates wait, in order, for the next iteration; leftovers go back to the front")
    func bufferAcrossIterations() {
        var machine = lifelong()
        for element in ["a", "b", "c"] {
            guard case .buffered = machine.send(element, weight: 1) else { Issue.record("not buffered"); return }
        }
        _ = machine.beginIteration()
        #expect(taken(machine.take(mayProduce: false)) == "a")
        #expect(machine.finishIteration(returning: "a-rest", weight: 1) == false)
        _ = machine.beginIteration()
        #expect(taken(machine.take(mayProduce: false)) == "a-rest")
        #expect(taken(machine.take(mayProduce: false)) == "b")
        #expect(taken(machine.take(mayProduce: false)) == "c")
        #expect(machine.takes == 4)
    }

    @Test("a second consumer is refused until the first finishes; an outsider is refused while one iterates")
    func oneConsumerAtATime() {
        var machine = lifelong()
        #expect(machine.beginIteration() != .refuse)
        #expect(machine.beginIteration() == .refuse)
        #expect(machine.takeAllForOutsider() == nil)
        _ = machine.finishIteration(returning: nil, weight: 0)
        _ = machine.send("kept", weight: 1)
        #expect(machine.takeAllForOutsider() == ["kept"])
        #expect(machine.beginIteration() == .refuse, "an outsider reads")
        machine.releaseOutsider()
        #expect(machine.beginIteration() != .refuse)
    }

    @Test("cancelling a waiting consumer hands back its waiter to resume with the end; its next take ends the iteration")
    func cancellationWhileWaiting() {
        var machine = lifelong()
        _ = machine.beginIteration()
        _ = machine.suspend(3)
        #expect(machine.cancel() == 3)
        #expect(machine.cancel() == nil, "cancelled once")
        guard case .end(nil, _) = machine.take(mayProduce: true) else { Issue.record("the iteration did not end"); return }
        _ = machine.finishIteration(returning: nil, weight: 0)
        #expect(machine.beginIteration() != .refuse, "a new iteration may begin")
        guard case .none = machine.take(mayProduce: false) else { Issue.record("the new iteration is cancelled"); return }
    }

    @Test("a cancellation that comes before the consumer suspends ends the suspension at once")
    func cancellationBeforeSuspending() {
        var machine = lifelong()
        _ = machine.beginIteration()
        #expect(machine.cancel() == nil)
        guard case .resume(9, .end(nil), _) = machine.suspend(9) else { Issue.record("the waiter waits"); return }
    }

    @Test("the end comes after what is buffered; a failure is the end's error; sends after it are dropped")
    func endAfterBuffer() {
        struct Failure: Error {}
        var machine = lifelong()
        _ = machine.beginIteration()
        _ = machine.send("last", weight: 1)
        let finish = machine.finish(.failed(Failure()))
        #expect(finish.resume == nil && !finish.wakeProducer)
        guard case .dropped = machine.send("late", weight: 1) else { Issue.record("sent after the end"); return }
        #expect(taken(machine.take(mayProduce: true)) == "last")
        guard case .end(.failed(let error)?, _) = machine.take(mayProduce: true) else { Issue.record("no failure"); return }
        #expect(error is Failure)
        #expect(machine.waitForRoom() == .ended)
    }

    @Test("the end resumes a waiting consumer")
    func endResumesWaiter() {
        var machine = lifelong()
        _ = machine.beginIteration()
        _ = machine.suspend(5)
        let finish = machine.finish(.finished)
        guard case (5, .finished)? = finish.resume else { Issue.record("the waiter was not resumed"); return }
    }

    @Test("at the bound the producer is told so, and the take that makes room wakes it")
    func boundPausesProducer() {
        var machine = perIteration(limit: 3)
        #expect(machine.beginIteration() == .begin(startProducer: true, wakeProducer: false))
        _ = machine.send("two", weight: 2)
        _ = machine.send("two more", weight: 2)
        #expect(machine.isFull)
        #expect(machine.producerTurn(eventsReady: true, readAheadUnlessTakenSince: nil) == .pause)
        guard case .element("two", wakeProducer: true) = machine.take(mayProduce: true) else {
            Issue.record("the take that made room did not wake the producer")
            return
        }
        #expect(!machine.isFull)
        guard case .element(_, wakeProducer: false) = machine.take(mayProduce: true) else {
            Issue.record("woken twice")
            return
        }
    }

    @Test("a producer that waits for room is told when there is, and by the end")
    func waitForRoom() {
        var machine = lifelong(limit: 2)
        #expect(machine.waitForRoom() == .room)
        _ = machine.send("a", weight: 1)
        _ = machine.send("b", weight: 1)
        #expect(machine.waitForRoom() == .full)
        #expect(machine.parked == .room)
        let finish = machine.finish(.finished)
        #expect(finish.wakeProducer)
        #expect(machine.waitForRoom() == .ended)
    }

    @Test("with countsHeldElement, what the consumer took counts until it comes back for more")
    func heldElementCounts() {
        var machine = lifelong(limit: 3, countsHeld: true)
        _ = machine.beginIteration()
        _ = machine.send("three", weight: 3)
        #expect(machine.waitForRoom() == .full)
        guard case .element("three", wakeProducer: false) = machine.take(mayProduce: false) else {
            Issue.record("the consumer's batch in hand was not counted")
            return
        }
        #expect(machine.isFull && machine.bufferedWeight == 0)
        guard case .none(wakeProducer: true) = machine.take(mayProduce: false) else {
            Issue.record("coming back for more did not make room")
            return
        }
        #expect(!machine.isFull)
    }

    @Test("the turn: a consumer reading for itself keeps the producer waiting, and wakes it when done")
    func consumerTurn() {
        var machine = perIteration()
        _ = machine.beginIteration()
        guard case .produce = machine.take(mayProduce: true) else { Issue.record("no turn for the consumer"); return }
        #expect(machine.producerTurn(eventsReady: true, readAheadUnlessTakenSince: nil) == .waitForTurn)
        let wakes = machine.releaseTurn(produced: true)
        #expect(wakes)
        #expect(machine.takes == 1)
        #expect(machine.producerTurn(eventsReady: true, readAheadUnlessTakenSince: nil) == .holdBack(takes: 1))
    }

    @Test("the turn: while the producer reads, the consumer suspends, and what the producer read comes first")
    func producerTurnKeepsOrder() {
        var machine = perIteration()
        _ = machine.beginIteration()
        _ = machine.suspend(1)
        #expect(machine.producerTurn(eventsReady: true, readAheadUnlessTakenSince: nil) == .produce)
        guard case .resume(1, "first") = machine.send("first", weight: 1) else { Issue.record("not handed over"); return }
        #expect(machine.turn == .free)
        #expect(machine.producerTurn(eventsReady: true, readAheadUnlessTakenSince: 1) == .produce, "reads ahead")
        guard case .none = machine.take(mayProduce: true) else { Issue.record("the consumer read while the producer did"); return }
        _ = machine.send("second", weight: 1)
        #expect(taken(machine.take(mayProduce: true)) == "second")
    }

    @Test("a producer holding back for a busy consumer is woken when it waits, and reads ahead once takes stop moving")
    func holdBackThenReadAhead() {
        var machine = perIteration()
        _ = machine.beginIteration()
        #expect(machine.producerTurn(eventsReady: false, readAheadUnlessTakenSince: nil) == .awaitEvents)
        #expect(machine.producerTurn(eventsReady: true, readAheadUnlessTakenSince: nil) == .holdBack(takes: 0))
        // The consumer took something meanwhile: hold back again.
        _ = machine.take(mayProduce: true)
        #expect(machine.releaseTurn(produced: true) == false)
        #expect(machine.producerTurn(eventsReady: true, readAheadUnlessTakenSince: 0) == .holdBack(takes: 1))
        // It took nothing since: it is slow, read ahead.
        #expect(machine.producerTurn(eventsReady: true, readAheadUnlessTakenSince: 1) == .produce)
        machine.releaseProducerTurn()
        // Held back again, then the consumer comes to wait: wake the producer.
        #expect(machine.producerTurn(eventsReady: true, readAheadUnlessTakenSince: nil) == .holdBack(takes: 1))
        guard case .wait(wakeProducer: true) = machine.suspend(4) else { Issue.record("the producer was not woken"); return }
    }

    @Test("a producer per iteration stops when the iteration finishes; the next iteration starts another, with no old end")
    func producerPerIteration() {
        var machine = perIteration()
        _ = machine.beginIteration()
        #expect(machine.producerTurn(eventsReady: false, readAheadUnlessTakenSince: nil) == .awaitEvents)
        let wakes = machine.finishIteration(returning: nil, weight: 0)
        #expect(wakes, "the parked producer is woken to stop")
        #expect(machine.producerTurn(eventsReady: false, readAheadUnlessTakenSince: nil) == .stop)
        #expect(!machine.producerRunning)
        #expect(machine.beginIteration() == .begin(startProducer: true, wakeProducer: false))
        _ = machine.finish(.finished)
        _ = machine.finishIteration(returning: nil, weight: 0)
        #expect(machine.beginIteration() == .begin(startProducer: true, wakeProducer: false))
        guard case .none = machine.take(mayProduce: false) else { Issue.record("the old end stuck"); return }
    }

    @Test("an iteration that begins while the last one's producer still runs keeps it, and wakes it")
    func beginKeepsRunningProducer() {
        var machine = perIteration()
        _ = machine.beginIteration()
        _ = machine.finishIteration(returning: nil, weight: 0)
        #expect(machine.beginIteration() == .begin(startProducer: false, wakeProducer: false))
        #expect(machine.producerTurn(eventsReady: false, readAheadUnlessTakenSince: nil) == .awaitEvents)
        _ = machine.finishIteration(returning: nil, weight: 0)
        #expect(machine.beginIteration() == .begin(startProducer: false, wakeProducer: false), "woken by the finish already")
    }
}
