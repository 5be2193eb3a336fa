// `--json` lines with paths, names and reasons of any bytes: every line is
// one line of strict JSON (StrictJSON: UTF-8, well-formed strings and
// numbers, no key twice) whose fields say exactly what the event and notice
// were: display strings are the bytes as UTF-8 (U+FFFD for what is not), and
// the `…Base64` fields, present exactly when the bytes are not UTF-8, give
// the bytes back.
//
// Input: a flags byte (notice kind, whether it has a reason, its
// isDirectory), the mask and the cookie (four bytes each), then, each led by
// its length, the watched path and the reason; the rest is the name.

import FuzzSupport
import Inotify
@testable import InotifyCommandLine

@_cdecl("LLVMFuzzerTestOneInput")
public func jsonLineTarget(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    var input = FuzzInput(UnsafeRawBufferPointer(start: data, count: size))
    let flags = input.byte()
    let mask = Inotify.EventMask(rawValue: input.uint32())
    let cookie = input.uint32()
    let watched = input.chunk()
    let reason = input.chunk()
    let name = input.rest()

    let kinds: [Notice.Kind?] = [nil, .overflow, .rescanned, .ignored, .unmounted, .unwatched]
    let notice = kinds[Int(flags & 7) % kinds.count].map { kind in
        Notice(kind, reason: flags & 8 != 0 ? String(decoding: reason, as: UTF8.self) : nil,
               isDirectory: [nil, true, false, nil][Int(flags >> 4 & 3)])
    }
    var out: [UInt8] = []
    watched.withUnsafeBytes { watched in
        name.withUnsafeBytes { name in
            JSONLine.append(EventLine(watched: watched, name: name, mask: mask, cookie: cookie), notice: notice, to: &out)
        }
    }
    require(out.last == 0x0A && out.firstIndex(of: 0x0A) == out.count - 1, "not one line: \(out)")
    guard case .object(let members) = StrictJSON.parse(Array(out.dropLast())) else {
        require(false, "not a JSON object: \(String(decoding: out, as: UTF8.self)) \(out)")
        return 0
    }
    let record = Record(members: members)
    var keys: [String] = []
    if let notice {
        keys.append("notice")
        record.expectString("notice", Array(notice.kind.rawValue.utf8))
        if let reason = notice.reason {
            keys.append("reason")
            record.expectString("reason", Array(reason.utf8))
        }
    }
    keys += record.expectBytes("watched", watched)
    keys += record.expectBytes("name", name)
    keys += record.expectBytes("path", watched + name)
    keys += ["events", "cookie", "time", "isDirectory"]
    require(record.keys == keys, "keys \(record.keys), not \(keys)")
    let names = Inotify.EventMask.nameTable.filter { $0.inotifyTools == .printed && !mask.isDisjoint(with: $0.mask) }
    require(record["events"] == .array(names.map { .string($0.name) }), "events \(String(describing: record["events"])) for \(mask)")
    require(record["cookie"] == .number(String(cookie)), "cookie \(String(describing: record["cookie"])), not \(cookie)")
    guard case .number(let time) = record["time"] else {
        require(false, "time is \(String(describing: record["time"]))")
        return 0
    }
    let parts = time.split(separator: ".", omittingEmptySubsequences: false)
    require(parts.count == 2 && parts[1].count == 6, "time \(time) is not seconds and microseconds")
    let isDirectory = notice?.isDirectory ?? mask.contains(.isDir)
    require(record["isDirectory"] == .bool(isDirectory), "isDirectory \(String(describing: record["isDirectory"]))")
    return 0
}

/// A line's members, with what each must hold.
struct Record {
    let members: [JSONValue.Member]

    var keys: [String] { members.map(\.key) }

    subscript(key: String) -> JSONValue? {
        members.first { $0.key == key }?.value
    }

    /// A string member whose UTF-8 is exactly `expected` (Swift's `==` on
    /// strings would let another normalisation pass).
    func expectString(_ key: String, _ expected: [UInt8]) {
        guard case .string(let text) = self[key] else {
            require(false, "\(key) is \(String(describing: self[key])), not a string")
            return
        }
        require(Array(text.utf8) == expected, "\(key) is \(Array(text.utf8)), not \(expected)")
    }

    /// `key` shows `bytes` as UTF-8, and `keyBase64` follows with the bytes
    /// exactly when they are not UTF-8; the keys that must be there.
    func expectBytes(_ key: String, _ bytes: [UInt8]) -> [String] {
        expectString(key, Array(String(decoding: bytes, as: UTF8.self).utf8))
        guard String(validating: bytes, as: UTF8.self) == nil else { return [key] }
        guard case .string(let encoded) = self[key + "Base64"] else {
            require(false, "\(key)Base64 is \(String(describing: self[key + "Base64"])) for \(bytes)")
            return []
        }
        require(Base64Decoding.decode(Array(encoded.utf8)) == bytes, "\(key)Base64 \(encoded) is not \(bytes)")
        return [key, key + "Base64"]
    }
}
