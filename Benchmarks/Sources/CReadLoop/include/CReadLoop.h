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

/// Queues 2 x `pairs` events (OPEN, CLOSE_NOWRITE) on watchers of `path` by
/// opening and closing it from a thread of its own, pinned to `cpu` when it
/// is not negative: as another process would, so that no consumer finds the
/// kernel's event records warm in its own core's cache. Returns 0 or -1.
int creadloop_queue_events(const char *path, int64_t pairs, int cpu);

/// Starts the latency writer: a thread that, each time it is let go, spins
/// for `gap_us` (time for the consumer to be waiting again), stamps the time
/// and writes one byte to `file_fd`. Returns 0 or -1.
int creadloop_writer_start(int file_fd, int gap_us);

/// Lets the writer make its next write.
void creadloop_writer_go(void);

/// CLOCK_MONOTONIC in ns just before the writer's last write.
int64_t creadloop_writer_stamp(void);

void creadloop_writer_stop(void);

/// CLOCK_MONOTONIC in ns.
int64_t creadloop_now_ns(void);

/// CLOCK_PROCESS_CPUTIME_ID in ns: every thread of the process.
int64_t creadloop_process_cpu_ns(void);

/// The C baseline of recursive setup: watches `root` and every directory
/// below it on `inotify_fd`, breadth first, types from readdir. Returns the
/// number of watches added.
int64_t ctree_watch(int inotify_fd, const char *root);

/// The same walk with find(1)'s leaf optimisation, as TreeWatcher's first
/// scan does it: a directory whose link count is 2 on ext2/3/4, tmpfs or XFS
/// has no subdirectories, so it is watched but not listed. What the C loop
/// would take if it knew the same trick.
int64_t ctree_watch_skipping_leaves(int inotify_fd, const char *root);

#endif
