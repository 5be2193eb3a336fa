/// git's wildmatch (wildmatch.c), byte for byte: the glob matcher behind
/// every gitignore pattern. It is not fnmatch(3): `**` has meanings of its
/// own, `[...]` takes `!` and `^`, the character classes are git's
/// locale-free ones (its `[:space:]` is tab, newline, carriage return and
/// space, not vertical tab or form feed), and an unterminated `[` or an
/// unknown `[:class:]` ends the match as a failure wherever it is reached.
///
/// Ported structurally, so that it can be read against git's: with the
/// "abort" results that spare the enclosing `*`s retries that cannot
/// succeed (the text ran out, or a `*` met a `/`), which keep a pattern of
/// many stars from taking exponential time. The end of a buffer stands for
/// C's NUL; names and patterns hold no NUL.
enum Wildmatch {
    enum Result { case match, noMatch, abortAll, abortToStarStar }

    /// Whether `pattern` matches all of `text`. With `pathname` (git's
    /// WM_PATHNAME), `*`, `?` and `[...]` do not match `/`, and `**` between
    /// slashes matches any number of directories.
    static func matches(_ pattern: UnsafeBufferPointer<UInt8>, _ text: UnsafeBufferPointer<UInt8>, pathname: Bool) -> Bool {
        match(pattern, 0, text, 0, pathname) == .match
    }

    /// Whether `byte` is one of the characters git calls glob-special: a
    /// pattern without them is matched by plain comparison.
    @inline(__always)
    static func isSpecial(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "*") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "\\")
    }

    private static let slash = UInt8(ascii: "/")
    private static let star = UInt8(ascii: "*")
    private static let backslash = UInt8(ascii: "\\")

    private static func match(
        _ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ t: UnsafeBufferPointer<UInt8>, _ textStart: Int, _ pathname: Bool
    ) -> Result {
        @inline(__always) func pat(_ i: Int) -> UInt8 { i < p.count ? p[i] : 0 }
        @inline(__always) func txt(_ i: Int) -> UInt8 { i < t.count ? t[i] : 0 }
        func slashIndex(from i: Int) -> Int? {
            var j = i
            while j < t.count { if t[j] == slash { return j }; j += 1 }
            return nil
        }

        var pi = start
        var ti = textStart
        while pi < p.count {
            var pch = p[pi]
            var tch = txt(ti)
            if tch == 0 && pch != star { return .abortAll }
            switch pch {
            case backslash:
                // A backslash at the end compares NUL with a byte of the text: no match.
                pi += 1
                pch = pat(pi)
                if tch != pch { return .noMatch }
            case UInt8(ascii: "?"):
                if pathname && tch == slash { return .noMatch }
            case star:
                let matchSlash: Bool
                pi += 1
                if pat(pi) == star {
                    let before = pi - 2
                    pi += 1
                    while pat(pi) == star { pi += 1 }
                    if (before < start || p[before] == slash)
                        && (pi == p.count || p[pi] == slash || (p[pi] == backslash && pat(pi + 1) == slash)) {
                        // "**/" can match no directory at all: try the rest here first.
                        if pat(pi) == slash && match(p, pi + 1, t, ti, pathname) == .match { return .match }
                        matchSlash = true
                    } else {
                        matchSlash = false
                    }
                } else {
                    matchSlash = !pathname
                }
                if pi == p.count {
                    if !matchSlash && slashIndex(from: ti) != nil { return .noMatch }
                    return .match
                } else if !matchSlash && p[pi] == slash {
                    // One `*` then `/`: the rest of this directory's name, then on after its slash.
                    guard let slashAt = slashIndex(from: ti) else { return .noMatch }
                    ti = slashAt
                    break
                } else {
                    while true {
                        if tch == 0 { break }
                        if !isSpecial(p[pi]) {
                            // What precedes the next literal byte belongs to the `*`.
                            let literal = p[pi]
                            while true {
                                tch = txt(ti)
                                if tch == 0 || (!matchSlash && tch == slash) || tch == literal { break }
                                ti += 1
                            }
                            if tch != literal { return .noMatch }
                        }
                        let result = match(p, pi, t, ti, pathname)
                        if result != .noMatch {
                            if !matchSlash || result != .abortToStarStar { return result }
                        } else if !matchSlash && tch == slash {
                            return .abortToStarStar
                        }
                        ti += 1
                        tch = txt(ti)
                    }
                    return .abortAll
                }
            case UInt8(ascii: "["):
                switch bracket(p, opening: pi, byte: tch) {
                case .set(let contains, let closing):
                    if !contains || (pathname && tch == slash) { return .noMatch }
                    pi = closing
                case .unterminated, .unknownClass:
                    return .abortAll
                }
            default:
                if tch != pch { return .noMatch }
            }
            ti += 1
            pi += 1
        }
        return ti < t.count ? .noMatch : .match
    }

    /// What a bracket expression is, parsed as wildmatch parses it.
    enum Bracket {
        /// A set ending at `closing` (the index of its `]`); `contains`: whether the byte is in it.
        case set(contains: Bool, closing: Int)
        /// No `]` closes it (or a backslash escapes nothing in it).
        case unterminated
        /// A `[:name:]` that git does not know; `name` is where the name is in the pattern.
        case unknownClass(name: Range<Int>)
    }

    /// The bracket expression whose `[` is at `opening`, and whether `byte` is
    /// in it. Its first member may be `]`, and `!` or `^` after the `[`
    /// negates it; a `-` makes a range except first, last or right after a
    /// range or class; a backslash escapes the next byte; a `[:` without its
    /// `:]` is an ordinary `[`.
    static func bracket(_ p: UnsafeBufferPointer<UInt8>, opening: Int, byte tch: UInt8) -> Bracket {
        @inline(__always) func pat(_ i: Int) -> UInt8 { i < p.count ? p[i] : 0 }
        var pi = opening + 1
        var pch = pat(pi)
        if pch == UInt8(ascii: "^") { pch = UInt8(ascii: "!") }
        let negated = pch == UInt8(ascii: "!")
        if negated {
            pi += 1
            pch = pat(pi)
        }
        var previous: UInt8 = 0
        var matched = false
        repeat {
            if pch == 0 { return .unterminated }
            if pch == backslash {
                pi += 1
                pch = pat(pi)
                if pch == 0 { return .unterminated }
                if tch == pch { matched = true }
            } else if pch == UInt8(ascii: "-") && previous != 0 && pat(pi + 1) != 0 && pat(pi + 1) != UInt8(ascii: "]") {
                pi += 1
                pch = p[pi]
                if pch == backslash {
                    pi += 1
                    pch = pat(pi)
                    if pch == 0 { return .unterminated }
                }
                if tch <= pch && tch >= previous { matched = true }
                pch = 0  // no range may start at a range's end
            } else if pch == UInt8(ascii: "[") && pat(pi + 1) == UInt8(ascii: ":") {
                pi += 2
                let nameStart = pi
                while pat(pi) != 0 && pat(pi) != UInt8(ascii: "]") { pi += 1 }
                if pat(pi) == 0 { return .unterminated }
                let nameLength = pi - nameStart - 1
                if nameLength < 0 || p[pi - 1] != UInt8(ascii: ":") {
                    // No ":]": the `[` is an ordinary member, and parsing goes on after it.
                    pi = nameStart - 2
                    pch = UInt8(ascii: "[")
                    if tch == pch { matched = true }
                } else {
                    let name = UnsafeBufferPointer(rebasing: p[nameStart..<(nameStart + nameLength)])
                    guard let inClass = CharacterClass.contains(name, tch) else {
                        return .unknownClass(name: nameStart..<(nameStart + nameLength))
                    }
                    if inClass { matched = true }
                    pch = 0
                }
            } else if tch == pch {
                matched = true
            }
            previous = pch
            pi += 1
            pch = pat(pi)
        } while pch != UInt8(ascii: "]")
        return .set(contains: matched != negated, closing: pi)
    }

    /// git's `[:name:]` classes, on its own ctype table: ASCII only, no locale.
    enum CharacterClass {
        /// Whether `byte` is in the class called `name`; nil for a name git does not know.
        static func contains(_ name: UnsafeBufferPointer<UInt8>, _ byte: UInt8) -> Bool? {
            guard let test = tests.first(where: { $0.name.elementsEqual(name) })?.test else { return nil }
            return test(byte)
        }

        private static func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z") }
        private static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
        private static func isPrint(_ c: UInt8) -> Bool { c >= 0x20 && c <= 0x7E }
        private static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }

        private static let tests: [(name: [UInt8], test: @Sendable (UInt8) -> Bool)] = [
            (Array("alnum".utf8), { isAlpha($0) || isDigit($0) }),
            (Array("alpha".utf8), { isAlpha($0) }),
            (Array("blank".utf8), { $0 == 0x20 || $0 == 0x09 }),
            (Array("cntrl".utf8), { $0 < 0x20 || $0 == 0x7F }),
            (Array("digit".utf8), { isDigit($0) }),
            (Array("graph".utf8), { $0 > 0x20 && $0 <= 0x7E }),
            (Array("lower".utf8), { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }),
            (Array("print".utf8), { isPrint($0) }),
            (Array("punct".utf8), { isPrint($0) && $0 != 0x20 && !isAlpha($0) && !isDigit($0) }),
            (Array("space".utf8), { isSpace($0) }),
            (Array("upper".utf8), { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }),
            (Array("xdigit".utf8), { isDigit($0) || ((($0 | 0x20) >= UInt8(ascii: "a")) && (($0 | 0x20) <= UInt8(ascii: "f"))) }),
        ]
    }
}
