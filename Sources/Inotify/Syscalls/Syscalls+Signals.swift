import CInotify
import Glibc
import SystemPackage

// Signals read as data: blocked, then read from a signalfd.

extension Syscalls {
    /// Blocks `signals` in the calling thread (threads started later inherit
    /// the mask) and returns a close-on-exec signalfd(2) that reads them.
    package static func signalDescriptor(blocking signals: [CInt]) -> Result<CInt, Errno> {
        opening(signals.withUnsafeBufferPointer { list in
            call(.signalfd) { cinotify_signalfd(list.baseAddress, CInt(list.count)) }
        })
    }

    /// Reads one signal from a signalfd: its number, or 0 for a read too
    /// short to hold one (which a signalfd never gives).
    package static func readSignal(_ fd: CInt) -> Result<CInt, Errno> {
        let size = Int(cinotify_siginfo_size())
        return withUnsafeTemporaryAllocation(byteCount: size, alignment: 8) { info in
            read(fd, info).map { count in
                count == size ? cinotify_siginfo_signo(UnsafeRawPointer(info.baseAddress!)) : 0
            }
        }
    }
}
