import Inotify

/// inotify's event bits and fanotify's that mean the same, as inotify-tools 4
/// reads a fanotify event's mask as an inotify one: the twelve events have
/// the same values in both, fanotify's queue overflow is inotify's, and
/// `FAN_ONDIR` is `IN_ISDIR`. So `-e` names, `%e` and the tables work alike.
enum FanotifyMask {
    private static let pairs: [(inotify: Inotify.EventMask, fanotify: Fanotify.EventMask)] = [
        (.access, .access), (.modify, .modify), (.attrib, .attrib), (.closeWrite, .closeWrite),
        (.closeNoWrite, .closeNoWrite), (.open, .open), (.movedFrom, .movedFrom), (.movedTo, .movedTo),
        (.create, .create), (.delete, .delete), (.deleteSelf, .deleteSelf), (.moveSelf, .moveSelf),
        (.queueOverflow, .queueOverflow), (.isDir, .onDir),
    ]

    /// The events of `mask` that fanotify has, for a mark: `-e unmount`
    /// asks for nothing, as fanotify never tells of an unmount.
    static func marking(_ mask: Inotify.EventMask) -> Fanotify.EventMask {
        var marked: Fanotify.EventMask = []
        for pair in pairs where mask.contains(pair.inotify) && pair.inotify != .queueOverflow {
            marked.insert(pair.fanotify)
        }
        return marked
    }

    /// An event's mask as inotify-tools prints it.
    static func printed(_ mask: Fanotify.EventMask) -> Inotify.EventMask {
        var printed: Inotify.EventMask = []
        for pair in pairs where mask.contains(pair.fanotify) { printed.insert(pair.inotify) }
        return printed
    }
}
