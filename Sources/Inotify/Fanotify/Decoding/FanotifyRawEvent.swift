extension Fanotify {
    /// One event inside a buffer, without copying it: its metadata, and its
    /// info records, checked already, as bytes of the buffer. Valid only while
    /// the buffer is: call ``makeEvent()`` to keep the event.
    ///
    /// ``fd`` is the kernel's number as the bytes hold it: nothing here owns
    /// it. An event read through a ``Fanotify`` group comes as an owning
    /// ``Event`` instead, whose ``Event/file`` closes it.
    public struct RawEvent {
        /// The kernel's `event_len`: the metadata and the records.
        public let eventLength: UInt32
        /// The kernel's `vers`: always ``Fanotify/FANOTIFY_METADATA_VERSION`` here.
        public let version: UInt8
        /// The kernel's `metadata_len`: where the info records start.
        public let metadataLength: UInt16
        /// What happened, and `FAN_ONDIR`.
        public let mask: EventMask
        /// An open descriptor of the object, or ``Fanotify/FAN_NOFD`` (file
        /// identifier reporting, overflow), or with `FAN_REPORT_FD_ERROR` a
        /// negative errno.
        public let fd: Int32
        /// The process (or thread, with `FAN_REPORT_TID`) that caused the event.
        public let pid: Int32
        /// The info records' bytes: every record whole and well-formed.
        public let infoBytes: UnsafeRawBufferPointer

        /// The info records, in order, without copying.
        public var infoRecords: RawInfoRecords { RawInfoRecords(bytes: infoBytes) }

        /// An owning copy, with no descriptor owned: ``Event/fd`` is the number alone.
        public func makeEvent() -> Event {
            Event(mask: mask, fd: fd, pid: pid, records: infoRecords.map { $0.makeRecord() })
        }
    }

    /// The info records of one event, walked without copying.
    public struct RawInfoRecords: Sequence, IteratorProtocol {
        /// The records' bytes, checked by the cursor that made the event.
        let bytes: UnsafeRawBufferPointer
        private var offset = 0

        init(bytes: UnsafeRawBufferPointer) {
            self.bytes = bytes
        }

        /// The next record, or nil after the last.
        public mutating func next() -> RawInfoRecord? {
            guard offset < bytes.count,
                let (record, length) = try? Fanotify.parseRecord(bytes, at: offset)
            else { return nil }
            offset += length
            return record
        }
    }

    /// One info record inside a buffer, without copying it.
    public enum RawInfoRecord {
        /// A file identifier (`FAN_EVENT_INFO_TYPE_FID`, `DFID`, `DFID_NAME`,
        /// `OLD_DFID_NAME`, `NEW_DFID_NAME`).
        case fileID(RawFileID)
        /// `FAN_EVENT_INFO_TYPE_PIDFD`: a pidfd of the acting process, or
        /// ``Fanotify/FAN_NOPIDFD`` or ``Fanotify/FAN_EPIDFD``. A number alone: nothing here owns it.
        case processDescriptor(Int32)
        /// `FAN_EVENT_INFO_TYPE_ERROR`: the first error's errno and how many errors there were.
        case error(errno: Int32, count: UInt32)
        /// A record of another type: the bytes after its 4-byte header.
        case other(type: UInt8, bytes: UnsafeRawBufferPointer)

        /// An owning copy.
        public func makeRecord() -> InfoRecord {
            switch self {
            case .fileID(let id):
                .fileID(FileID(
                    type: id.type, fsid: id.fsid, handle: FileHandle(type: id.handleType, bytes: Array(id.handle)),
                    name: id.name.map { Array($0) }))
            case .processDescriptor(let fd): .processDescriptor(fd)
            case .error(let errno, let count): .error(errno: errno, count: count)
            case .other(let type, let bytes): .other(type: type, bytes: Array(bytes))
            }
        }
    }

    /// A file identifier record inside a buffer, without copying it.
    public struct RawFileID {
        /// The record's type: `FAN_EVENT_INFO_TYPE_FID`, `DFID`, `DFID_NAME`, `OLD_DFID_NAME` or `NEW_DFID_NAME`.
        public let type: UInt8
        /// The filesystem's id.
        public let fsid: FilesystemID
        /// The handle's `handle_type`.
        public let handleType: Int32
        /// The handle's `f_handle`, `handle_bytes` long.
        public let handle: UnsafeRawBufferPointer
        /// For the `*_NAME` types, the name's bytes without its NUL; nil for the others.
        public let name: UnsafeRawBufferPointer?
    }
}
