// pipe2 and posix_spawn_file_actions_addchdir_np are declared by glibc only
// under _GNU_SOURCE, which must not reach the module's header; everything
// else is inline there.
#define _GNU_SOURCE 1
#include <fcntl.h>
#include <spawn.h>
#include <unistd.h>
#include "CInotifyCommand.h"

int cic_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

int cic_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np(actions, path);
}

int cic_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int from) {
    return posix_spawn_file_actions_addclosefrom_np(actions, from);
}
