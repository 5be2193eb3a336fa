import CInotify
import Glibc
import SystemPackage

// File identifiers back to paths: open_by_handle_at(2) of the handle against
// a descriptor of the marked filesystem, then readlink(2) of
// /proc/self/fd/N, which names the path the kernel knows for it now.

extension Fanotify {
    /// Opens the object `handle` identifies, on the filesystem that `mount`
    /// (any open descriptor on it: the marked path opened with O_PATH or
    /// O_DIRECTORY) is on. The caller owns and closes the descriptor returned.
    /// Needs CAP_DAC_READ_SEARCH. `flags` are open(2)'s (O_PATH by default:
    /// nothing is read). The corresponding C function is `open_by_handle_at`.
    ///
    /// Throws ``Error``: `ESTALE` when the object is gone.
    public static func open(
        _ handle: FileHandle, mount: FileDescriptor, flags: Int32 = cinotify_o_path() | O_CLOEXEC
    ) throws(Error) -> FileDescriptor {
        let result = handle.bytes.withUnsafeBytes {
            Syscalls.openByHandle(mount: mount.rawValue, type: handle.type, handle: $0, flags: flags)
        }
        switch result {
        case .success(let fd):
            return FileDescriptor(rawValue: fd)
        case .failure(let errno):
            throw Error(
                .openByHandle, errno: errno,
                value: "mount fd \(mount.rawValue), handle type \(handle.type), \(handle.bytes.count) bytes",
                advice: handleAdvice(errno))
        }
    }

    /// The path of the object `handle` identifies, as the kernel knows it
    /// now, on the filesystem `mount` is on (see ``open(_:mount:flags:)``).
    ///
    /// Throws ``Error``: `ESTALE` when the object is gone (deleted, or
    /// deleted since and its handle still open: the kernel's path then ends
    /// in ` (deleted)`, which is told as `ESTALE` too).
    public static func path(of handle: FileHandle, mount: FileDescriptor) throws(Error) -> FilePath {
        let fd = try open(handle, mount: mount)
        defer { _ = Syscalls.close(fd.rawValue) }
        let link = "/proc/self/fd/\(fd.rawValue)"
        let resolved = link.withCString { Syscalls.readLink($0) }
        switch resolved {
        case .success(let path):
            if path.description.hasSuffix(" (deleted)") {
                throw Error(
                    .openByHandle, errno: .staleNFSFileHandle, path: path, value: "handle type \(handle.type)",
                    advice: handleAdvice(.staleNFSFileHandle))
            }
            return path
        case .failure(let errno):
            throw Error(
                .readLink, errno: errno, path: FilePath(link),
                advice: "The path of a descriptor is read from /proc: check that /proc is mounted")
        }
    }

    /// The path a file identifier record names: its handle's path, joined
    /// with its name when it has one other than `.` (see
    /// ``path(of:mount:)-(Fanotify.FileHandle,_)``). A name that is not one path
    /// component is refused (`EINVAL`).
    public static func path(of fileID: FileID, mount: FileDescriptor) throws(Error) -> FilePath {
        let directory = try path(of: fileID.handle, mount: mount)
        guard let name = fileID.name, name != [UInt8(ascii: ".")] else { return directory }
        guard let component = fileID.nameComponent else {
            throw Error(
                .openByHandle, errno: .invalidArgument, path: directory, value: "name of \(name.count) bytes",
                advice: "The record's name is not one path component")
        }
        return directory.appending(component)
    }

    /// The file identifier of the object open as `descriptor`: its
    /// filesystem's id (fstatfs(2)'s `f_fsid`) and its handle
    /// (name_to_handle_at(2)), as an event's record carries them for it, of
    /// type `FAN_EVENT_INFO_TYPE_FID`. What lets a watcher know the objects
    /// that events name without resolving each event's handle.
    ///
    /// Throws ``Error``: `EOPNOTSUPP` for a filesystem that cannot make file
    /// handles (which fanotify cannot report file identifiers for either).
    public static func fileID(of descriptor: FileDescriptor) throws(Error) -> FileID {
        let fsid: (CInt, CInt)
        switch Syscalls.filesystemID(descriptor.rawValue) {
        case .success(let id): fsid = id
        case .failure(let errno):
            throw Error(.nameToHandle, errno: errno, value: "fd \(descriptor.rawValue)", advice: "fstatfs failed")
        }
        switch Syscalls.nameToHandle("", in: descriptor.rawValue, flags: cinotify_at_empty_path()) {
        case .success(let handle):
            return FileID(
                type: Fanotify.FAN_EVENT_INFO_TYPE_FID, fsid: FilesystemID(first: fsid.0, second: fsid.1),
                handle: FileHandle(type: handle.type, bytes: handle.bytes))
        case .failure(let errno):
            throw Error(
                .nameToHandle, errno: errno, value: "fd \(descriptor.rawValue)",
                advice: errno == .notSupported
                    ? "The filesystem cannot make file handles: fanotify cannot report file identifiers on it"
                    : nil)
        }
    }

    private static func handleAdvice(_ errno: Errno) -> String? {
        switch errno {
        case .staleNFSFileHandle:
            return "The object the handle identifies is gone (deleted since the event): there is no path"
                + " to tell; an event that comes later (DELETE, DELETE_SELF) says so"
        case .notPermitted:
            return "open_by_handle_at needs CAP_DAC_READ_SEARCH: run as root"
        case .invalidArgument:
            return "The handle is malformed, or `mount` is not a descriptor"
        case .notSupported:
            return "The filesystem cannot decode file handles"
        case .badFileDescriptor:
            return "`mount` is not an open descriptor: open the marked path (O_PATH or O_DIRECTORY) and pass it"
        case .improperLink:
            return "The handle is of another filesystem than `mount`'s: pass a descriptor of the marked filesystem"
        default:
            return nil
        }
    }
}
