// pipe2 and posix_spawn_file_actions_addchdir_np are declared by glibc only
// under _GNU_SOURCE, which must not reach the module's header; everything
// else is inline there.
#define _GNU_SOURCE 1
#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>
#include "CInotifyCommand.h"

static pthread_mutex_t getopt_mutex = PTHREAD_MUTEX_INITIALIZER;

void cic_getopt_lock(void) { pthread_mutex_lock(&getopt_mutex); }

void cic_getopt_unlock(void) { pthread_mutex_unlock(&getopt_mutex); }

int cic_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

int cic_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np(actions, path);
}

int cic_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int from) {
    return posix_spawn_file_actions_addclosefrom_np(actions, from);
}

int cic_spawn_command(pid_t *pid, const char *file, char *const argv[], char *const envp[], int stdin_fd) {
    posix_spawnattr_t attributes;
    posix_spawn_file_actions_t actions;
    int failure = posix_spawnattr_init(&attributes);
    if (failure != 0) return failure;
    failure = posix_spawn_file_actions_init(&actions);
    if (failure != 0) {
        posix_spawnattr_destroy(&attributes);
        return failure;
    }
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    if (failure == 0) failure = posix_spawnattr_setflags(&attributes,
        POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    if (failure == 0) failure = posix_spawnattr_setpgroup(&attributes, 0);
    if (failure == 0) failure = posix_spawnattr_setsigmask(&attributes, &none);
    if (failure == 0) failure = posix_spawnattr_setsigdefault(&attributes, &all);
    if (failure == 0 && stdin_fd >= 0) failure = posix_spawn_file_actions_adddup2(&actions, stdin_fd, 0);
    if (failure == 0) failure = posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    if (failure == 0) failure = posix_spawnp(pid, file, &actions, &attributes, argv, envp);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    return failure;
}

int cic_become_subreaper(void) { return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); }
