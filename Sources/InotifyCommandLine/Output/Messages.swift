/// Messages inotify-tools has no words for, in one place.
enum Messages {
    static func overflow(recursive: Bool) -> String {
        "The kernel's event queue overflowed: events were lost"
            + (recursive ? "; the tree is rescanned." : ". Raise fs.inotify.max_queued_events, or read faster.")
    }

    static func rescanned(_ root: String) -> String {
        "Rescanned \(root) after the overflow: watches are current again; changes made meanwhile were not reported."
    }

    static let nothingLeft = "No watches left: every watched path was deleted or unmounted."
}
