import Glibc
import InotifyTestSupport
import SystemPackage

/// The executables under test and, when installed, the inotify-tools they replace.
enum Tools {
    /// The `inotify` executable built beside this test bundle.
    static let inotify: String = {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let exe = String(decoding: buffer[0..<max(count, 0)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var directory = FilePath(exe).removingLastComponent()
        // swift-testing may run from the .xctest bundle's directory or inside it.
        if directory.lastComponent?.string.hasSuffix(".xctest") == true { directory.removeLastComponent() }
        return directory.appending("inotify").string
    }()

    /// inotify-tools' inotifywait, for differential tests; nil when not installed.
    static let inotifywait: String? = access("/usr/bin/inotifywait", X_OK) == 0 ? "/usr/bin/inotifywait" : nil
    static let inotifywatch: String? = access("/usr/bin/inotifywatch", X_OK) == 0 ? "/usr/bin/inotifywatch" : nil

    /// Runs `inotify` under the name `argv0` (how a link named inotifywait runs it).
    static func start(
        _ argv0: String, _ arguments: [String], stdin: [UInt8]? = nil, directory: String? = nil,
        environment: [String: String] = [:]
    ) throws -> Subprocess {
        try Subprocess(inotify, arguments.map { Array($0.utf8) }, argv0: argv0, stdin: stdin, directory: directory,
                       environment: environment)
    }

    static func run(_ argv0: String, _ arguments: [String], stdin: [UInt8]? = nil, directory: String? = nil) throws
        -> Subprocess.Finished
    {
        try start(argv0, arguments, stdin: stdin, directory: directory).finish()
    }
}
