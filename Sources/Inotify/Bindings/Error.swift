import SystemPackage

extension Inotify {
    /// A failed inotify operation: what was attempted, on which path or value,
    /// the kernel's answer as an `Errno`, and what to do about it.
    ///
    /// Where the library refuses an argument before asking the kernel (a mask
    /// without events, a negative `maxBytes`, a path with a NUL byte) the errno
    /// is the one the kernel gives for such input, `EINVAL`, so that code can
    /// handle both the same way.
    public struct Error: Swift.Error, Sendable, Hashable, CustomStringConvertible {
        /// The operation, named after its C function.
        public enum Operation: String, Sendable, Hashable {
            /// Making an instance without flags: `inotify_init`.
            case initialize = "inotify_init"
            /// Making an instance with flags: `inotify_init1`.
            case initialize1 = "inotify_init1"
            /// Adding or changing a watch: `inotify_add_watch`.
            case addWatch = "inotify_add_watch"
            /// Removing a watch: `inotify_rm_watch`.
            case removeWatch = "inotify_rm_watch"
            /// Reading events, or waiting for them: `read`.
            case read = "read"
            /// Closing the instance's descriptor: `close`.
            case close = "close"
        }

        /// What was attempted.
        public let operation: Operation
        /// The kernel's answer (or the one it would give).
        public let errno: Errno
        /// The path the operation was about, exactly as given.
        public let path: FilePath?
        /// The offending value: the mask, the watch descriptor, `maxBytes`, the flags.
        public let value: String?
        /// What to do about it.
        public let advice: String

        /// An error of `operation` with the kernel's answer `errno`. Without
        /// `advice`, the advice is the library's own for that operation and
        /// errno (empty for the answers that explain themselves).
        public init(
            _ operation: Operation, errno: Errno, path: FilePath? = nil, value: String? = nil,
            advice: String? = nil
        ) {
            self.operation = operation
            self.errno = errno
            self.path = path
            self.value = value
            self.advice = advice ?? Self.advice(for: operation, errno: errno)
        }

        /// One line: `inotify_add_watch('/srv/data', mask CREATE): No such file or
        /// directory (ENOENT). Check that the path exists ...`
        public var description: String {
            var subject: [String] = []
            if let path { subject.append(Self.quoted(path)) }
            if let value { subject.append(value) }
            var text = "\(operation.rawValue)(\(subject.joined(separator: ", "))): "
            text += "\(errno.description) (\(Self.name(of: errno)))"
            if !advice.isEmpty { text += ". " + advice }
            return text
        }

        static func quoted(_ path: FilePath) -> String {
            "'" + path.description + "'"
        }
    }
}

extension Inotify.Error {
    /// The symbolic name of an errno (`ENOENT`), or its number where this list has none.
    public static func name(of errno: Errno) -> String {
        switch errno {
        case .notPermitted: "EPERM"
        case .noSuchFileOrDirectory: "ENOENT"
        case .interrupted: "EINTR"
        case .ioError: "EIO"
        case .badFileDescriptor: "EBADF"
        case .resourceTemporarilyUnavailable: "EAGAIN"
        case .noMemory: "ENOMEM"
        case .permissionDenied: "EACCES"
        case .badAddress: "EFAULT"
        case .fileExists: "EEXIST"
        case .notDirectory: "ENOTDIR"
        case .invalidArgument: "EINVAL"
        case .tooManyOpenFilesInSystem: "ENFILE"
        case .tooManyOpenFiles: "EMFILE"
        case .noSpace: "ENOSPC"
        case .tooManySymbolicLinkLevels: "ELOOP"
        case .fileNameTooLong: "ENAMETOOLONG"
        case .operationNotSupportedByDevice: "ENODEV"
        case .inappropriateIOCTLForDevice: "ENOTTY"
        default: "errno \(errno.rawValue)"
        }
    }

    /// Advice for the kernel answers that do not explain themselves.
    static func advice(for operation: Operation, errno: Errno) -> String {
        switch (operation, errno) {
        case (.initialize, .tooManyOpenFiles), (.initialize1, .tooManyOpenFiles):
            return "Either the per-user limit on inotify instances, fs.inotify.max_user_instances"
                + " (now \(limit("max_user_instances", namespaced: "max_inotify_instances"))), or this process's descriptor limit"
                + " (ulimit -n) is reached: close instances you no longer need, or raise the limit"
                + " (sysctl -w fs.inotify.max_user_instances=N)"
        case (.initialize, .tooManyOpenFilesInSystem), (.initialize1, .tooManyOpenFilesInSystem):
            return "The system-wide limit on open files (fs.file-max) is reached"
        case (.initialize1, .invalidArgument):
            return "The flags may contain only IN_NONBLOCK and IN_CLOEXEC"
        case (_, .noMemory):
            return "The kernel could not allocate memory for the instance or watch"
        case (.addWatch, .noSpace):
            return "The per-user watch limit fs.inotify.max_user_watches"
                + " (now \(limit("max_user_watches", namespaced: "max_inotify_watches"))) is used up: remove watches you no longer"
                + " need, or raise it (sysctl -w fs.inotify.max_user_watches=N)"
        case (.addWatch, .noSuchFileOrDirectory):
            return "Check that the path exists; a symbolic link to nothing also gives this"
                + " (watch the link itself with .dontFollow)"
        case (.addWatch, .permissionDenied):
            return "Watching needs read permission on the path"
        case (.addWatch, .notDirectory):
            return "The mask has .onlyDir (IN_ONLYDIR) but the path is not a directory,"
                + " or a component before the last one is not a directory"
        case (.addWatch, .fileExists):
            return "The path is already watched by this instance and the mask has .maskCreate"
                + " (IN_MASK_CREATE), which refuses to change a watch: drop .maskCreate,"
                + " or use .maskAdd to extend the existing watch"
        case (.addWatch, .invalidArgument):
            return "Either the mask is not valid or the descriptor is not an inotify instance"
        case (.addWatch, .fileNameTooLong):
            return "The path is longer than PATH_MAX (4096 bytes) or one of its names is longer"
                + " than NAME_MAX (255 bytes)"
        case (.addWatch, .tooManySymbolicLinkLevels):
            return "Too many symbolic links while resolving the path (a loop?)"
        case (.removeWatch, .invalidArgument):
            return "The watch descriptor is not a watch of this instance: it was removed already,"
                + " by removeWatch or by the kernel (IN_IGNORED after the object was deleted,"
                + " its file system unmounted, or an IN_ONESHOT event)"
        case (.read, .invalidArgument):
            return "The read buffer is too small for the next event: pass maxBytes 0 to read"
                + " everything queued, or at least \(Inotify.maxEventSize) bytes"
                + " (one event with the longest name)"
        case (_, .badAddress):
            return "The kernel was given an address outside the process's memory: a bug to report,"
                + " not a condition that retrying clears"
        case (_, .badFileDescriptor):
            return "The descriptor is not open: the instance was closed, or the number is stale"
        default:
            return ""
        }
    }

    /// The limit that holds for this process: the kernel keeps inotify's
    /// limits per user namespace, and fs.inotify's files show only the
    /// first namespace's; /proc/sys/user/ shows this one's (the same value
    /// outside a namespace of its own), which is named when it differs.
    static func limit(_ name: String, namespaced: String) -> String {
        let global = sysctl(name)
        let own = sysctl(namespaced, in: "/proc/sys/user/")
        if own == "unknown" || own == global { return global }
        return "\(own) in this user namespace, /proc/sys/user/\(namespaced)"
    }

    /// The current value of the file `name` in `directory`, or `unknown`.
    static func sysctl(_ name: String, in directory: String = "/proc/sys/fs/inotify/") -> String {
        switch Syscalls.readSmallFile(directory + name) {
        case .success(let text):
            let value = text.filter { !$0.isWhitespace }
            return value.isEmpty ? "unknown" : value
        case .failure:
            return "unknown"
        }
    }
}
