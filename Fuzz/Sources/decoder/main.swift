// Any bytes through the decoder: a DecodingError or events, never a crash or a
// read outside the buffer (AddressSanitizer sees every read: the buffers end
// exactly where the input does). The zero-copy cursor, forEachEvent and both
// decodeEvents must agree: the same events, or the same error after them.

import FuzzSupport
import Glibc
import Inotify
import SystemPackage

@_cdecl("LLVMFuzzerTestOneInput")
public func decoderTarget(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
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

/// Walks `buffer` with the cursor, checking each event against the bytes,
/// then the other forms against the cursor's walk.
func check(_ buffer: UnsafeRawBufferPointer) -> CursorWalk {
    let walk = CursorWalk(buffer)

    let decoded = Result { () throws(Inotify.DecodingError) in try Inotify.decodeEvents(buffer) }
    expectSame(decoded, walk, "decodeEvents(UnsafeRawBufferPointer)")
    let fromArray = Result { () throws(Inotify.DecodingError) in try Inotify.decodeEvents(Array(buffer)) }
    expectSame(fromArray, walk, "decodeEvents([UInt8])")

    var seen: [Inotify.Event] = []
    do {
        try Inotify.forEachEvent(in: buffer) { seen.append($0.makeEvent()) }
        require(walk.error == nil, "forEachEvent finished where the cursor failed: \(walk.error!)")
    } catch let error as Inotify.DecodingError {
        require(error == walk.error, "forEachEvent failed with \(error), the cursor with \(String(describing: walk.error))")
    } catch {
        require(false, "forEachEvent threw \(error), not a DecodingError")
    }
    require(seen == walk.events, "forEachEvent saw \(seen), the cursor \(walk.events)")

    // The views' code is the same for every event: a few are enough, and
    // leave the time to the decoder.
    for event in walk.events.prefix(8) { checkViews(event) }
    return walk
}

/// What the cursor gives: the events it returned, each checked against the
/// buffer as it came, and the error it ended with, if any.
struct CursorWalk {
    var events: [Inotify.Event] = []
    var error: Inotify.DecodingError? = nil

    init(_ buffer: UnsafeRawBufferPointer) {
        var cursor = Inotify.EventCursor(buffer)
        while true {
            let start = cursor.offset
            let next: Inotify.RawEvent?
            do {
                next = try cursor.next()
            } catch {
                checkError(error, buffer: buffer, start: start)
                require(cursor.offset == start, "a failed next() moved the cursor from \(start) to \(cursor.offset)")
                // A cursor that failed fails again, at the same place.
                let again = Result { () throws(Inotify.DecodingError) in try cursor.next() }
                require(again.failure == error, "next() after \(error) gave \(again)")
                self.error = error
                return
            }
            guard let event = next else {
                require(start == buffer.count, "the cursor ended at \(start) of \(buffer.count) bytes")
                require((try? cursor.next()) == nil, "next() after the end gave an event")
                return
            }
            checkEvent(event, buffer: buffer, start: start, next: cursor.offset)
            events.append(event.makeEvent())
        }
    }
}

/// An event is exactly the header at `start` and its name inside the buffer.
func checkEvent(_ event: Inotify.RawEvent, buffer: UnsafeRawBufferPointer, start: Int, next: Int) {
    let header = Inotify.eventHeaderSize
    require(start + header + Int(event.len) == next, "event at \(start) with len \(event.len) moved the cursor to \(next)")
    require(next <= buffer.count, "the cursor is past the end: \(next) of \(buffer.count)")
    func field(_ at: Int) -> UInt32 { buffer.loadUnaligned(fromByteOffset: start + at, as: UInt32.self) }
    require(event.wd == Int32(bitPattern: field(0)), "wd \(event.wd) is not the header's")
    require(event.mask.rawValue == field(4), "mask \(event.mask) is not the header's")
    require(event.cookie == field(8), "cookie \(event.cookie) is not the header's")
    require(event.len == field(12), "len \(event.len) is not the header's")
    if event.len == 0 {
        require(event.name.isEmpty, "an event with len 0 has a name of \(event.name.count) bytes")
    } else {
        let nameStart = start + header
        require(event.name.baseAddress == buffer.baseAddress.map { $0 + nameStart },
                "the name of the event at \(start) does not start after its header")
        require(event.name.count < Int(event.len), "a name of \(event.name.count) bytes in len \(event.len)")
        require(!event.name.contains(0), "a name holds a NUL byte")
        require(buffer[nameStart + event.name.count] == 0, "the name of the event at \(start) does not end at a NUL")
    }
}

/// A fault is named where it is, and is what the bytes there say.
func checkError(_ error: Inotify.DecodingError, buffer: UnsafeRawBufferPointer, start: Int) {
    require(error.offset == start, "\(error) is not at the cursor's offset \(start)")
    let left = buffer.count - start
    switch error.reason {
    case .truncatedHeader(let bytesLeft):
        require(bytesLeft == left && left > 0 && left < Inotify.eventHeaderSize, "\(error) with \(left) bytes left")
    case .nameOverrunsBuffer(let len, let bytesLeft):
        require(left >= Inotify.eventHeaderSize && bytesLeft == left - Inotify.eventHeaderSize, "\(error) with \(left) bytes left")
        require(Int(len) > bytesLeft, "\(error): the name fits")
        require(len == buffer.loadUnaligned(fromByteOffset: start + 12, as: UInt32.self), "\(error): not the header's len")
    case .unterminatedName(let len):
        require(len > 0 && Int(len) <= left - Inotify.eventHeaderSize, "\(error) with \(left) bytes left")
        let name = buffer[(start + Inotify.eventHeaderSize)..<(start + Inotify.eventHeaderSize + Int(len))]
        require(!name.contains(0), "\(error), but the name holds a NUL")
    }
    require(!error.description.isEmpty, "\(error.reason) has no description")
}

/// A decoding form gave what the cursor gave: its events, or its error.
func expectSame(_ result: Result<[Inotify.Event], Inotify.DecodingError>, _ walk: CursorWalk, _ form: String) {
    switch result {
    case .success(let events):
        require(walk.error == nil, "\(form) succeeded where the cursor failed with \(walk.error!)")
        require(events == walk.events, "\(form) gave \(events), the cursor \(walk.events)")
    case .failure(let error):
        require(error == walk.error, "\(form) failed with \(error), the cursor with \(String(describing: walk.error))")
    }
}

/// The views of an owning event agree with its bytes.
func checkViews(_ event: Inotify.Event) {
    let bytes = event.nameBytes
    require(event.hasName == !bytes.isEmpty, "hasName is \(event.hasName) for \(bytes.count) bytes")
    require(event.withNameBytes { Array($0) } == bytes, "withNameBytes differs from nameBytes")
    require(event.name == String(decoding: bytes, as: UTF8.self), "name is not the bytes' String")
    // A name is one path component, byte for byte, unless it is empty or
    // holds a `/` (which the kernel never sends): then there is none.
    if let component = event.nameComponent {
        let componentBytes = component.withPlatformString { Array(UnsafeRawBufferPointer(start: $0, count: strlen($0))) }
        require(componentBytes == bytes, "nameComponent \(component) is not the name's bytes \(bytes)")
    } else {
        require(bytes.isEmpty || bytes.contains(UInt8(ascii: "/")), "no nameComponent for the name \(bytes)")
    }
    require(event.description.hasPrefix("Event(wd=\(event.wd.rawValue), mask="), "description \(event.description)")
    var copy = event
    copy.nameBytes = bytes
    require(copy == event && copy.hashValue == event.hashValue, "an event with its own name set again differs")
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
