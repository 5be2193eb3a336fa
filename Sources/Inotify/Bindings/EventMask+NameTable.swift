// The one table of mask names. Everything that turns a mask into names or
// names into a mask reads it: the library's `description` and
// `init(parsing:)`, and the command line's `-e`, its event lines, CSV, JSON
// and `--format %e`, and its inotifywatch table. inotify-tools' scripts match
// on the exact strings and their order, so that order is data here, not code.

extension Inotify.EventMask {
    /// What inotify-tools (inotifywait, inotifywatch) does with a name.
    public enum InotifyToolsUse: Sendable, Hashable {
        /// Printed among an event's names when the event has any of its bits
        /// (`CLOSE` beside `CLOSE_WRITE`), and read by `-e`.
        case printed
        /// Read by `-e`, never printed.
        case readOnly
        /// Unknown to inotify-tools (a flag of `inotify_add_watch`).
        case unknown
    }

    /// One row of ``nameTable``: a name and the bits it stands for.
    public struct NamedMask: Sendable, Hashable {
        /// The C constant's name without `IN_`: `CLOSE_WRITE`.
        public let name: String
        /// One bit, or several for a group (`CLOSE`, `MOVE`, `ALL_EVENTS`).
        public let mask: Inotify.EventMask
        /// What inotify-tools does with the name.
        public let inotifyTools: InotifyToolsUse
        /// Its column in inotifywatch's table, counted from 0; nil for a
        /// name that has none.
        public let inotifywatchColumn: Int?

        /// A row of the table.
        public init(
            _ name: String, _ mask: Inotify.EventMask, inotifyTools: InotifyToolsUse,
            inotifywatchColumn: Int? = nil
        ) {
            self.name = name
            self.mask = mask
            self.inotifyTools = inotifyTools
            self.inotifywatchColumn = inotifywatchColumn
        }

        /// Whether the name stands for more than one bit.
        public var isGroup: Bool { mask.rawValue.nonzeroBitCount > 1 }
    }

    /// Every name of a bit or a group of bits, in the order inotifywait prints
    /// an event's names (`%e`): bit order up to `IGNORED`, then `CLOSE`,
    /// `MOVE_SELF`, `ISDIR` and `ONESHOT` (inotify-tools' order, which scripts
    /// see); then the names it never prints. inotifywatch orders its columns
    /// otherwise (`move_self` after `moved_to`): each row says where.
    public static let nameTable: [NamedMask] = [
        NamedMask("ACCESS", .access, inotifyTools: .printed, inotifywatchColumn: 0),
        NamedMask("MODIFY", .modify, inotifyTools: .printed, inotifywatchColumn: 1),
        NamedMask("ATTRIB", .attrib, inotifyTools: .printed, inotifywatchColumn: 2),
        NamedMask("CLOSE_WRITE", .closeWrite, inotifyTools: .printed, inotifywatchColumn: 3),
        NamedMask("CLOSE_NOWRITE", .closeNoWrite, inotifyTools: .printed, inotifywatchColumn: 4),
        NamedMask("OPEN", .open, inotifyTools: .printed, inotifywatchColumn: 5),
        NamedMask("MOVED_FROM", .movedFrom, inotifyTools: .printed, inotifywatchColumn: 6),
        NamedMask("MOVED_TO", .movedTo, inotifyTools: .printed, inotifywatchColumn: 7),
        NamedMask("CREATE", .create, inotifyTools: .printed, inotifywatchColumn: 9),
        NamedMask("DELETE", .delete, inotifyTools: .printed, inotifywatchColumn: 10),
        NamedMask("DELETE_SELF", .deleteSelf, inotifyTools: .printed, inotifywatchColumn: 11),
        NamedMask("UNMOUNT", .unmount, inotifyTools: .printed, inotifywatchColumn: 12),
        NamedMask("Q_OVERFLOW", .queueOverflow, inotifyTools: .printed),
        NamedMask("IGNORED", .ignored, inotifyTools: .printed),
        NamedMask("CLOSE", .close, inotifyTools: .printed),
        NamedMask("MOVE_SELF", .moveSelf, inotifyTools: .printed, inotifywatchColumn: 8),
        NamedMask("ISDIR", .isDir, inotifyTools: .printed),
        NamedMask("ONESHOT", .oneShot, inotifyTools: .printed),
        NamedMask("MOVE", .move, inotifyTools: .readOnly),
        NamedMask("ALL_EVENTS", .allEvents, inotifyTools: .readOnly),
        NamedMask("ONLYDIR", .onlyDir, inotifyTools: .unknown),
        NamedMask("DONT_FOLLOW", .dontFollow, inotifyTools: .unknown),
        NamedMask("EXCL_UNLINK", .exclUnlink, inotifyTools: .unknown),
        NamedMask("MASK_CREATE", .maskCreate, inotifyTools: .unknown),
        NamedMask("MASK_ADD", .maskAdd, inotifyTools: .unknown),
    ]

    /// The single bits with their names, in bit order: the order
    /// ``description`` prints them in. Made from ``nameTable``.
    public static let namedBits: [(name: String, mask: Inotify.EventMask)] =
        nameTable.filter { !$0.isGroup }
        .sorted { $0.mask.rawValue < $1.mask.rawValue }
        .map { ($0.name, $0.mask) }

    /// Names that stand for several bits; accepted when parsing, as
    /// inotifywait does. Made from ``nameTable``.
    public static let namedGroups: [(name: String, mask: Inotify.EventMask)] =
        nameTable.filter(\.isGroup).map { ($0.name, $0.mask) }
}
