import SystemPackage

// Arguments the kernel would take silently or answer with a bare EINVAL are
// refused here first, with a message that names the value.

extension Inotify {
    static func validateWatch(path: FilePath, mask: EventMask) throws(Error) {
        if path.isEmpty {
            throw Error(
                .addWatch, errno: .noSuchFileOrDirectory, path: path, value: "mask \(mask)",
                advice: "The path is empty: name the file or directory to watch")
        }
        try validate(mask: mask, path: path)
    }

    /// The mask checks of ``validateWatch(path:mask:)``; `path` is made only
    /// for a message.
    static func validate(mask: EventMask, path: @autoclosure () -> FilePath) throws(Error) {
        let unknown = mask.subtracting(.allKnownBits)
        if !unknown.isEmpty {
            throw Error(
                .addWatch, errno: .invalidArgument, path: path(), value: "mask \(mask)",
                advice: "The mask has bits inotify does not define (\(unknown));"
                    + " use the Inotify.EventMask members")
        }
        if mask.events.isEmpty {
            throw Error(
                .addWatch, errno: .invalidArgument, path: path(), value: "mask \(mask)",
                advice: "The mask asks for no event: include at least one of "
                    + EventMask.namedBits.prefix(12).map(\.name).joined(separator: ", ")
                    + " (or .allEvents); flags alone watch nothing")
        }
        if mask.isSuperset(of: [.maskAdd, .maskCreate]) {
            throw Error(
                .addWatch, errno: .invalidArgument, path: path(), value: "mask \(mask)",
                advice: ".maskAdd (IN_MASK_ADD) extends an existing watch and .maskCreate"
                    + " (IN_MASK_CREATE) refuses one: use one of them, not both")
        }
    }

    /// Turns a String into a path, refusing a NUL byte that `FilePath`
    /// would cut the path at (watching a different path than was asked for).
    static func validatedPath(_ path: String, mask: EventMask) throws(Error) -> FilePath {
        if let nul = path.utf8.firstIndex(of: 0) {
            let offset = path.utf8.distance(from: path.utf8.startIndex, to: nul)
            let shown = path.replacingNULs()
            throw Error(
                .addWatch, errno: .invalidArgument, value: "path '\(shown)', mask \(mask)",
                advice: "The path has a NUL byte at byte \(offset); a path cannot contain NUL,"
                    + " so this is most likely a string that was joined or read wrongly")
        }
        return FilePath(path)
    }

    static func validate(maxBytes: Int) throws(Error) {
        if maxBytes < 0 {
            throw Error(
                .read, errno: .invalidArgument, value: "maxBytes \(maxBytes)",
                advice: "maxBytes cannot be negative: pass 0 to read everything queued,"
                    + " or a positive cap of at least \(maxEventSize) bytes")
        }
        if maxBytes > 0 && maxBytes < eventHeaderSize {
            throw Error(
                .read, errno: .invalidArgument, value: "maxBytes \(maxBytes)",
                advice: "No event fits in \(maxBytes) bytes (the smallest is \(eventHeaderSize)):"
                    + " pass 0 to read everything queued, or at least \(maxEventSize) bytes")
        }
    }
}

extension String {
    fileprivate func replacingNULs() -> String {
        String(unicodeScalars.map { $0 == "\0" ? "\\0" : String($0) }.joined())
    }
}
