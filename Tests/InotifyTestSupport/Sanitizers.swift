import Glibc

/// Whether this test process runs under ThreadSanitizer (`swift test
/// --sanitize=thread`): its runtime defines `__tsan_init`. Code runs several
/// times slower there, so a test whose scenario is a race for speed (a burst
/// that a reader must keep up with) skips, saying so, rather than fail for
/// the wrong reason.
public let underThreadSanitizer: Bool = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "__tsan_init") != nil
