import Inotify

/// A `-e` value as inotify-tools reads it: names from the library's table
/// that inotify-tools knows, any case, separated by commas.
enum EventList {
    /// The names `-e` takes, with their bits.
    static let names: [Inotify.EventMask.NamedMask] =
        Inotify.EventMask.nameTable.filter { $0.inotifyTools != .unknown }

    /// The mask of `text`; nil if a name in it is unknown.
    static func parse(_ text: String) -> Inotify.EventMask? {
        var mask = Inotify.EventMask()
        // Empty names (`create,,delete`) are skipped, as inotify-tools skips them.
        for token in text.split(separator: ",") {
            let upper = token.uppercased()
            guard let entry = names.first(where: { $0.name == upper }) else { return nil }
            mask.formUnion(entry.mask)
        }
        return mask
    }

    /// The mask of one `-e` value, or inotify-tools' refusal of it.
    static func parseOption(_ text: String) throws(UsageError) -> Inotify.EventMask {
        guard let mask = parse(text) else {
            throw UsageError("'\(text)' is not a valid event!  Run with the '--help' option to see a list of events.")
        }
        return mask
    }
}
