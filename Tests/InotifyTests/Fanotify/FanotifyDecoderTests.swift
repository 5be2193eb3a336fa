import Inotify
import InotifyTestSupport
import Testing
import InotifyTestLanes

@Suite("Decoding bytes into fanotify events", .inBlockingLane)
struct FanotifyDecoderTests {
    typealias Reason = Fanotify.DecodingError.Reason

    @Test("a file ID's description shows its handle's bytes: two directories' records read apart in a trace")
    func fileIDDescription() {
        let id = Fanotify.FileID(
            type: Fanotify.FAN_EVENT_INFO_TYPE_DFID_NAME, fsid: .init(first: 1, second: 2),
            handle: .init(type: 1, bytes: [0x0A, 0x1B, 0x00]), name: Array("a".utf8))
        #expect(id.description == "DFID_NAME fsid 1:2 handle 1/0a1b00 name 'a'")
    }

    @Test("decodes the metadata and every kind of info record, keeping a name's bytes exactly")
    func decodesEveryRecord() throws {
        var raw = FanotifyBytes()
        let name: [UInt8] = [0x61, 0xFF, 0x62]  // not UTF-8
        raw.append(
            mask: Fanotify.FAN_CREATE | Fanotify.FAN_ONDIR, fd: -1, pid: 77,
            records: [
                FanotifyBytes.fileID(type: 2, handle: [9, 8, 7], name: name),
                FanotifyBytes.fileID(type: 1, fsid: (-1, 3), handleType: 0x81, handle: []),
                FanotifyBytes.pidfd(-2),
                FanotifyBytes.error(5, count: 3),
                FanotifyBytes.raw(type: 6, body: [1, 2, 3, 4]),
            ])
        raw.append(mask: Fanotify.FAN_Q_OVERFLOW)
        let events = try Fanotify.decodeEvents(raw.bytes)
        #expect(events.count == 2)
        let event = events[0]
        #expect(event.mask == [.create, .onDir])
        #expect(event.fd == Fanotify.FAN_NOFD)
        #expect(event.pid == 77)
        #expect(event.file == nil && event.processDescriptor == nil)
        #expect(event.records.count == 5)
        let entry = try #require(event.directoryEntry)
        #expect(entry.type == Fanotify.FAN_EVENT_INFO_TYPE_DFID_NAME)
        #expect(entry.fsid == Fanotify.FilesystemID(first: 7, second: 9))
        #expect(entry.handle == Fanotify.FileHandle(type: 1, bytes: [9, 8, 7]))
        #expect(entry.name == name)
        #expect(event.fileID(Fanotify.FAN_EVENT_INFO_TYPE_FID) == Fanotify.FileID(
            type: 1, fsid: .init(first: -1, second: 3), handle: .init(type: 0x81, bytes: [])))
        #expect(event.records[2] == .processDescriptor(Fanotify.FAN_EPIDFD))
        #expect(event.records[3] == .error(errno: 5, count: 3))
        #expect(event.records[4] == .other(type: 6, bytes: [1, 2, 3, 4]))
        #expect(events[1] == Fanotify.Event(mask: .queueOverflow, pid: 42))
    }

    @Test("an empty buffer holds no events")
    func emptyBuffer() throws {
        #expect(try Fanotify.decodeEvents([]) == [])
    }

    @Test(
        "each malformed buffer is a decoding error naming the fault and where it is",
        arguments: FanotifyDecoderTests.malformed)
    func malformedBuffers(_ malformed: Malformed) {
        let error = #expect(throws: Fanotify.DecodingError.self) { try Fanotify.decodeEvents(malformed.bytes) }
        #expect(error == malformed.expected, "\(malformed.label)")
        #expect(error?.description.isEmpty == false)
        // The cursor says the same, and stays where the fault is.
        malformed.bytes.withUnsafeBytes { buffer in
            var cursor = Fanotify.EventCursor(buffer)
            var caught: Fanotify.DecodingError?
            while true {
                let before = cursor.offset
                do throws(Fanotify.DecodingError) {
                    guard try cursor.next() != nil else { break }
                } catch {
                    caught = error
                    #expect(cursor.offset == before)
                    break
                }
            }
            #expect(caught == malformed.expected)
        }
    }

    struct Malformed: Sendable, CustomTestStringConvertible {
        let label: String
        let bytes: [UInt8]
        let expected: Fanotify.DecodingError
        var testDescription: String { label }
    }

    static let malformed: [Malformed] = {
        var cases: [Malformed] = []
        func add(_ label: String, _ expected: Fanotify.DecodingError, _ build: (inout FanotifyBytes) -> Void) {
            var raw = FanotifyBytes()
            build(&raw)
            cases.append(Malformed(label: label, bytes: raw.bytes, expected: expected))
        }
        add("metadata cut short", .init(offset: 24, reason: .truncatedMetadata(bytesLeft: 10))) { raw in
            raw.append(mask: 1)
            raw.bytes += [UInt8](repeating: 0, count: 10)
        }
        add("event_len smaller than the metadata", .init(offset: 0, reason: .eventLengthTooSmall(eventLength: 8))) {
            $0.append(mask: 1, eventLength: 8)
        }
        add("event_len 0", .init(offset: 0, reason: .eventLengthTooSmall(eventLength: 0))) {
            $0.append(mask: 1, eventLength: 0)
        }
        add("event_len past the buffer", .init(offset: 0, reason: .eventOverrunsBuffer(eventLength: 0xFFFF_FFFF, bytesLeft: 24))) {
            $0.append(mask: 1, eventLength: 0xFFFF_FFFF)
        }
        add("another metadata version", .init(offset: 0, reason: .unsupportedVersion(2))) {
            $0.append(mask: 1, version: 2)
        }
        add("metadata_len past event_len", .init(offset: 0, reason: .badMetadataLength(metadataLength: 40, eventLength: 24))) {
            $0.append(mask: 1, metadataLength: 40)
        }
        add("info header length 0", .init(offset: 0, recordOffset: 24, reason: .infoLengthTooSmall(type: 2, length: 0, minimum: 20))) {
            $0.append(mask: 1, records: [FanotifyBytes.fileID(type: 2, name: [0x61], length: 0)])
        }
        add("info length 0 of an unknown type", .init(offset: 0, recordOffset: 24, reason: .infoLengthTooSmall(type: 99, length: 0, minimum: 4))) {
            $0.append(mask: 1, records: [FanotifyBytes.raw(type: 99, body: [0, 0, 0, 0], length: 0)])
        }
        add("info length past the event", .init(offset: 0, recordOffset: 24, reason: .infoOverrunsEvent(type: 1, length: 200, bytesLeft: 28))) {
            $0.append(mask: 1, records: [FanotifyBytes.fileID(type: 1, length: 200)])
        }
        add("info header cut short", .init(offset: 0, recordOffset: 32, reason: .truncatedInfoHeader(bytesLeft: 2))) {
            $0.append(mask: 1, records: [FanotifyBytes.pidfd(3), [4, 0]])
        }
        add("handle_bytes past the record", .init(offset: 0, recordOffset: 24, reason: .handleOverrunsRecord(handleBytes: 64, bytesLeft: 8))) {
            $0.append(mask: 1, records: [FanotifyBytes.fileID(type: 3, handleBytes: 64)])
        }
        add("a name with no NUL", .init(offset: 0, recordOffset: 24, reason: .unterminatedName(type: 2))) {
            $0.append(mask: 1, records: [FanotifyBytes.fileID(type: 2, handle: [1, 2, 3, 4], name: [0x61, 0x62, 0x63, 0x64], terminated: false)])
        }
        add("a NEW_DFID_NAME record with no name at all", .init(offset: 0, recordOffset: 24, reason: .unterminatedName(type: 12))) {
            $0.append(mask: 1, records: [FanotifyBytes.fileID(type: 12, handle: [1, 2, 3, 4], terminated: false)])
        }
        add("a pidfd record too short", .init(offset: 24, recordOffset: 48, reason: .infoLengthTooSmall(type: 4, length: 4, minimum: 8))) {
            $0.append(mask: 1)
            $0.append(mask: 1, records: [FanotifyBytes.raw(type: 4, body: [])])
        }
        return cases
    }()

    @Test("the owning decoder, the cursor and forEachEvent agree on random buffers")
    func formsAgreeOnRandomBuffers() throws {
        let seed = UInt64.random(in: 0...UInt64.max)
        print("FanotifyDecoderTests.formsAgreeOnRandomBuffers seed \(seed)")
        var random = SplitMix64(seed: seed)
        for _ in 0..<2000 {
            var raw = FanotifyBytes()
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                var records: [[UInt8]] = []
                for _ in 0..<Int.random(in: 0...3, using: &random) {
                    let name = (0..<Int.random(in: 0...12, using: &random)).map { _ in UInt8.random(in: 1...255, using: &random) }
                    let handle = (0..<Int.random(in: 0...16, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
                    switch Int.random(in: 0..<5, using: &random) {
                    case 0: records.append(FanotifyBytes.fileID(type: [2, 10, 12].randomElement(using: &random)!, handle: handle, name: name))
                    case 1: records.append(FanotifyBytes.fileID(type: [1, 3].randomElement(using: &random)!, handle: handle))
                    case 2: records.append(FanotifyBytes.pidfd(Int32.random(in: -2...100, using: &random)))
                    case 3: records.append(FanotifyBytes.error(5, count: 1))
                    default: records.append(FanotifyBytes.raw(type: UInt8.random(in: 6...255, using: &random), body: handle))
                    }
                }
                raw.append(mask: UInt64.random(in: 0...UInt64.max, using: &random), fd: -1, records: records)
            }
            var bytes = raw.bytes
            // Corrupt some, cut some: every result is events or an error.
            for _ in 0..<Int.random(in: 0...3, using: &random) where !bytes.isEmpty {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            if Bool.random(using: &random) { bytes.removeLast(Int.random(in: 0...bytes.count, using: &random)) }
            try expectAgreement(bytes, seed: seed)
        }
    }

    private func expectAgreement(_ bytes: [UInt8], seed: UInt64) throws {
        let owning = Result { () throws(Fanotify.DecodingError) in try Fanotify.decodeEvents(bytes) }
        var walked: [Fanotify.Event] = []
        var walkError: Fanotify.DecodingError?
        var visited: [Fanotify.Event] = []
        var visitError: Fanotify.DecodingError?
        bytes.withUnsafeBytes { buffer in
            var cursor = Fanotify.EventCursor(buffer)
            do throws(Fanotify.DecodingError) {
                while let event = try cursor.next() { walked.append(event.makeEvent()) }
            } catch {
                walkError = error
            }
            do {
                try Fanotify.forEachEvent(in: buffer) { visited.append($0.makeEvent()) }
            } catch {
                visitError = error as? Fanotify.DecodingError
            }
        }
        switch owning {
        case .success(let events):
            #expect(walkError == nil && visitError == nil, "seed \(seed)")
            #expect(events == walked && events == visited, "seed \(seed)")
        case .failure(let error):
            #expect(walkError == error && visitError == error, "seed \(seed)")
            #expect(walked == visited, "seed \(seed)")
        }
    }
}
