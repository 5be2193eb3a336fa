#ifndef C_READ_LOOP_H
#define C_READ_LOOP_H

#include <stdint.h>

/// The C baseline: a plain blocking read(2) loop over a 64 KiB buffer that
/// decodes every event and touches its name, until `events` events were
/// read. Returns a checksum of the names' lengths, or -1 on a read error.
int64_t creadloop_drain(int inotify_fd, int64_t events);

/// Starts a consumer thread blocked in read(2) on `inotify_fd`; for every
/// event it stamps CLOCK_MONOTONIC and posts a semaphore. Returns 0 or -1.
int creadloop_latency_start(int inotify_fd);

/// Waits for the consumer's next event; returns its CLOCK_MONOTONIC stamp in ns.
int64_t creadloop_latency_next(void);

/// Ends the consumer thread (closing `inotify_fd` under it is not done: the
/// thread is cancelled in read, a cancellation point).
void creadloop_latency_stop(void);

/// CLOCK_MONOTONIC in ns.
int64_t creadloop_now_ns(void);

/// CLOCK_PROCESS_CPUTIME_ID in ns: every thread of the process.
int64_t creadloop_process_cpu_ns(void);

/// The C baseline of recursive setup: watches `root` and every directory
/// below it on `inotify_fd`, breadth first, types from readdir. Returns the
/// number of watches added.
int64_t ctree_watch(int inotify_fd, const char *root);

#endif
