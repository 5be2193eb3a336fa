import FuzzSupport
import Inotify
@testable import InotifyCommandLine

/// inotifywait's `--format` read directly, character by character, at each
/// event, as inotify-tools does: `%w %f %e %Xe %T %c %0 %n %%`, any other
/// `%X` printed as written, a lone `%` at the end too. EventFormat parses
/// once into pieces; the two must print the same bytes.
struct ReferenceFormat {
    let text: [UInt8]
    let newline: Bool

    var usesTime: Bool {
        var index = 0
        while index + 1 < text.count {
            if text[index] != UInt8(ascii: "%") { index += 1; continue }
            if text[index + 1] == UInt8(ascii: "T") { return true }
            // The byte after % is taken by it, whatever it is; so is an `e` after %X.
            index += Self.special(text[index + 1]) || index + 2 >= text.count || text[index + 2] != UInt8(ascii: "e") ? 2 : 3
        }
        return false
    }

    func render(watched: [UInt8], name: [UInt8], mask: Inotify.EventMask, cookie: UInt32, time: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        while index < text.count {
            let byte = text[index]
            if byte != UInt8(ascii: "%") || index + 1 == text.count {
                out.append(byte)
                index += 1
                continue
            }
            let letter = text[index + 1]
            index += 2
            switch letter {
            case UInt8(ascii: "%"): out.append(UInt8(ascii: "%"))
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "0"): out.append(0)
            case UInt8(ascii: "w"): out += watched
            case UInt8(ascii: "f"): out += name
            case UInt8(ascii: "e"): out += printedNames(mask, separator: UInt8(ascii: ","))
            case UInt8(ascii: "T"): out += time
            case UInt8(ascii: "c"): out += Array(String(cookie, radix: 16).utf8)
            default:
                if index < text.count && text[index] == UInt8(ascii: "e") {
                    out += printedNames(mask, separator: letter)
                    index += 1
                } else {
                    out += [UInt8(ascii: "%"), letter]
                }
            }
        }
        if newline { out.append(0x0A) }
        return out
    }

    private static func special(_ letter: UInt8) -> Bool {
        Array("%n0wfeTc".utf8).contains(letter)
    }
}
