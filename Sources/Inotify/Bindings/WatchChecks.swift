extension Inotify {
    /// Who judges a watch's path and mask before it is added: the library
    /// and the kernel (the default), or the kernel alone.
    ///
    /// The library refuses what the kernel would take silently or answer
    /// with a bare `EINVAL`, with a message naming the value: an empty path,
    /// bits inotify does not define, a mask that asks for no event (flags
    /// only, which the kernel accepts as a watch that reports nothing but its
    /// own end), and `.maskAdd` with `.maskCreate`. A command that passes on
    /// a user's mask as `inotifywait` does (`-e ignored`: a watch that reports
    /// only its own removal) asks for `.kernelOnly`. Either way a String path
    /// with a NUL byte is refused: no kernel call could see past it.
    public enum WatchChecks: Sendable, Hashable {
        /// The library's checks, then the kernel's.
        case library
        /// The kernel's checks only: the path and mask go to
        /// `inotify_add_watch` exactly as given.
        case kernelOnly
    }
}
