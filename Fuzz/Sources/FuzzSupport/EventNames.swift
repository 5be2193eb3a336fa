import Inotify

/// An event's names as inotifywait prints them (`%e`, `-c`), read from the
/// library's table afresh: the printed names whose bits the mask has, in the
/// table's order, joined by `separator`; the mask in hex (`0x%08x`) when it
/// has none of them.
public func printedNames(_ mask: Inotify.EventMask, separator: UInt8) -> [UInt8] {
    let names = Inotify.EventMask.nameTable
        .filter { $0.inotifyTools == .printed && !mask.isDisjoint(with: $0.mask) }
        .map { Array($0.name.utf8) }
    if names.isEmpty {
        let hex = String(mask.rawValue, radix: 16)
        return Array(("0x" + String(repeating: "0", count: 8 - hex.count) + hex).utf8)
    }
    return Array(names.joined(separator: [separator]))
}
