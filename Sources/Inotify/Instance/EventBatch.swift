/// The events of one kernel read, and how many of the kernel's bytes they
/// came from: what a stream hands over at once, and the measure of its
/// memory bound.
struct EventBatch: Sendable {
    var events: [Inotify.Event]
    var byteCount: Int

    init(events: [Inotify.Event], byteCount: Int) {
        self.events = events
        self.byteCount = byteCount
    }

    /// Events handed back undelivered; their size is what the kernel sent.
    init(undelivered events: ArraySlice<Inotify.Event>) {
        self.events = Array(events)
        self.byteCount = events.reduce(0) { $0 + Inotify.eventHeaderSize + Int($1.len) }
    }
}
