// getdents64 is declared by glibc only under _GNU_SOURCE, which must not
// reach the module's header (see CInotify.h); everything else is inline there.
#define _GNU_SOURCE 1
#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/vfs.h>
#include "CInotify.h"

long cinotify_getdents64(int fd, void *buffer, size_t size) {
    return (long)getdents64(fd, buffer, size);
}

long long cinotify_filesystem_type(const char *path) {
    struct statfs info;
    if (statfs(path, &info) != 0) return -1;
    return (long long)info.f_type;
}

long long cinotify_filesystem_type_of_fd(int fd) {
    struct statfs info;
    if (fstatfs(fd, &info) != 0) return -1;
    return (long long)info.f_type;
}

int cinotify_o_path(void) { return O_PATH; }

int cinotify_unshare_working_directory(void) { return unshare(CLONE_FS); }
