// Fault injection for tests: a task-local plan of errnos that the next calls
// of the syscall seam return instead of calling the kernel. Task-local, so
// tests that run in parallel never see each other's faults; a plain build
// pays one task-local lookup per call, which is noise next to a syscall.

import Synchronization
import SystemPackage

final class FaultPlan: Sendable {
    @TaskLocal static var current: FaultPlan?

    private let queued: Lock<[Syscall: [Errno?]]>
    private let closedDescriptors = Lock<[CInt]>([])
    private let openedDescriptors = Lock<[CInt]>([])

    /// `failures[call]` lists the errnos the next calls of `call` fail with, in
    /// order; nil lets that call through to the kernel. `.interrupted` (EINTR)
    /// is consumed by the seam's retry and never surfaces.
    init(_ failures: [Syscall: [Errno?]] = [:]) {
        queued = Lock(failures)
    }

    /// How many injected failures have not been used yet.
    var remaining: Int {
        queued.withLock { $0.values.reduce(0) { $0 + $1.count } }
    }

    /// The descriptors the seam closed while this plan was current, in order:
    /// lets a test see that an instance closes its descriptor exactly once.
    var closed: [CInt] { closedDescriptors.withLock { $0 } }

    /// The descriptors the seam opened (inotify instances, eventfds, files)
    /// while this plan was current: with ``closed``, a leak check.
    var opened: [CInt] { openedDescriptors.withLock { $0 } }

    static func recordOpen(_ fd: CInt) {
        current?.openedDescriptors.withLock { $0.append(fd) }
    }

    static func recordClose(_ fd: CInt) {
        current?.closedDescriptors.withLock { $0.append(fd) }
    }

    static func next(for call: Syscall) -> Errno? {
        guard let plan = current else { return nil }
        return plan.queued.withLock { table -> Errno? in
            guard var list = table[call], !list.isEmpty else { return nil }
            let first = list.removeFirst()
            table[call] = list
            return first
        }
    }
}
