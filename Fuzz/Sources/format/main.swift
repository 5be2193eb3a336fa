// `--format` and `--timefmt`: any format string parses, and renders any event
// exactly as a direct reading of inotifywait's rules renders it (ReferenceFormat);
// any time format gives strftime(3)'s text for the second, or nothing when
// that does not fit, never a crash.
//
// Input: a flags byte (bit 0: --no-newline), the mask and the cookie (four
// bytes each), then, each led by its length, the watched path, the name, the
// text `%T` stands for and the --timefmt; the rest is the --format string.

import FuzzSupport
import Glibc
import Inotify
@testable import InotifyCommandLine

@_cdecl("LLVMFuzzerTestOneInput")
public func formatTarget(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    var input = FuzzInput(UnsafeRawBufferPointer(start: data, count: size))
    let newline = input.byte() & 1 == 0
    let mask = Inotify.EventMask(rawValue: input.uint32())
    let cookie = input.uint32()
    let watched = input.chunk()
    let name = input.chunk()
    let time = input.chunk()
    let timefmt = input.chunk()
    let text = input.rest()

    let format = EventFormat(parsing: text, newline: newline)
    let reference = ReferenceFormat(text: text, newline: newline)
    require(format.usesTime == reference.usesTime, "usesTime is \(format.usesTime) for \(text)")
    watched.withUnsafeBytes { watched in
        name.withUnsafeBytes { name in
            let line = EventLine(watched: watched, name: name, mask: mask, cookie: cookie)
            var out: [UInt8] = []
            format.append(line, time: time, to: &out)
            let expected = reference.render(watched: Array(watched), name: Array(name), mask: mask, cookie: cookie, time: time)
            require(out == expected, "format \(text) printed \(out), not \(expected)")
            // Appending goes after what is there, and changes nothing else.
            format.append(line, time: time, to: &out)
            require(out == expected + expected, "a second line for format \(text) differs from the first")
        }
    }
    checkTimeFormat(String(decoding: timefmt, as: UTF8.self))
    return 0
}

/// `%T` through TimeFormatter is strftime's text for the current second
/// when it fits the formatter's 512 bytes (with the NUL), else empty.
func checkTimeFormat(_ timefmt: String) {
    var formatter = TimeFormatter(format: timefmt)
    let before = realSeconds()
    let text = formatter.now()
    let again = formatter.now()
    let after = realSeconds()
    require(text.count < 512, "--timefmt \(timefmt) gave \(text.count) bytes")
    guard before == after else { return }  // a second passed: no one second to compare with
    require(again == text, "--timefmt \(timefmt) gave two texts in one second")
    var seconds = before
    var parts = tm()
    localtime_r(&seconds, &parts)
    var buffer = [CChar](repeating: 0, count: 4096)
    let count = strftime(&buffer, buffer.count, timefmt, &parts)
    let expected = count < 512 ? buffer[0..<count].map { UInt8(bitPattern: $0) } : []
    require(text == expected, "--timefmt \(timefmt) gave \(text), strftime \(expected)")
}

/// The second TimeFormatter reads: CLOCK_REALTIME's (time(2) may read a
/// coarser clock, a tick behind it).
func realSeconds() -> time_t {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return now.tv_sec
}
