// The one seam between the package and C: every system call of the library,
// the tree watcher and the command line is a function of `Syscalls`, which
// returns a Result with the Errno, as swift-system does. EINTR is retried in
// one place, ``Syscalls/retryOnInterrupt(_:)``, so it never reaches a caller
// by accident. Where tests are compiled (INOTIFY_FAULTS, debug builds), each
// call first asks the fault plan whether to fail instead of calling the
// kernel; a release build carries no hook at all.
//
// Nothing here knows the layers above it: no instance, no tree, no command.

import Glibc
import SystemPackage

/// The package's system calls: one function per call, each returning the
/// kernel's errno as a `Result`, with EINTR retried.
package enum Syscalls {
    /// Runs `body` again for as long as it fails with EINTR: a signal that
    /// interrupts a call is never an answer. The only such loop of the package.
    @inline(__always)
    package static func retryOnInterrupt<T>(_ body: () -> Result<T, Errno>) -> Result<T, Errno> {
        while true {
            let result = body()
            if case .failure(.interrupted) = result { continue }
            return result
        }
    }

    /// `body`, a C call that answers -1 and sets errno when it fails, as
    /// `call`, retried on EINTR.
    @inline(__always)
    static func call<T: FixedWidthInteger>(
        _ call: Syscall, _ target: FaultTarget = .none, _ body: () -> T
    ) -> Result<T, Errno> {
        retryOnInterrupt { once(call, target, body) }
    }

    /// One attempt of `body`, for a call that retries in its own way (poll,
    /// with the time left). Where faults are compiled in, the plan is asked
    /// first: one check.
    @inline(__always)
    static func once<T: FixedWidthInteger>(
        _ call: Syscall, _ target: FaultTarget, _ body: () -> T
    ) -> Result<T, Errno> {
        #if INOTIFY_FAULTS
        if let fault = FaultPlan.fault(for: call, target) { return .failure(fault) }
        #endif
        let result = body()
        return result == -1 ? .failure(Errno(rawValue: Glibc.errno)) : .success(result)
    }

    /// A call that made a descriptor: where faults are compiled in, the plan
    /// hears of it (for leak checks, and to tell later calls on it by the
    /// name it was opened under).
    @inline(__always)
    static func opening(_ result: Result<CInt, Errno>, _ target: FaultTarget = .none) -> Result<CInt, Errno> {
        #if INOTIFY_FAULTS
        if case .success(let fd) = result { FaultPlan.recordOpen(fd, target) }
        #endif
        return result
    }
}

/// What a call is about, for a fault planned for one name only: the path it
/// names (its last component is compared), or the descriptor it uses (the
/// name it was opened under is compared). Where faults are not compiled in,
/// nothing reads it.
enum FaultTarget {
    case none
    case name(UnsafePointer<CChar>)
    case descriptor(CInt)
}
