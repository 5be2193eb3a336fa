import Inotify
import SystemPackage

// A change as JSON (or any other coding), flat:
//
//     {"kind": "moved", "from": "old/name", "path": "new/name", "root": "/srv/data",
//      "isDirectory": false, "foundByScan": false, "isSelfEvent": false, "tracker": 1234,
//      "inotify": [{"wd": 1, ...}, ...]}
//
// `kind` is the case's name; its payload follows under its own key: `from`
// (moved), `reason` (unwatched), `problem` (ignoreProblem: file, line,
// message). Paths are strings when their bytes are UTF-8, else arrays of
// their byte values, as event names are (see Inotify.Event's coding), so a
// path with any byte round-trips. `tracker` is present only for a rename's
// halves; the raw payload, where the source kept one, is under the source's
// name (`inotify`: its events, which decode without an instance).

private enum ChangeCodingKeys: String, CodingKey {
    case kind, from, reason, problem, path, root, isDirectory, foundByScan, isSelfEvent, tracker, inotify
}

extension Change.Kind: Codable {
    /// Decodes a kind: its name under `kind`, its payload beside it.
    public init(from decoder: any Decoder) throws {
        self = try Change.Kind(from: decoder.container(keyedBy: ChangeCodingKeys.self))
    }

    /// Encodes the kind's name under `kind`, and its payload beside it.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: ChangeCodingKeys.self)
        try encode(into: &container)
    }

    fileprivate init(from container: KeyedDecodingContainer<ChangeCodingKeys>) throws {
        let name = try container.decode(String.self, forKey: .kind)
        switch name {
        case "created": self = .created
        case "modified": self = .modified
        case "attributesChanged": self = .attributesChanged
        case "closedAfterWrite": self = .closedAfterWrite
        case "opened": self = .opened
        case "accessed": self = .accessed
        case "closedWithoutWrite": self = .closedWithoutWrite
        case "deleted": self = .deleted
        case "moved": self = .moved(from: try container.decodePath(forKey: .from))
        case "movedIn": self = .movedIn
        case "movedOut": self = .movedOut
        case "selfDeleted": self = .selfDeleted
        case "selfMoved": self = .selfMoved
        case "rootDeleted": self = .rootDeleted
        case "rootMoved": self = .rootMoved
        case "unmounted": self = .unmounted
        case "overflow": self = .overflow
        case "rescanned": self = .rescanned
        case "unwatched": self = .unwatched(reason: try container.decode(String.self, forKey: .reason))
        case "ignoreProblem": self = .ignoreProblem(try container.decode(IgnoreProblem.self, forKey: .problem))
        case "becameIgnored": self = .becameIgnored
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: container, debugDescription: "unknown change kind '\(name)'")
        }
    }

    fileprivate func encode(into container: inout KeyedEncodingContainer<ChangeCodingKeys>) throws {
        let name: String
        switch self {
        case .created: name = "created"
        case .modified: name = "modified"
        case .attributesChanged: name = "attributesChanged"
        case .closedAfterWrite: name = "closedAfterWrite"
        case .opened: name = "opened"
        case .accessed: name = "accessed"
        case .closedWithoutWrite: name = "closedWithoutWrite"
        case .deleted: name = "deleted"
        case .moved(let from):
            name = "moved"
            try container.encodePath(from, forKey: .from)
        case .movedIn: name = "movedIn"
        case .movedOut: name = "movedOut"
        case .selfDeleted: name = "selfDeleted"
        case .selfMoved: name = "selfMoved"
        case .rootDeleted: name = "rootDeleted"
        case .rootMoved: name = "rootMoved"
        case .unmounted: name = "unmounted"
        case .overflow: name = "overflow"
        case .rescanned: name = "rescanned"
        case .unwatched(let reason):
            name = "unwatched"
            try container.encode(reason, forKey: .reason)
        case .ignoreProblem(let problem):
            name = "ignoreProblem"
            try container.encode(problem, forKey: .problem)
        case .becameIgnored: name = "becameIgnored"
        }
        try container.encode(name, forKey: .kind)
    }
}

extension Change: Codable {
    /// Decodes a change; inotify events in it belong to no instance.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: ChangeCodingKeys.self)
        let events = try container.decodeIfPresent([Inotify.Event].self, forKey: .inotify)
        guard (events?.count ?? 0) <= 2 else {
            throw DecodingError.dataCorruptedError(
                forKey: .inotify, in: container, debugDescription: "a change comes from at most two kernel events")
        }
        self.init(
            try Change.Kind(from: container),
            path: try container.decodePath(forKey: .path),
            root: try container.decodePath(forKey: .root),
            isDirectory: try container.decode(Bool.self, forKey: .isDirectory),
            foundByScan: try container.decodeIfPresent(Bool.self, forKey: .foundByScan) ?? false,
            isSelfEvent: try container.decodeIfPresent(Bool.self, forKey: .isSelfEvent) ?? false,
            tracker: try container.decodeIfPresent(UInt32.self, forKey: .tracker),
            raw: events.map { .inotify(InotifyEvents($0)) })
    }

    /// Encodes the change flat, its paths byte for byte.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: ChangeCodingKeys.self)
        try kind.encode(into: &container)
        try container.encodePath(path, forKey: .path)
        try container.encodePath(root, forKey: .root)
        try container.encode(isDirectory, forKey: .isDirectory)
        try container.encode(foundByScan, forKey: .foundByScan)
        try container.encode(isSelfEvent, forKey: .isSelfEvent)
        try container.encodeIfPresent(tracker, forKey: .tracker)
        switch raw {
        case .inotify(let events): try container.encode(Array(events), forKey: .inotify)
        // An event that may own descriptors, and whose records no reader
        // of the flat form needs: the change says what it means.
        case .fanotify, nil: break
        }
    }
}

extension IgnoreProblem: Codable {
    private enum CodingKeys: String, CodingKey {
        case file, line, message
    }

    /// Decodes a problem; its file byte for byte.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            file: try container.decodePath(forKey: .file),
            line: try container.decode(Int.self, forKey: .line),
            message: try container.decode(String.self, forKey: .message))
    }

    /// Encodes the file byte for byte, its line and the message.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodePath(file, forKey: .file)
        try container.encode(line, forKey: .line)
        try container.encode(message, forKey: .message)
    }
}
