// Any bytes through the fanotify decoder: a DecodingError or events, never a
// crash or a read outside the buffer (AddressSanitizer sees every read: the
// buffers end exactly where the input does). The zero-copy cursor,
// forEachEvent and both decodeEvents must agree: the same events, or the same
// error after them; and each event and record the cursor returns must lie
// inside the bytes, where their lengths say.

import FuzzSupport
import Inotify

@_cdecl("LLVMFuzzerTestOneInput")
public func fanotifyDecoderTarget(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    let walk = check(input)
    // The same bytes one past an aligned address, so that no field is read
    // aligned, still ending where the allocation ends: the cursor reads the same.
    let shifted = UnsafeMutableRawBufferPointer.allocate(byteCount: size + 1, alignment: 16)
    defer { shifted.deallocate() }
    let odd = UnsafeMutableRawBufferPointer(rebasing: shifted[1...])
    odd.copyMemory(from: input)
    let oddWalk = CursorWalk(UnsafeRawBufferPointer(odd))
    require(oddWalk.events == walk.events && oddWalk.error == walk.error, "one byte further, the cursor read otherwise")
    return 0
}

/// Walks `buffer` with the cursor, then checks the other forms against it.
func check(_ buffer: UnsafeRawBufferPointer) -> CursorWalk {
    let walk = CursorWalk(buffer)
    let decoded = Result { () throws(Fanotify.DecodingError) in try Fanotify.decodeEvents(buffer) }
    expectSame(decoded, walk, "decodeEvents(UnsafeRawBufferPointer)")
    let fromArray = Result { () throws(Fanotify.DecodingError) in try Fanotify.decodeEvents(Array(buffer)) }
    expectSame(fromArray, walk, "decodeEvents([UInt8])")

    var seen: [Fanotify.Event] = []
    do {
        try Fanotify.forEachEvent(in: buffer) { seen.append($0.makeEvent()) }
        require(walk.error == nil, "forEachEvent finished where the cursor failed: \(walk.error!)")
    } catch let error as Fanotify.DecodingError {
        require(error == walk.error, "forEachEvent failed with \(error), the cursor with \(String(describing: walk.error))")
    } catch {
        require(false, "forEachEvent threw \(error), not a DecodingError")
    }
    require(seen == walk.events, "forEachEvent saw \(seen), the cursor \(walk.events)")
    for event in walk.events.prefix(4) {
        require(!event.description.isEmpty, "an event with no description")
        require(event.file == nil && event.processDescriptor == nil, "an event decoded from bytes owns a descriptor")
    }
    return walk
}

/// What the cursor gives: its events, each checked against the buffer as it
/// came, and the error it ended with, if any.
struct CursorWalk {
    var events: [Fanotify.Event] = []
    var error: Fanotify.DecodingError? = nil

    init(_ buffer: UnsafeRawBufferPointer) {
        var cursor = Fanotify.EventCursor(buffer)
        while true {
            let start = cursor.offset
            let next: Fanotify.RawEvent?
            do {
                next = try cursor.next()
            } catch {
                require(error.offset == start, "\(error) is not at the cursor's offset \(start)")
                if let record = error.recordOffset {
                    require(record >= start + 24 && record < buffer.count, "\(error): the record is outside the event")
                }
                require(cursor.offset == start, "a failed next() moved the cursor from \(start) to \(cursor.offset)")
                let again = Result { () throws(Fanotify.DecodingError) in try cursor.next() }
                require(again.failure == error, "next() after \(error) gave \(again)")
                require(!error.description.isEmpty, "\(error.reason) has no description")
                self.error = error
                return
            }
            guard let event = next else {
                require(start == buffer.count, "the cursor ended at \(start) of \(buffer.count) bytes")
                return
            }
            checkEvent(event, buffer: buffer, start: start, next: cursor.offset)
            events.append(event.makeEvent())
        }
    }
}

/// An event is exactly its metadata and records, inside the buffer.
func checkEvent(_ event: Fanotify.RawEvent, buffer: UnsafeRawBufferPointer, start: Int, next: Int) {
    require(start + Int(event.eventLength) == next, "event at \(start) with event_len \(event.eventLength) moved the cursor to \(next)")
    require(next <= buffer.count, "the cursor is past the end: \(next) of \(buffer.count)")
    require(event.version == Fanotify.FANOTIFY_METADATA_VERSION, "version \(event.version) accepted")
    require(event.eventLength == buffer.loadUnaligned(fromByteOffset: start, as: UInt32.self), "not the metadata's event_len")
    require(event.mask.rawValue == buffer.loadUnaligned(fromByteOffset: start + 8, as: UInt64.self), "not the metadata's mask")
    require(event.fd == buffer.loadUnaligned(fromByteOffset: start + 16, as: Int32.self), "not the metadata's fd")
    let infoStart = buffer.baseAddress! + start + Int(event.metadataLength)
    require(event.infoBytes.baseAddress == infoStart || event.infoBytes.isEmpty, "the records do not start at metadata_len")
    require(event.infoBytes.count == Int(event.eventLength) - Int(event.metadataLength), "the records are not the event's rest")
    var total = 0
    for record in event.infoRecords {
        if case .fileID(let id) = record {
            inside(id.handle, event.infoBytes, "a handle")
            if let name = id.name {
                inside(name, event.infoBytes, "a name")
                require(!name.contains(0), "a name holds a NUL")
                let end = name.baseAddress.map { $0 + name.count } ?? id.handle.baseAddress! + id.handle.count
                require(end < event.infoBytes.baseAddress! + event.infoBytes.count && end.load(as: UInt8.self) == 0,
                        "a name does not end at a NUL inside its record")
            }
        }
        total += 1
    }
    require(total == event.makeEvent().records.count, "the records iterated are not the event's")
}

/// `part` lies inside `whole` (an empty part anywhere up to its end).
func inside(_ part: UnsafeRawBufferPointer, _ whole: UnsafeRawBufferPointer, _ what: String) {
    guard let base = part.baseAddress, let wholeBase = whole.baseAddress else {
        require(part.isEmpty, "\(what) with no address")
        return
    }
    require(base >= wholeBase && base + part.count <= wholeBase + whole.count, "\(what) lies outside its event's records")
}

/// A decoding form gave what the cursor gave: its events, or its error.
func expectSame(_ result: Result<[Fanotify.Event], Fanotify.DecodingError>, _ walk: CursorWalk, _ form: String) {
    switch result {
    case .success(let events):
        require(walk.error == nil, "\(form) succeeded where the cursor failed with \(walk.error!)")
        require(events == walk.events, "\(form) gave \(events), the cursor \(walk.events)")
    case .failure(let error):
        require(error == walk.error, "\(form) failed with \(error), the cursor with \(String(describing: walk.error))")
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
