#ifndef C_INOTIFY_H
#define C_INOTIFY_H

// What Swift cannot import from <sys/inotify.h>, <sys/fanotify.h> and friends by itself:
// macros composed of other macros (IN_ALL_EVENTS, IN_CLOSE, IN_MOVE), eventfd,
// ioctl(2), which is variadic, getdents64, which glibc declares only
// under _GNU_SOURCE, statfs(2) and signalfd(2), whose headers Swift's Glibc
// leaves out.
// Everything here is a thin forward.

#include <stddef.h>
#include <stdint.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/eventfd.h>
#include <limits.h>
#include <sys/prctl.h>
#include <sys/fanotify.h>

// fanotify(7) constants newer than the C library's <linux/fanotify.h>, with
// the kernel's values (include/uapi/linux/fanotify.h), so that the Swift
// constants can be held against this header whichever the build machine has.
#ifndef FAN_PRE_ACCESS
#define FAN_PRE_ACCESS 0x00100000
#endif
#ifndef FAN_MNT_ATTACH
#define FAN_MNT_ATTACH 0x01000000
#endif
#ifndef FAN_MNT_DETACH
#define FAN_MNT_DETACH 0x02000000
#endif
#ifndef FAN_REPORT_FD_ERROR
#define FAN_REPORT_FD_ERROR 0x00002000
#endif
#ifndef FAN_REPORT_MNT
#define FAN_REPORT_MNT 0x00004000
#endif
#ifndef FAN_MARK_EVICTABLE
#define FAN_MARK_EVICTABLE 0x00000200
#endif
#ifndef FAN_MARK_IGNORE
#define FAN_MARK_IGNORE 0x00000400
#endif
#ifndef FAN_MARK_MNTNS
#define FAN_MARK_MNTNS 0x00000110
#endif
#ifndef FAN_EVENT_INFO_TYPE_RANGE
#define FAN_EVENT_INFO_TYPE_RANGE 6
#endif
#ifndef FAN_EVENT_INFO_TYPE_MNT
#define FAN_EVENT_INFO_TYPE_MNT 7
#endif
#ifndef FAN_INFO
#define FAN_INFO 0x20
#endif

/// Names the calling thread (prctl(PR_SET_NAME), 15 bytes at most).
static inline int cinotify_set_thread_name(const char *name) {
    return prctl(PR_SET_NAME, name, 0, 0, 0);
}

/// ioctl(fd, FIONREAD, &count): bytes queued on the descriptor.
static inline int cinotify_fionread(int fd, int *count) {
    return ioctl(fd, FIONREAD, count);
}

/// getdents64(2): a directory's entries into `buffer` as struct dirent64
/// records (d_ino, d_off, d_reclen, d_type, d_name), with no DIR allocation.
/// Defined in CInotify.c, which alone sees _GNU_SOURCE: defining it here
/// would give this module glibc types that differ from Swift's Glibc module.
long cinotify_getdents64(int fd, void *buffer, size_t size);

/// statfs(2)'s f_type (the filesystem's magic number) for `path`, or -1
/// with errno set. Defined in CInotify.c: <sys/vfs.h> is not in Swift's Glibc.
long long cinotify_filesystem_type(const char *path);

/// fstatfs(2)'s f_type for an open descriptor, or -1 with errno set.
long long cinotify_filesystem_type_of_fd(int fd);

/// O_PATH, which glibc defines only under _GNU_SOURCE: a descriptor that
/// names a directory without opening it for reading (no IN_OPEN), usable as
/// the directory of openat(2) and fstatat(2) and in /proc/self/fd paths.
int cinotify_o_path(void);

/// AT_EMPTY_PATH, which glibc defines only under _GNU_SOURCE: the call is
/// about the object its descriptor argument holds.
int cinotify_at_empty_path(void);

/// unshare(CLONE_FS): the calling thread gets a working directory of its own,
/// which its fchdir(2) then changes for it alone. 0, or -1 with errno set.
/// Defined in CInotify.c: unshare is declared only under _GNU_SOURCE.
int cinotify_unshare_working_directory(void);

/// Blocks `signals` in the calling thread (threads started later inherit the
/// mask) and returns a close-on-exec signalfd(2) that reads them; -1 with
/// errno set. Defined in CInotify.c, with <sys/signalfd.h>.
int cinotify_signalfd(const int *signals, int count);

/// sizeof(struct signalfd_siginfo): what one read of a signalfd takes.
int cinotify_siginfo_size(void);

/// The signal number of one struct signalfd_siginfo read from a signalfd.
int cinotify_siginfo_signo(const void *info);

/// The symbolic name of an errno ("EIO"), or NULL where glibc has none
/// (strerrorname_np, a GNU extension, hence CInotify.c).
const char *cinotify_errno_name(int code);

/// open_by_handle_at(2) of the handle `bytes` (`count` of them) of type
/// `type`, as a fanotify file identifier record carries it, against the
/// mount open as `mount_fd`; -1 with errno set. Defined in CInotify.c:
/// struct file_handle and the call are declared only under _GNU_SOURCE.
int cinotify_open_by_handle_at(int mount_fd, int type, const void *bytes, unsigned int count, int flags);

/// name_to_handle_at(2) of `path` in `directory` (`""` with AT_EMPTY_PATH in
/// `flags` for the object `directory` is): the handle's type in `type`, its
/// bytes in `bytes` (room for `*count`; on return, how many), as a fanotify
/// file identifier record carries them; -1 with errno set (EOVERFLOW when
/// `*count` is too small, which then says how many are needed).
int cinotify_name_to_handle_at(int directory, const char *path, int flags, int *type, void *bytes, unsigned int *count);

/// fstatfs(2)'s f_fsid of an open descriptor, the filesystem id fanotify
/// records carry, in `first` and `second`; -1 with errno set.
int cinotify_filesystem_id(int fd, int *first, int *second);

/// gettid(2): the calling thread's id, which fanotify reports as an event's
/// pid with FAN_REPORT_TID.
int cinotify_thread_id(void);

/// fanotify_init(2).
static inline int cinotify_fanotify_init(unsigned int flags, unsigned int event_f_flags) {
    return fanotify_init(flags, event_f_flags);
}

/// fanotify_mark(2). `path` may be NULL (the object open as `dirfd`).
static inline int cinotify_fanotify_mark(int fd, unsigned int flags, uint64_t mask, int dirfd, const char *path) {
    return fanotify_mark(fd, flags, mask, dirfd, path);
}

/// sizeof(struct fanotify_event_metadata).
static inline size_t cinotify_fanotify_metadata_size(void) { return sizeof(struct fanotify_event_metadata); }

static inline int cinotify_eventfd(unsigned int initval, int flags) {
    return eventfd(initval, flags);
}

static inline int cinotify_efd_cloexec(void) { return EFD_CLOEXEC; }
static inline int cinotify_efd_nonblock(void) { return EFD_NONBLOCK; }

// The header's values, so that tests can hold the Swift constants against the
// C header rather than against a second hand-written list.
static inline uint32_t cinotify_IN_ACCESS(void) { return IN_ACCESS; }
static inline uint32_t cinotify_IN_MODIFY(void) { return IN_MODIFY; }
static inline uint32_t cinotify_IN_ATTRIB(void) { return IN_ATTRIB; }
static inline uint32_t cinotify_IN_CLOSE_WRITE(void) { return IN_CLOSE_WRITE; }
static inline uint32_t cinotify_IN_CLOSE_NOWRITE(void) { return IN_CLOSE_NOWRITE; }
static inline uint32_t cinotify_IN_OPEN(void) { return IN_OPEN; }
static inline uint32_t cinotify_IN_MOVED_FROM(void) { return IN_MOVED_FROM; }
static inline uint32_t cinotify_IN_MOVED_TO(void) { return IN_MOVED_TO; }
static inline uint32_t cinotify_IN_CREATE(void) { return IN_CREATE; }
static inline uint32_t cinotify_IN_DELETE(void) { return IN_DELETE; }
static inline uint32_t cinotify_IN_DELETE_SELF(void) { return IN_DELETE_SELF; }
static inline uint32_t cinotify_IN_MOVE_SELF(void) { return IN_MOVE_SELF; }
static inline uint32_t cinotify_IN_UNMOUNT(void) { return IN_UNMOUNT; }
static inline uint32_t cinotify_IN_Q_OVERFLOW(void) { return IN_Q_OVERFLOW; }
static inline uint32_t cinotify_IN_IGNORED(void) { return IN_IGNORED; }
static inline uint32_t cinotify_IN_CLOSE(void) { return IN_CLOSE; }
static inline uint32_t cinotify_IN_MOVE(void) { return IN_MOVE; }
static inline uint32_t cinotify_IN_ONLYDIR(void) { return IN_ONLYDIR; }
static inline uint32_t cinotify_IN_DONT_FOLLOW(void) { return IN_DONT_FOLLOW; }
static inline uint32_t cinotify_IN_EXCL_UNLINK(void) { return IN_EXCL_UNLINK; }
static inline uint32_t cinotify_IN_MASK_CREATE(void) { return IN_MASK_CREATE; }
static inline uint32_t cinotify_IN_MASK_ADD(void) { return IN_MASK_ADD; }
static inline uint32_t cinotify_IN_ISDIR(void) { return IN_ISDIR; }
static inline uint32_t cinotify_IN_ONESHOT(void) { return IN_ONESHOT; }
static inline uint32_t cinotify_IN_ALL_EVENTS(void) { return IN_ALL_EVENTS; }
static inline uint32_t cinotify_IN_NONBLOCK(void) { return IN_NONBLOCK; }
static inline uint32_t cinotify_IN_CLOEXEC(void) { return IN_CLOEXEC; }
static inline size_t cinotify_event_header_size(void) { return sizeof(struct inotify_event); }
static inline size_t cinotify_name_max(void) { return NAME_MAX; }

#endif
