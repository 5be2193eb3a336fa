/// Text for roff's man(7) macros. Every `-` becomes `\-`, a minus sign, so
/// that options copied from a page are typed as they read; a backslash
/// prints as itself; a line that would start with a control character
/// (`.` or `'`) is guarded so that it prints instead of being read as a request.
enum Roff {
    /// `text` on one line, escaped.
    static func escape(_ text: some StringProtocol) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "\\": escaped += "\\e"
            case "-": escaped += "\\-"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// `text` as lines of a paragraph: each escaped and guarded; an empty
    /// line, which roff would print as a blank line, starts a new paragraph.
    static func text(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            if line.isEmpty { return ".PP" }
            let escaped = escape(line)
            return escaped.hasPrefix(".") || escaped.hasPrefix("'") ? "\\&" + escaped : escaped
        }.joined(separator: "\n")
    }

    /// `text` in bold, within a line.
    static func bold(_ text: some StringProtocol) -> String { "\\fB" + escape(text) + "\\fR" }

    /// `text` in italics, within a line.
    static func italic(_ text: some StringProtocol) -> String { "\\fI" + escape(text) + "\\fR" }

    /// A reference to another page: `inotifywait(1)`, the name in bold.
    static func reference(_ name: String, section: Int = 1) -> String { bold(name) + "(\(section))" }

    /// A request line, `.TH NAME 1 ...`: each argument escaped, and quoted
    /// where it holds a space or is empty.
    static func request(_ name: String, _ arguments: [String] = []) -> String {
        ([".\(name)"] + arguments.map(argument)).joined(separator: " ")
    }

    /// A request's argument as it is written, already escaped: quoted when
    /// it holds a space or is empty, an inner double quote doubled.
    static func argument(_ escaped: String) -> String {
        guard escaped.isEmpty || escaped.contains(" ") || escaped.contains("\"") else { return escaped }
        return "\"" + escaped.replacing("\"", with: "\"\"") + "\""
    }
}
