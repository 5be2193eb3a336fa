// Names to masks and back: EventMask(parsing:) on any text is a mask or an
// UnknownNameError naming a word of the text, never a crash; every mask's
// description parses back to it; and the command line's `-e` list, which
// reads the same table, never takes a list to another mask than the library.

import FuzzSupport
import Inotify
@testable import InotifyCommandLine

@_cdecl("LLVMFuzzerTestOneInput")
public func eventMaskTarget(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    // The first four bytes as a mask of any bits, the whole input as text.
    var input = FuzzInput(bytes)
    checkRoundTrip(Inotify.EventMask(rawValue: input.uint32()))
    checkParsing(String(decoding: bytes, as: UTF8.self))
    return 0
}

/// `description`, in any case, reads back as the mask it describes.
func checkRoundTrip(_ mask: Inotify.EventMask) {
    for text in [mask.description, mask.description.lowercased()] {
        do {
            let parsed = try Inotify.EventMask(parsing: text)
            require(parsed == mask, "'\(text)' parsed as \(parsed.rawValue), not \(mask.rawValue)")
        } catch {
            require(false, "the description '\(text)' of \(mask.rawValue) does not parse: \(error)")
        }
    }
}

func checkParsing(_ text: String) {
    let library: Inotify.EventMask
    do {
        library = try Inotify.EventMask(parsing: text)
    } catch {
        require(!error.name.isEmpty, "an unknown name that is empty, in '\(text)'")
        require(text.contains(error.name), "the unknown name '\(error.name)' is not in '\(text)'")
        require(error.validNames == Inotify.EventMask.validNames, "the error lists other names than validNames")
        require(error.description.contains("'\(error.name)'"), "the message does not name '\(error.name)'")
        if let list = EventList.parse(text) {
            require(false, "-e takes '\(text)' as \(list), the library refuses it: \(error)")
        }
        checkEventList(text)
        return
    }
    checkRoundTrip(library)
    if let list = EventList.parse(text) {
        require(list == library, "-e takes '\(text)' as \(list), the library as \(library)")
    }
    checkEventList(text)
}

/// `-e`'s own refusal names the list as given.
func checkEventList(_ text: String) {
    do {
        let mask = try EventList.parseOption(text)
        require(EventList.parse(text) == mask, "parseOption and parse differ on '\(text)'")
    } catch {
        require(EventList.parse(text) == nil, "parseOption refused '\(text)', which parse takes")
        require(error.status == 1 && error.lines.count == 1, "-e's refusal of '\(text)' is \(error.lines.count) lines")
        require(error.text.contains("'\(text)' is not a valid event!"), "-e's refusal does not name '\(text)'")
    }
}
