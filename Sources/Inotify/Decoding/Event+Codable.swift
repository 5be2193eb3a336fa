// An event as JSON (or any other coding): py-inotify's five fields.
//
//     {"wd": 1, "mask": 256, "cookie": 0, "len": 16, "name": "test.txt"}
//
// The mask is its number. The name is a string when its bytes are UTF-8,
// else an array of its byte values ("name": [102, 255]), so every name
// comes back byte for byte. The instance an event was read through is not
// encoded (its identity means nothing outside the process): a decoded
// event's wd belongs to no instance, and the decoded event equals the one
// encoded. Decoding takes cookie, len and name as 0 and empty when absent,
// as the initializer does.

extension Inotify.Event: Codable {
    private enum CodingKeys: String, CodingKey {
        case wd, mask, cookie, len, name
    }

    /// Decodes an event; its `wd` belongs to no instance.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            wd: try container.decode(Int32.self, forKey: .wd),
            mask: try container.decode(Inotify.EventMask.self, forKey: .mask),
            cookie: try container.decodeIfPresent(UInt32.self, forKey: .cookie) ?? 0,
            len: try container.decodeIfPresent(UInt32.self, forKey: .len) ?? 0,
            nameBytes: try container.decodeIfPresent(ExactBytes.self, forKey: .name)?.bytes ?? [])
    }

    /// Encodes py-inotify's five fields, the name byte for byte.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(wd.rawValue, forKey: .wd)
        try container.encode(mask, forKey: .mask)
        try container.encode(cookie, forKey: .cookie)
        try container.encode(len, forKey: .len)
        try container.encode(ExactBytes(nameBytes), forKey: .name)
    }
}
