#ifndef C_INOTIFY_COMMAND_H
#define C_INOTIFY_COMMAND_H

// What the command line needs from C that Swift 6 cannot touch directly:
// getopt_long's global state (optarg, optind). Its system calls (signalfd
// among them) are the seam's, Syscalls in the Inotify module.

#include <stddef.h>
#include <fcntl.h>
#include <spawn.h>
#include <unistd.h>
#include <pthread.h>
#include <getopt.h>
#include <signal.h>

/// getopt_long, with optarg, optind and optopt handed back instead of left in
/// globals. Using glibc's own parser is what makes `inotify wait` accept
/// exactly what inotifywait accepts: abbreviated long options, `-t5`,
/// `--event=x`, operands before options.
static inline int cic_getopt_long(int argc, char *const argv[], const char *shortopts,
                                  const struct option *longopts, char **argument, int *next,
                                  int *failed) {
    int code = getopt_long(argc, argv, shortopts, longopts, NULL);
    *argument = optarg;
    *next = optind;
    *failed = optopt;
    return code;
}

/// Starts a fresh scan (optind = 0 makes glibc reinitialise fully), with
/// getopt's own messages off: the caller words them (see GetoptError).
static inline void cic_getopt_reset(void) {
    optind = 0;
    opterr = 0;
    optopt = 0;
}

/// getopt_long keeps its scan in globals, so one parse runs at a time. A C
/// mutex, statically initialised: a Swift global would be made lazily, under
/// swift_once, which ThreadSanitizer does not see as synchronization.
void cic_getopt_lock(void);
void cic_getopt_unlock(void);

/// For the tests, which drive the executable: glibc declares these only
/// under _GNU_SOURCE, so they are defined in CInotifyCommand.c, which alone
/// sees it (in this header it would change glibc's types for the module).
int cic_pipe_cloexec(int fds[2]);

int cic_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path);

/// Closes every descriptor from `from` up in the child (glibc 2.34 and later).
int cic_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int from);

/// `inotify run`'s command: posix_spawnp(3) of `file` in a process group of
/// its own (so that a stop reaches everything it started), with no signal
/// blocked and every signal at its default (the caller blocks some for its
/// signalfd), `stdin_fd` as its standard input when not -1, and no other
/// descriptor above 2. Returns 0, or the error number (ENOENT, EACCES: the
/// exec failed).
int cic_spawn_command(pid_t *pid, const char *file, char *const argv[], char *const envp[], int stdin_fd);

/// prctl(PR_SET_CHILD_SUBREAPER): what the command leaves behind when it
/// ends (its background jobs) is reparented to this process, not to init,
/// so that `inotify run` reaps it and can tell when a process group is gone.
int cic_become_subreaper(void);

#endif
