// getdents64 is declared by glibc only under _GNU_SOURCE, which must not
// reach the module's header (see CInotify.h); everything else is inline there.
#define _GNU_SOURCE 1
#include <dirent.h>
#include "CInotify.h"

long cinotify_getdents64(int fd, void *buffer, size_t size) {
    return (long)getdents64(fd, buffer, size);
}
