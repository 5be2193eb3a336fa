/// A first-in first-out queue with O(1) amortised push and pop: the stream's
/// pending chunks can number in the thousands when a consumer falls behind.
struct FIFO<Element> {
    private var front: [Element] = []  // reversed: the next element is last
    private var back: [Element] = []

    var isEmpty: Bool { front.isEmpty && back.isEmpty }

    mutating func append(_ element: Element) { back.append(element) }

    mutating func pushFront(_ element: Element) { front.append(element) }

    mutating func popFirst() -> Element? {
        if front.isEmpty {
            front = back.reversed()
            back.removeAll(keepingCapacity: true)
        }
        return front.popLast()
    }
}
