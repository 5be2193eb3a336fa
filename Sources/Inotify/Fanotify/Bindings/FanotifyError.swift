import CInotify
import SystemPackage

extension Fanotify {
    /// A failed fanotify operation, in the shape of ``Inotify/Error``: what
    /// was attempted, on which path or value, the kernel's answer as an
    /// `Errno`, and what to do about it.
    public struct Error: Swift.Error, Sendable, Hashable, CustomStringConvertible {
        /// The operation, named after its C function.
        public enum Operation: String, Sendable, Hashable {
            /// Making a group: `fanotify_init`.
            case initialize = "fanotify_init"
            /// Adding, removing or flushing marks: `fanotify_mark`.
            case mark = "fanotify_mark"
            /// Reading events, or waiting for them: `read`.
            case read = "read"
            /// Closing the group's descriptor, or an event's: `close`.
            case close = "close"
            /// Opening a file handle: `open_by_handle_at`.
            case openByHandle = "open_by_handle_at"
            /// Making a file handle of a path: `name_to_handle_at`.
            case nameToHandle = "name_to_handle_at"
            /// Reading the path of an open descriptor: `readlink`.
            case readLink = "readlink"
            /// Reading event names: ``EventMask/init(parsing:)``.
            case parse = "parse"
        }

        /// What was attempted.
        public let operation: Operation
        /// The kernel's answer (or the one it would give).
        public let errno: Errno
        /// The path the operation was about, exactly as given.
        public let path: FilePath?
        /// The offending value: the flags, the mask, the handle.
        public let value: String?
        /// What to do about it.
        public let advice: String

        /// An error of `operation` with the kernel's answer `errno`. Without
        /// `advice`, the advice is the library's own for that operation and
        /// errno (empty for the answers that explain themselves).
        public init(
            _ operation: Operation, errno: Errno, path: FilePath? = nil, value: String? = nil, advice: String? = nil
        ) {
            self.operation = operation
            self.errno = errno
            self.path = path
            self.value = value
            self.advice = advice ?? Self.commonAdvice(errno)
        }

        /// One line: `fanotify_mark('/srv', FAN_MARK_ADD|FAN_MARK_MOUNT, mask CREATE):
        /// Invalid argument (EINVAL). A mount mark cannot report ...`
        public var description: String {
            var subject: [String] = []
            if let path { subject.append("'" + path.description + "'") }
            if let value { subject.append(value) }
            var text = "\(operation.rawValue)(\(subject.joined(separator: ", "))): "
            text += "\(errno.description) (\(Self.name(of: errno)))"
            if !advice.isEmpty { text += ". " + advice }
            return text
        }

        /// The symbolic name of an errno (`ESTALE`), or its number where the C library has none.
        public static func name(of errno: Errno) -> String {
            cinotify_errno_name(errno.rawValue).map { String(cString: $0) } ?? "errno \(errno.rawValue)"
        }

        /// The same error as `error`, a failure of the descriptor owner that
        /// the inotify side shares, as this `operation`.
        init(_ operation: Operation, _ error: Inotify.Error, path: FilePath? = nil) {
            let closed = error.errno == .badFileDescriptor
            self.init(
                operation, errno: error.errno, path: path, value: error.value,
                advice: closed
                    ? "The group was closed (or its descriptor closed behind its back); make a new Fanotify"
                    : error.advice)
        }

        private static func commonAdvice(_ errno: Errno) -> String {
            switch errno {
            case .badFileDescriptor: "The descriptor is not open: the group was closed, or the number is stale"
            case .noMemory: "The kernel could not allocate memory for the group, mark or event"
            default: ""
            }
        }
    }
}
