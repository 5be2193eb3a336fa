import Inotify

/// What a `--json` record says about the stream itself rather than about a
/// file: events were lost, the tree was listed again, a watch ended, a file
/// system went, a directory could not be watched. A consumer that keeps a
/// picture of the tree must resync at each of these, so they travel in the
/// stream, in order, and not only as messages on standard error.
struct Notice {
    enum Kind: String {
        case overflow, rescanned, ignored, unmounted, unwatched
    }

    let kind: Kind
    /// Why a directory is unwatched.
    var reason: String? = nil
    /// Set for records no kernel event underlies, which have no IN_ISDIR to
    /// tell; nil takes it from the event's mask.
    var isDirectory: Bool? = nil

    /// The notice a kernel event is, if any: these three come whatever the
    /// watch's mask, and never together.
    init?(kernelMask mask: Inotify.EventMask) {
        if mask.contains(.queueOverflow) {
            kind = .overflow
        } else if mask.contains(.unmount) {
            kind = .unmounted
        } else if mask.contains(.ignored) {
            kind = .ignored
        } else {
            return nil
        }
    }

    init(_ kind: Kind, reason: String? = nil, isDirectory: Bool? = nil) {
        self.kind = kind
        self.reason = reason
        self.isDirectory = isDirectory
    }
}
