/// What waits in a channel, in order, with its total weight: a first-in
/// first-out queue with O(1) amortised push and pop (a stream's batches can
/// number in the thousands when its consumer falls behind).
@usableFromInline
struct ChannelBuffer<Element> {
    @inlinable init() {}

    @usableFromInline var front: [(Element, Int)] = []  // reversed: the next element is last
    @usableFromInline var back: [(Element, Int)] = []
    /// The sum of the weights of what is in the buffer.
    @usableFromInline var weight = 0

    @inlinable var isEmpty: Bool { front.isEmpty && back.isEmpty }
    @inlinable var count: Int { front.count + back.count }

    @inlinable mutating func append(_ element: Element, weight: Int) {
        back.append((element, weight))
        self.weight += weight
    }

    /// Puts an element back before all the others.
    @inlinable mutating func pushFront(_ element: Element, weight: Int) {
        front.append((element, weight))
        self.weight += weight
    }

    @inlinable mutating func popFirst() -> (element: Element, weight: Int)? {
        if front.isEmpty {
            if back.isEmpty { return nil }
            front = back.reversed()
            back.removeAll(keepingCapacity: true)
        }
        guard case let (element, weight)? = front.popLast() else { return nil }
        self.weight -= weight
        return (element, weight)
    }

    /// Everything, in order; the buffer is empty afterwards.
    @inlinable mutating func removeAll() -> [Element] {
        let all = front.reversed().map(\.0) + back.map(\.0)
        front.removeAll()
        back.removeAll()
        weight = 0
        return all
    }
}
