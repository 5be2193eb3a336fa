#define _GNU_SOURCE
#include "CReadLoop.h"

#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>
#include <sched.h>

#define BUFFER_SIZE (64 * 1024)

int64_t creadloop_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t creadloop_process_cpu_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t creadloop_drain(int fd, int64_t events) {
    static char buffer[BUFFER_SIZE] __attribute__((aligned(__alignof__(struct inotify_event))));
    int64_t seen = 0, checksum = 0;
    while (seen < events) {
        ssize_t length = read(fd, buffer, sizeof buffer);
        if (length <= 0) return -1;
        for (char *p = buffer; p < buffer + length;) {
            const struct inotify_event *event = (const struct inotify_event *)p;
            checksum += event->len ? (int64_t)strlen(event->name) : 0;
            checksum += event->mask & 1;
            seen += 1;
            p += sizeof(struct inotify_event) + event->len;
        }
    }
    return checksum;
}

static pthread_t consumer;
static sem_t arrived;
static _Atomic int64_t stamp;
static int consumer_fd;

static void *consume(void *unused) {
    (void)unused;
    static char buffer[BUFFER_SIZE] __attribute__((aligned(__alignof__(struct inotify_event))));
    for (;;) {
        ssize_t length = read(consumer_fd, buffer, sizeof buffer);
        if (length <= 0) return NULL;
        int64_t now = creadloop_now_ns();
        for (char *p = buffer; p < buffer + length;) {
            const struct inotify_event *event = (const struct inotify_event *)p;
            atomic_store(&stamp, now);
            sem_post(&arrived);
            p += sizeof(struct inotify_event) + event->len;
        }
    }
}

int creadloop_latency_start(int fd) {
    consumer_fd = fd;
    if (sem_init(&arrived, 0, 0) != 0) return -1;
    return pthread_create(&consumer, NULL, consume, NULL) == 0 ? 0 : -1;
}

int64_t creadloop_latency_next(void) {
    while (sem_wait(&arrived) != 0) {}
    return atomic_load(&stamp);
}

void creadloop_latency_stop(void) {
    pthread_cancel(consumer);
    pthread_join(consumer, NULL);
    sem_destroy(&arrived);
}

struct writer_job {
    const char *path;
    int64_t pairs;
    int cpu;
};

static void *write_events(void *argument) {
    struct writer_job *job = argument;
    if (job->cpu >= 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(job->cpu, &set);
        pthread_setaffinity_np(pthread_self(), sizeof set, &set);
    }
    for (int64_t i = 0; i < job->pairs; i++) {
        int fd = open(job->path, O_RDONLY | O_CLOEXEC);
        if (fd >= 0) close(fd);
    }
    return NULL;
}

int creadloop_queue_events(const char *path, int64_t pairs, int cpu) {
    struct writer_job job = { path, pairs, cpu };
    pthread_t writer;
    if (pthread_create(&writer, NULL, write_events, &job) != 0) return -1;
    return pthread_join(writer, NULL) == 0 ? 0 : -1;
}

// The latency writer: a thread of its own that, each time it is let go,
// waits `gap` (so that the consumer is waiting again by then, blocked or
// suspended), stamps CLOCK_MONOTONIC and writes one byte.
static pthread_t writer;
static sem_t writer_go;
static _Atomic int64_t write_stamp;
static _Atomic int writer_stop;
static int writer_fd;
static int writer_gap_us;

static void *write_on_go(void *unused) {
    (void)unused;
    for (;;) {
        while (sem_wait(&writer_go) != 0) {}
        if (atomic_load(&writer_stop)) return NULL;
        // Spin rather than sleep: a sleeping writer would leave its CPU idle,
        // and the VM's wake-up from idle would be measured, not the consumer.
        int64_t until = creadloop_now_ns() + (int64_t)writer_gap_us * 1000;
        while (creadloop_now_ns() < until) {}
        atomic_store(&write_stamp, creadloop_now_ns());
        if (write(writer_fd, "x", 1) != 1) return NULL;
    }
}

int creadloop_writer_start(int file_fd, int gap_us) {
    writer_fd = file_fd;
    writer_gap_us = gap_us;
    atomic_store(&writer_stop, 0);
    if (sem_init(&writer_go, 0, 0) != 0) return -1;
    return pthread_create(&writer, NULL, write_on_go, NULL) == 0 ? 0 : -1;
}

void creadloop_writer_go(void) { sem_post(&writer_go); }

int64_t creadloop_writer_stamp(void) { return atomic_load(&write_stamp); }

void creadloop_writer_stop(void) {
    atomic_store(&writer_stop, 1);
    sem_post(&writer_go);
    pthread_join(writer, NULL);
    sem_destroy(&writer_go);
}
