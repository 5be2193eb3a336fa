#define _GNU_SOURCE
#include "CReadLoop.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#define TREE_MASK (IN_CREATE | IN_DELETE | IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_ONLYDIR | IN_DONT_FOLLOW)

/* The C baseline of recursive setup: breadth first, a watch on each directory
 * before it is listed, entry types from readdir (no stat per entry), every
 * directory's path kept (as any watcher must, to name its events). With
 * skip_leaves, a directory the link count shows to have no subdirectories is
 * watched but not listed. */
static int64_t walk(int fd, const char *root, int skip_leaves) {
    /* Whether the root's filesystem keeps directory link counts (one
     * filesystem per walk here; TreeWatcher asks once per device). */
    struct statfs filesystem;
    int trusted = skip_leaves && statfs(root, &filesystem) == 0
        && (filesystem.f_type == 0xEF53 || filesystem.f_type == 0x01021994 || filesystem.f_type == 0x58465342);
    size_t capacity = 1024, head = 0, tail = 0;
    char **queue = malloc(capacity * sizeof *queue);
    queue[tail++] = strdup(root);
    int64_t watched = 0;
    while (head < tail) {
        char *dir = queue[head++];
        if (inotify_add_watch(fd, dir, TREE_MASK) < 0) continue;
        watched++;
        struct stat info;
        if (trusted && lstat(dir, &info) == 0 && info.st_nlink == 2) continue;
        DIR *stream = opendir(dir);
        if (!stream) continue;
        struct dirent *entry;
        while ((entry = readdir(stream))) {
            if (entry->d_type != DT_DIR || !strcmp(entry->d_name, ".") || !strcmp(entry->d_name, "..")) continue;
            size_t length = strlen(dir) + strlen(entry->d_name) + 2;
            char *child = malloc(length);
            strcpy(child, dir);
            strcat(child, "/");
            strcat(child, entry->d_name);
            if (tail == capacity) {
                capacity *= 2;
                queue = realloc(queue, capacity * sizeof *queue);
            }
            queue[tail++] = child;
        }
        closedir(stream);
    }
    for (size_t i = 0; i < tail; i++) free(queue[i]);
    free(queue);
    return watched;
}

int64_t ctree_watch(int fd, const char *root) { return walk(fd, root, 0); }

int64_t ctree_watch_skipping_leaves(int fd, const char *root) { return walk(fd, root, 1); }
