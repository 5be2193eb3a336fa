/// What waits in a channel, in order, with its total weight: a first-in
/// first-out queue with O(1) amortised push and pop (a stream's batches can
/// number in the thousands when its consumer falls behind).
struct ChannelBuffer<Element> {
    private var front: [(Element, Int)] = []  // reversed: the next element is last
    private var back: [(Element, Int)] = []
    /// The sum of the weights of what is in the buffer.
    private(set) var weight = 0

    var isEmpty: Bool { front.isEmpty && back.isEmpty }
    var count: Int { front.count + back.count }

    mutating func append(_ element: Element, weight: Int) {
        back.append((element, weight))
        self.weight += weight
    }

    /// Puts an element back before all the others.
    mutating func pushFront(_ element: Element, weight: Int) {
        front.append((element, weight))
        self.weight += weight
    }

    mutating func popFirst() -> (element: Element, weight: Int)? {
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
    mutating func removeAll() -> [Element] {
        let all = front.reversed().map(\.0) + back.map(\.0)
        front.removeAll()
        back.removeAll()
        weight = 0
        return all
    }
}
