import Glibc

/// Whether this test process runs under ThreadSanitizer (`swift test
/// --sanitize=thread`): its runtime defines `__tsan_init`. Code runs several
/// times slower there, so a test whose scenario is a race for speed (a burst
/// that a reader must keep up with) skips, saying so, rather than fail for
/// the wrong reason.
public let underThreadSanitizer: Bool = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "__tsan_init") != nil

/// Whether this test process runs under AddressSanitizer (`swift test
/// --sanitize=address`): its runtime defines `__asan_init`. Every allocation
/// goes through its allocator and every access is checked, so decoding a
/// 64 KiB read of 2,048 events takes about 6 to 10 ms there; a test that is
/// a race for speed against a writer skips, saying so.
public let underAddressSanitizer: Bool = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "__asan_init") != nil
