// What glibc declares only under _GNU_SOURCE (getdents64, unshare, O_PATH,
// strerrorname_np), which must not reach the module's header (see
// CInotify.h), and what needs headers Swift's Glibc leaves out (statfs,
// signalfd). Everything else is inline there.
#define _GNU_SOURCE 1
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <stdlib.h>
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

int cinotify_signalfd(const int *signals, int count) {
    sigset_t set;
    sigemptyset(&set);
    for (int i = 0; i < count; i++) sigaddset(&set, signals[i]);
    int failure = pthread_sigmask(SIG_BLOCK, &set, NULL);
    if (failure != 0) {
        errno = failure;
        return -1;
    }
    return signalfd(-1, &set, SFD_CLOEXEC);
}

int cinotify_siginfo_size(void) { return (int)sizeof(struct signalfd_siginfo); }

int cinotify_siginfo_signo(const void *info) {
    return (int)((const struct signalfd_siginfo *)info)->ssi_signo;
}

const char *cinotify_errno_name(int code) { return strerrorname_np(code); }

int cinotify_open_by_handle_at(int mount_fd, int type, const void *bytes, unsigned int count, int flags) {
    struct file_handle *handle = malloc(sizeof(struct file_handle) + count);
    if (handle == NULL) {
        errno = ENOMEM;
        return -1;
    }
    handle->handle_bytes = count;
    handle->handle_type = type;
    memcpy(handle->f_handle, bytes, count);
    int fd = open_by_handle_at(mount_fd, handle, flags);
    int saved = errno;
    free(handle);
    errno = saved;
    return fd;
}

int cinotify_name_to_handle_at(int directory, const char *path, int flags, int *type, void *bytes, unsigned int *count) {
    struct file_handle *handle = malloc(sizeof(struct file_handle) + *count);
    if (handle == NULL) {
        errno = ENOMEM;
        return -1;
    }
    handle->handle_bytes = *count;
    int mount_id = 0;
    int result = name_to_handle_at(directory, path, handle, &mount_id, flags);
    int saved = errno;
    if (result == 0) {
        *type = handle->handle_type;
        memcpy(bytes, handle->f_handle, handle->handle_bytes);
    }
    // On EOVERFLOW the kernel writes the size it needs.
    *count = handle->handle_bytes;
    free(handle);
    errno = saved;
    return result;
}

int cinotify_filesystem_id(int fd, int *first, int *second) {
    struct statfs info;
    if (fstatfs(fd, &info) != 0) return -1;
    *first = info.f_fsid.__val[0];
    *second = info.f_fsid.__val[1];
    return 0;
}

int cinotify_thread_id(void) { return (int)gettid(); }

int cinotify_at_empty_path(void) { return AT_EMPTY_PATH; }
