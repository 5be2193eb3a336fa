/// A first-in first-out queue with O(1) amortised push and pop: the stream's
/// pending batches can number in the thousands when a consumer falls behind.
package struct FIFO<Element> {
    private var front: [Element] = []  // reversed: the next element is last
    private var back: [Element] = []

    package init() {}

    package var isEmpty: Bool { front.isEmpty && back.isEmpty }

    package mutating func append(_ element: Element) { back.append(element) }

    package mutating func pushFront(_ element: Element) { front.append(element) }

    package mutating func popFirst() -> Element? {
        if front.isEmpty {
            front = back.reversed()
            back.removeAll(keepingCapacity: true)
        }
        return front.popLast()
    }
}
