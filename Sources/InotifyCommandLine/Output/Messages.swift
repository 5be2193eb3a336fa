import InotifyTree

/// Messages inotify-tools has no words for, in one place.
enum Messages {
    static func overflow(recursive: Bool, backend: Backend = .inotify) -> String {
        "The kernel's event queue overflowed: events were lost"
            + (recursive ? "; the tree is rescanned." : ". Raise fs.\(backend == .inotify ? "inotify" : "fanotify")"
                + ".max_queued_events, or read faster.")
    }

    /// fanotify asked for with -r, and the tree watched with inotify.
    static func treeWithInotify(_ root: String, reason: String) -> String {
        "Watching \(root) with inotify: \(reason)."
    }

    /// What to do when the kernel refuses fanotify.
    static let fanotifyNeedsPrivilege =
        "fanotify needs CAP_SYS_ADMIN for this (a filesystem mark, -S, always): run as root, or pass -I to use inotify."

    /// Said once, unprivileged: the directories outside the watched ones
    /// are named from their handles, which open_by_handle_at(2) opens only
    /// with CAP_DAC_READ_SEARCH.
    static let fanotifyUnnamedDirectory =
        "Events in directories other than the watched ones are printed without their directory (an empty %w): "
            + "naming one from its handle needs CAP_DAC_READ_SEARCH; run as root, or pass -I to use inotify."

    static func rescanned(_ root: String) -> String {
        "Rescanned \(root) after the overflow: watches are current again; changes made meanwhile were not reported."
    }

    static let nothingLeft = "No watches left: every watched path was deleted or unmounted."

    /// inotifywait watches a file of /proc without a word, and waits for
    /// changes that never come.
    static func procFile(_ path: String) -> String {
        "Warning: \(path) is on /proc (procfs): inotify reports only what processes do to it "
            + "(open, read, write, close), never the kernel changing what it reads."
    }
}

extension Diagnostics {
    /// Says what a tree change that has no event line means (an overflow, the
    /// rescan after it, a directory left unwatched); false for any other change.
    func notice(_ change: Change, root: [UInt8], verb: String) -> Bool {
        switch change.kind {
        case .overflow: say(Messages.overflow(recursive: true))
        case .rescanned: say(Messages.rescanned(display(root)))
        case .unwatched(let reason): say("\(verb) \(display(root))/\(change.path): \(reason)")
        case .ignoreProblem(let problem): say("\(problem)")
        default: return false
        }
        return true
    }
}
