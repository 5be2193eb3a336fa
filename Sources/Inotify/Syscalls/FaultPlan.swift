// Fault injection for tests: a plan of what the next calls of the seam do
// instead of, or before, calling the kernel. Task-local, so tests that run
// in parallel never see each other's faults, and inherited by the threads the
// seam starts. Compiled only with INOTIFY_FAULTS (debug builds): a release
// build has neither the plan nor the check.

#if INOTIFY_FAULTS
import Glibc
import SystemPackage

final class FaultPlan: Sendable {
    @TaskLocal static var current: FaultPlan?

    /// What one planned call does.
    enum Fault: Sendable {
        /// Fails with this errno without reaching the kernel. `.interrupted`
        /// (EINTR) is consumed by the seam's retry and never surfaces.
        case fail(Errno)
        /// Reaches the kernel as if nothing were planned.
        case pass
        /// Runs `action`, then reaches the kernel: what another process does
        /// at that instant (a directory removed just before it is opened).
        case meanwhile(@Sendable () -> Void)
        /// Reaches the kernel with a buffer of at most this many bytes: a
        /// read(2) that gets less than the kernel holds. For any call but
        /// `read`, the same as `.pass`.
        case short(Int)
    }

    private struct Named: Hashable {
        let call: Syscall
        let name: [UInt8]
    }

    private struct State {
        var queued: [Syscall: [Fault]]
        var named: [Named: [Fault]] = [:]
        /// The last component of the path each open descriptor was opened by.
        var names: [CInt: [UInt8]] = [:]
        var opened: [CInt] = []
        var closed: [CInt] = []
    }

    private let state: Lock<State>

    /// `failures[call]` lists the errnos the next calls of `call` fail with, in
    /// order; nil lets that call through to the kernel.
    convenience init(_ failures: [Syscall: [Errno?]] = [:]) {
        self.init(faults: failures.mapValues { list in list.map { $0.map(Fault.fail) ?? .pass } })
    }

    /// `faults[call]` lists what the next calls of `call` do, in order.
    init(faults: [Syscall: [Fault]]) {
        state = Lock(State(queued: faults))
    }

    /// Plans `faults` for the calls of `call` after those planned already.
    func queue(_ call: Syscall, _ faults: [Fault]) {
        state.withLock { $0.queued[call, default: []] += faults }
    }

    /// Plans `faults` for the next calls of `call` about `name`: given a path
    /// whose last component is `name`, or a descriptor opened by one (the
    /// standard streams are `stdin`, `stdout` and `stderr`). They come
    /// before the faults planned for every call of `call`.
    func on(_ call: Syscall, named name: String, _ faults: [Fault]) {
        state.withLock { $0.named[Named(call: call, name: Array(name.utf8)), default: []] += faults }
    }

    /// How many planned faults have not been used yet.
    var remaining: Int {
        state.withLock { state in
            state.queued.values.reduce(0) { $0 + $1.count } + state.named.values.reduce(0) { $0 + $1.count }
        }
    }

    /// The descriptors the seam closed while this plan was current, in order:
    /// lets a test see that an instance closes its descriptor exactly once.
    var closed: [CInt] { state.withLock { $0.closed } }

    /// The descriptors the seam opened (inotify instances, eventfds, files,
    /// directories) while this plan was current: with ``closed``, a leak check.
    var opened: [CInt] { state.withLock { $0.opened } }

    /// The plan the seam follows: the task's, else the process's own (from
    /// its environment, ``environment``).
    static var active: FaultPlan? { current ?? environment }

    /// The seam's one check per call: the errno `call` fails with, or nil to
    /// call the kernel (after an action planned for the instant before).
    static func fault(for call: Syscall, _ target: FaultTarget) -> Errno? {
        if case .failure(let errno) = limit(for: call, target) { return errno }
        return nil
    }

    /// ``fault(for:_:)`` for a call that takes a buffer: the errno it fails
    /// with, or the most bytes the kernel may be given (nil: all of them).
    static func limit(for call: Syscall, _ target: FaultTarget) -> Result<Int?, Errno> {
        guard let plan = active else { return .success(nil) }
        switch plan.take(call, target) {
        case nil, .pass?:
            return .success(nil)
        case .fail(let errno)?:
            return .failure(errno)
        case .meanwhile(let action)?:
            action()  // outside the lock: it may make calls of its own
            return .success(nil)
        case .short(let bytes)?:
            return .success(bytes)
        }
    }

    static func recordOpen(_ fd: CInt, _ target: FaultTarget) {
        guard let plan = active else { return }
        let name: [UInt8]? = if case .name(let path) = target { lastComponent(path) } else { nil }
        plan.state.withLock { state in
            state.opened.append(fd)
            state.names[fd] = name
        }
    }

    static func recordClose(_ fd: CInt) {
        active?.state.withLock { state in
            state.closed.append(fd)
            state.names[fd] = nil
        }
    }

    private func take(_ call: Syscall, _ target: FaultTarget) -> Fault? {
        state.withLock { state -> Fault? in
            if !state.named.isEmpty, let name = Self.name(of: target, state.names) {
                let key = Named(call: call, name: name)
                if var list = state.named[key], !list.isEmpty {
                    let first = list.removeFirst()
                    state.named[key] = list
                    return first
                }
            }
            guard var list = state.queued[call], !list.isEmpty else { return nil }
            let first = list.removeFirst()
            state.queued[call] = list
            return first
        }
    }

    private static func name(of target: FaultTarget, _ names: [CInt: [UInt8]]) -> [UInt8]? {
        switch target {
        case .none: nil
        case .name(let path): lastComponent(path)
        case .descriptor(let fd): names[fd] ?? standardNames[fd]
        }
    }

    /// The names a plan aims at the standard streams by, which no call of
    /// the seam opens (`write@stdout=EIO`: output fails, messages do not).
    private static let standardNames: [CInt: [UInt8]] = [0: Array("stdin".utf8), 1: Array("stdout".utf8), 2: Array("stderr".utf8)]

    /// The last component of a NUL-terminated path, trailing slashes aside.
    private static func lastComponent(_ path: UnsafePointer<CChar>) -> [UInt8] {
        var bytes = UnsafeRawBufferPointer(start: path, count: strlen(path))[...]
        while bytes.count > 1, bytes.last == UInt8(ascii: "/") { bytes = bytes.dropLast() }
        if let slash = bytes.lastIndex(of: UInt8(ascii: "/")), bytes.count > 1 { bytes = bytes[(slash + 1)...] }
        return Array(bytes)
    }
}
#endif
