import CInotify
import Glibc
import SystemPackage

// fanotify(7)'s calls, and what turns a file handle back into a path.

extension Syscalls {
    /// fanotify_init(2).
    static func fanotifyInit(_ flags: UInt32, _ eventFileFlags: UInt32) -> Result<CInt, Errno> {
        opening(call(.fanotifyInit) { cinotify_fanotify_init(flags, eventFileFlags) })
    }

    /// fanotify_mark(2). `path` is nil for the object open as `directory`.
    static func fanotifyMark(
        _ fd: CInt, flags: UInt32, mask: UInt64, directory: CInt, path: UnsafePointer<CChar>?
    ) -> Result<Void, Errno> {
        call(.fanotifyMark, path.map(FaultTarget.name) ?? .descriptor(fd)) {
            cinotify_fanotify_mark(fd, flags, mask, directory, path)
        }.map { _ in () }
    }

    /// open_by_handle_at(2) of a handle's bytes and type against the mount open as `mount`.
    static func openByHandle(
        mount: CInt, type: CInt, handle: UnsafeRawBufferPointer, flags: CInt
    ) -> Result<CInt, Errno> {
        opening(call(.openByHandle, .descriptor(mount)) {
            cinotify_open_by_handle_at(mount, type, handle.baseAddress, UInt32(handle.count), flags)
        })
    }

    /// readlink(2) of `path`: the link's target, exactly; longer than
    /// PATH_MAX is ENAMETOOLONG.
    static func readLink(_ path: UnsafePointer<CChar>) -> Result<FilePath, Errno> {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: Int(PATH_MAX) + 1) { buffer in
            call(.readlink, .name(path)) { Glibc.readlink(path, buffer.baseAddress!, Int(PATH_MAX)) }
                .flatMap { count -> Result<FilePath, Errno> in
                    if count >= Int(PATH_MAX) { return .failure(.fileNameTooLong) }
                    buffer[count] = 0
                    return .success(FilePath(platformString: buffer.baseAddress!))
                }
        }
    }
}
