import Foundation
import Synchronization

/// A thread that runs /bin/true with posix_spawn(3) again and again until
/// stopped, as a program that starts commands does (a build on each change).
/// Each spawn copies the process's descriptor table for a moment, so a file
/// any other thread has open then is closed for good only when the child
/// execs: its IN_CLOSE comes late, after whatever that thread did next.
public final class Spawner: Sendable {
    private let stopped = Atomic<Bool>(false)
    private let spawns = Atomic<Int>(0)

    public init() {
        let thread = Thread { [self] in
            while !stopped.load(ordering: .relaxed) {
                Spawner.spawnTrue()
                spawns.add(1, ordering: .relaxed)
            }
        }
        thread.start()
    }

    /// How many children ran so far.
    public var count: Int { spawns.load(ordering: .relaxed) }

    public func stop() { stopped.store(true, ordering: .relaxed) }

    private static func spawnTrue() {
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
        defer { free(argv[0]) }
        guard posix_spawn(&pid, "/bin/true", nil, nil, argv, environ) == 0 else { return }
        var status: CInt = 0
        waitpid(pid, &status, 0)
    }
}
