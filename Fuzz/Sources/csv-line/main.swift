// `-c` lines with paths and names of any bytes: every line is one CSV record
// (CSVReader: RFC 4180, lines ending in LF) of three fields that read back as
// the watched path, the event names joined by commas and the name, exactly.
//
// Input: the mask and the cookie (four bytes each), the watched path led by
// its length; the rest is the name.

import FuzzSupport
import Inotify
@testable import InotifyCommandLine

@_cdecl("LLVMFuzzerTestOneInput")
public func csvLineTarget(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    var input = FuzzInput(UnsafeRawBufferPointer(start: data, count: size))
    let mask = Inotify.EventMask(rawValue: input.uint32())
    let cookie = input.uint32()
    let watched = input.chunk()
    let name = input.rest()

    var out: [UInt8] = []
    watched.withUnsafeBytes { watched in
        name.withUnsafeBytes { name in
            CSVLine.append(EventLine(watched: watched, name: name, mask: mask, cookie: cookie), to: &out)
        }
    }
    require(out.last == 0x0A, "the line does not end in a newline: \(out)")
    let expected = [watched, printedNames(mask, separator: UInt8(ascii: ",")), name]
    guard let records = CSVReader.records(out) else {
        require(false, "not CSV: \(out) for \(expected)")
        return 0
    }
    require(records == [expected], "\(out) reads back as \(records), not \(expected)")
    return 0
}
