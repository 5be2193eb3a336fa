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

    /// name_to_handle_at(2) of `path` in `directory` (an empty path with
    /// AT_EMPTY_PATH for the object open as `directory`): the handle's type
    /// and bytes, as fanotify's records carry them.
    package static func nameToHandle(
        _ path: UnsafePointer<CChar>, in directory: CInt, flags: CInt
    ) -> Result<(type: CInt, bytes: [UInt8]), Errno> {
        // MAX_HANDLE_SZ: no filesystem's handle is longer.
        var count: UInt32 = 128
        var type: CInt = 0
        var bytes = [UInt8](repeating: 0, count: Int(count))
        let result = bytes.withUnsafeMutableBytes { buffer in
            call(.nameToHandle, directory == AT_FDCWD ? .name(path) : .descriptor(directory)) {
                cinotify_name_to_handle_at(directory, path, flags, &type, buffer.baseAddress, &count)
            }
        }
        return result.map { _ in (type, Array(bytes.prefix(Int(count)))) }
    }

    /// fstatfs(2)'s f_fsid of an open descriptor.
    package static func filesystemID(_ fd: CInt) -> Result<(CInt, CInt), Errno> {
        var first: CInt = 0
        var second: CInt = 0
        return call(.statfs, .descriptor(fd)) { cinotify_filesystem_id(fd, &first, &second) }.map { _ in (first, second) }
    }

    /// gettid(2).
    package static func threadID() -> CInt {
        cinotify_thread_id()
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
