import SystemPackage

extension Fanotify {
    /// One info record of an event, owning its bytes.
    public enum InfoRecord: Sendable, Hashable, CustomStringConvertible {
        /// A file identifier (`FAN_EVENT_INFO_TYPE_FID`, `DFID`, `DFID_NAME`,
        /// `OLD_DFID_NAME`, `NEW_DFID_NAME`).
        case fileID(FileID)
        /// `FAN_EVENT_INFO_TYPE_PIDFD`: the pidfd's number (``Fanotify/FAN_NOPIDFD``,
        /// ``Fanotify/FAN_EPIDFD`` when there is none); an event read by a group owns it
        /// as ``Event/processDescriptor``.
        case processDescriptor(Int32)
        /// `FAN_EVENT_INFO_TYPE_ERROR`: the first error's errno and how many there were.
        case error(errno: Int32, count: UInt32)
        /// A record of another type: the bytes after its 4-byte header.
        case other(type: UInt8, bytes: [UInt8])

        /// `DFID_NAME fsid 1:2 handle 1/0a1b name 'a'`, `PIDFD 7`, `ERROR 5 x1`, `TYPE 6 16 bytes`.
        public var description: String {
            switch self {
            case .fileID(let id): id.description
            case .processDescriptor(let fd): "PIDFD \(fd)"
            case .error(let errno, let count): "ERROR \(errno) x\(count)"
            case .other(let type, let bytes): "TYPE \(type) \(bytes.count) bytes"
            }
        }
    }

    /// A file identifier: the filesystem's id, a handle open_by_handle_at(2)
    /// takes, and for the `*_NAME` types the name in the directory it identifies.
    public struct FileID: Sendable, Hashable, CustomStringConvertible {
        /// The record's type (`FAN_EVENT_INFO_TYPE_DFID_NAME` ...).
        public var type: UInt8
        /// The filesystem's id.
        public var fsid: FilesystemID
        /// The file handle.
        public var handle: FileHandle
        /// For the `*_NAME` types, the name's bytes exactly (not necessarily
        /// UTF-8), without its NUL; nil for the others.
        public var name: [UInt8]?

        /// A file identifier with these fields.
        public init(type: UInt8, fsid: FilesystemID, handle: FileHandle, name: [UInt8]? = nil) {
            self.type = type
            self.fsid = fsid
            self.handle = handle
            self.name = name
        }

        /// The name as a path component, byte for byte; nil without a name,
        /// for `.` (what the kernel names for an event on the directory
        /// itself) and for a name that is not one component.
        public var nameComponent: FilePath.Component? {
            guard let name, name != [UInt8(ascii: ".")] else { return nil }
            return FilePath.Component(name: EventName(name))
        }

        /// `DFID_NAME fsid 1:2 handle 1/0a1b name 'a'`: the handle's type and
        /// its bytes in hex, which tell one directory from another in a trace.
        public var description: String {
            let kind =
                switch type {
                case Fanotify.FAN_EVENT_INFO_TYPE_FID: "FID"
                case Fanotify.FAN_EVENT_INFO_TYPE_DFID: "DFID"
                case Fanotify.FAN_EVENT_INFO_TYPE_DFID_NAME: "DFID_NAME"
                case Fanotify.FAN_EVENT_INFO_TYPE_OLD_DFID_NAME: "OLD_DFID_NAME"
                case Fanotify.FAN_EVENT_INFO_TYPE_NEW_DFID_NAME: "NEW_DFID_NAME"
                default: "TYPE \(type)"
                }
            let hex = handle.bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
            var text = "\(kind) fsid \(fsid.first):\(fsid.second) handle \(handle.type)/\(hex)"
            if let name { text += " name " + name.withUnsafeBytes { PythonRepr.string($0) } }
            return text
        }
    }

    /// A `struct file_handle`: its `handle_type` and its `f_handle` bytes.
    public struct FileHandle: Sendable, Hashable {
        /// `handle_type`.
        public var type: Int32
        /// `f_handle`, `handle_bytes` long.
        public var bytes: [UInt8]

        /// A handle with these fields.
        public init(type: Int32, bytes: [UInt8]) {
            self.type = type
            self.bytes = bytes
        }
    }

    /// A filesystem's id, `__kernel_fsid_t` (statfs(2)'s `f_fsid`): two ints.
    public struct FilesystemID: Sendable, Hashable {
        /// `val[0]`.
        public var first: Int32
        /// `val[1]`.
        public var second: Int32

        /// An id with these values.
        public init(first: Int32, second: Int32) {
            self.first = first
            self.second = second
        }
    }
}
