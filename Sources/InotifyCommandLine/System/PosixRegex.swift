import Glibc

/// A POSIX extended regular expression (regcomp(3)), what inotify-tools'
/// `--exclude` and `--include` take. Not Sendable: the command matches on the
/// one thread that reads events.
final class PosixRegex {
    private var compiled = regex_t()
    private var scratch: [CChar] = []
    private var isCompiled = false

    /// Why a pattern did not compile, in regerror(3)'s words.
    struct CompileError: Error {
        let message: String
    }

    init(_ pattern: [UInt8], caseInsensitive: Bool) throws(CompileError) {
        var flags = REG_EXTENDED | REG_NOSUB
        if caseInsensitive { flags |= REG_ICASE }
        let cPattern = pattern.map { CChar(bitPattern: $0) } + [0]
        let status = regcomp(&compiled, cPattern, flags)
        if status != 0 {
            var message = [CChar](repeating: 0, count: 256)
            regerror(status, &compiled, &message, message.count)
            throw CompileError(message: String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        isCompiled = true
    }

    deinit {
        if isCompiled { regfree(&compiled) }
    }

    /// Whether the pattern matches anywhere in `bytes` (names hold no NUL).
    func matches(_ bytes: UnsafeRawBufferPointer) -> Bool {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: bytes.lazy.map { CChar(bitPattern: $0) })
        scratch.append(0)
        return regexec(&compiled, scratch, 0, nil, 0) == 0
    }
}
