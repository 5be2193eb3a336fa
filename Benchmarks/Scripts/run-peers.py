#!/usr/bin/env python3
"""`inotify run` against the tools a user could pick instead, in the same run.

1. latency: the time from a write's close(2) to the start of the command it
   triggers, in a tree of a few hundred files.
2. idle: setup time, resident memory and CPU while nothing happens, over a
   tree of 10,000 directories.

Builds `inotify` in release mode (unless --inotify is given), compiles its
two C pieces with gcc, skips a peer that is not installed (saying so), and
prints markdown tables. Only the standard library is used. Run as:

    python3 Benchmarks/Scripts/run-peers.py              # both, defaults
    python3 Benchmarks/Scripts/run-peers.py --writes 50 --idle-seconds 10 --idle-rounds 1

Nothing here asserts on time: it reports.
"""

import argparse
import os
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

# The command every tool runs: the time it starts (CLOCK_REALTIME, ns), as
# one line written to the file or FIFO named by its argument. Linked
# statically, so that its own start costs every tool the same and little.
STAMP_C = r"""
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
int main(int argc, char **argv) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    if (argc < 2) return 0;
    char line[32];
    int n = snprintf(line, sizeof line, "%lld\n", (long long)now.tv_sec * 1000000000LL + now.tv_nsec);
    int fd = open(argv[1], O_WRONLY | O_APPEND);
    if (fd < 0) return 1;
    write(fd, line, n);
    close(fd);
    return 0;
}
"""

# The floor: what watching a tree and starting a command costs with nothing
# else, one watch per directory (added at start, never updated), fork and
# exec on the first event of a read, no batching. Not a tool anyone would
# use (it misses new directories); it shows what the kernel and exec take.
FLOOR_C = r"""
#define _GNU_SOURCE
#include <ftw.h>
#include <stdio.h>
#include <sys/inotify.h>
#include <sys/wait.h>
#include <unistd.h>
static int fd;
static const int mask = IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_MODIFY | IN_CLOSE_WRITE | IN_ATTRIB;
static int add(const char *path, const struct stat *sb, int type, struct FTW *ftw) {
    if (type == FTW_D) inotify_add_watch(fd, path, mask | IN_ONLYDIR);
    return 0;
}
int main(int argc, char **argv) {
    fd = inotify_init1(IN_CLOEXEC);
    nftw(".", add, 64, FTW_PHYS);
    fprintf(stderr, "watches established.\n");
    char buffer[65536];
    for (;;) {
        if (read(fd, buffer, sizeof buffer) <= 0) return 1;
        pid_t pid = fork();
        if (pid == 0) { execv(argv[1], argv + 1); _exit(127); }
        waitpid(pid, NULL, 0);
    }
}
"""


def log(message):
    print(message, file=sys.stderr, flush=True)


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


# MARK: Building


def build_inotify():
    log("building inotify (swift build -c release --product inotify)...")
    subprocess.run(["swift", "build", "-c", "release", "--product", "inotify"], cwd=ROOT, check=True,
                   stdout=sys.stderr)
    bin_path = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                              capture_output=True, text=True).stdout.strip()
    return os.path.join(bin_path, "inotify")


def compile_c(source, output):
    path = output + ".c"
    with open(path, "w") as f:
        f.write(source)
    for flags in (["-static"], []):
        if subprocess.run(["gcc", "-O2", *flags, "-o", output, path], stderr=subprocess.DEVNULL).returncode == 0:
            return output
    raise SystemExit(f"gcc could not compile {path}")


# MARK: Trees


def make_tree(root, dirs, subdirs, files_per_dir):
    """dirs directories, each with subdirs directories; files_per_dir files
    in each directory of the lowest level (in each top one without subdirs)."""
    os.makedirs(root)
    files = []
    for i in range(dirs):
        top = os.path.join(root, f"d{i:03}")
        os.mkdir(top)
        leaves = [top] if subdirs == 0 else []
        for j in range(subdirs):
            leaf = os.path.join(top, f"s{j:03}")
            os.mkdir(leaf)
            leaves.append(leaf)
        for leaf in leaves:
            for k in range(files_per_dir):
                path = os.path.join(leaf, f"f{k:02}.txt")
                with open(path, "w") as f:
                    f.write("x\n")
                files.append(path)
    return files


# MARK: Processes


class Tool:
    """A peer as started: its argv (run in the tree, in a session of its
    own), what it is given on standard input, and its ready line if it
    prints one (otherwise: its watch count stops growing)."""

    def __init__(self, name, argv, debounce, ready_line=None, stdin_text=None, watches=""):
        self.name, self.argv, self.debounce = name, argv, debounce
        self.ready_line, self.stdin_text, self.watches = ready_line, stdin_text, watches


class Running:
    def __init__(self, tool, cwd, workdir):
        self.tool = tool
        self.stderr_path = os.path.join(workdir, "stderr-" + "".join(c if c.isalnum() else "-" for c in tool.name))
        self.stderr = open(self.stderr_path, "wb")
        self.started = time.monotonic()
        self.process = subprocess.Popen(tool.argv, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                         stderr=self.stderr, start_new_session=True)
        if tool.stdin_text is not None:
            self.process.stdin.write(tool.stdin_text.encode())
        self.process.stdin.close()

    def pids(self):
        """Every live process of its session (the tool, its shell's pipeline, a running command)."""
        found = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == self.process.pid:  # field 6, the session
                found.append(int(entry))
        return found

    def watch_count(self):
        count = 0
        for pid in self.pids():
            try:
                for fd in os.listdir(f"/proc/{pid}/fdinfo"):
                    try:
                        with open(f"/proc/{pid}/fdinfo/{fd}") as f:
                            count += sum(1 for line in f if line.startswith("inotify wd:"))
                    except OSError:
                        pass
            except OSError:
                pass
        return count

    def wait_ready(self, timeout=120.0):
        """Seconds from start to ready: its ready line, or else the last
        time its watch count grew (seen every 5 ms, stable for 1 s)."""
        deadline = self.started + timeout
        if self.tool.ready_line:
            while time.monotonic() < deadline:
                with open(self.stderr_path, "rb") as f:
                    if self.tool.ready_line.encode() in f.read():
                        return time.monotonic() - self.started
                if self.process.poll() is not None:
                    raise RuntimeError(f"{self.tool.name} ended: {open(self.stderr_path).read()}")
                time.sleep(0.001)
            raise RuntimeError(f"{self.tool.name}: no ready line in {timeout} s")
        last, grew_at = -1, time.monotonic()
        while time.monotonic() < deadline:
            count = self.watch_count()
            now = time.monotonic()
            if count != last:
                last, grew_at = count, now
            elif count > 0 and now - grew_at >= 1.0:
                return grew_at - self.started
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.tool.name} ended: {open(self.stderr_path).read()}")
            time.sleep(0.005)
        raise RuntimeError(f"{self.tool.name}: watch count still growing after {timeout} s")

    def cpu_ns(self):
        """CPU time of every live thread of its session (schedstat: ns)."""
        total = 0
        for pid in self.pids():
            try:
                for task in os.listdir(f"/proc/{pid}/task"):
                    with open(f"/proc/{pid}/task/{task}/schedstat") as f:
                        total += int(f.read().split()[0])
            except OSError:
                pass
        return total

    def cpu_ticks_ns(self):
        """utime+stime of its processes, with their reaped children (stat: ticks)."""
        tick = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in self.pids():
            try:
                with open(f"/proc/{pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                total += sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
            except OSError:
                pass
        return total * 1_000_000_000 // tick

    def switches(self):
        """Voluntary and involuntary context switches of its live threads: wake-ups."""
        total = 0
        for pid in self.pids():
            try:
                for task in os.listdir(f"/proc/{pid}/task"):
                    with open(f"/proc/{pid}/task/{task}/status") as f:
                        for line in f:
                            if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                                total += int(line.split()[1])
            except OSError:
                pass
        return total

    def rss_kib(self):
        total = 0
        for pid in self.pids():
            try:
                with open(f"/proc/{pid}/status") as f:
                    for line in f:
                        if line.startswith("VmRSS:"):
                            total += int(line.split()[1])
            except OSError:
                pass
        return total

    def stop(self):
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.process.wait(timeout=5)
                break
            except subprocess.TimeoutExpired:
                continue
        self.stderr.close()


def peers(inotify, command, files_for_entr, entr_flags, include_floor):
    """The tools, as a user would run them on the tree in the current directory."""
    tools = []
    if inotify:
        tools.append(Tool("inotify run", [inotify, "run", "-p", "--", *command], "50ms quiet (max 1s)",
                          ready_line="watches established.", watches="directories, recursively"))
        tools.append(Tool("inotify run --debounce 0", [inotify, "run", "-p", "--debounce", "0", "--", *command],
                          "0 (closes when the watcher holds nothing more)", ready_line="watches established.",
                          watches="directories, recursively"))
    if shutil.which("entr"):
        tools.append(Tool(f"entr {entr_flags}", ["entr", *entr_flags.split(), *command],
                          "50ms quiet (no max)", stdin_text="".join(p + "\n" for p in files_for_entr),
                          watches="each path listed"))
    else:
        log("entr is not installed: skipped (apt-get install entr)")
    if shutil.which("watchexec"):
        tools.append(Tool("watchexec", ["watchexec", "--postpone", "--", *command], "50ms (its default)",
                          watches="directories, recursively"))
    else:
        log("watchexec is not installed: skipped")
    if shutil.which("inotifywait"):
        loop = ('inotifywait -m -r -e close_write,create,delete,move --format "%w%f" . '
                '| while read -r f; do "$@"; done')
        tools.append(Tool("inotifywait -m -r \\| while read", ["sh", "-c", loop, "sh", *command],
                          "none (a run per event)", ready_line="Watches established.",
                          watches="directories, recursively"))
    else:
        log("inotifywait is not installed: skipped (apt-get install inotify-tools)")
    if include_floor:
        tools.append(Tool("C floor (reference)", [include_floor, *command], "none (a run per read)",
                          ready_line="watches established.", watches="directories, at start only"))
    return tools


# MARK: Latency


def percentile(values, p):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = p / 100 * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def latency(args, workdir, inotify, stamp, floor):
    tree = os.path.join(workdir, "latency-tree")
    files = make_tree(tree, 20, 3, 5)  # 300 files in 80 directories
    fifo = os.path.join(workdir, "stamps")
    os.mkfifo(fifo)
    # Held open for reading and writing: never EOF, and the command's open never blocks.
    reader = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)
    tools = peers(inotify, [stamp, fifo], [os.path.relpath(p, tree) for p in files], "-n -p", floor)
    results = []

    def drain():
        data = b""
        while True:
            try:
                chunk = os.read(reader, 65536)
            except BlockingIOError:
                return data
            data += chunk

    for tool in tools:
        load_before = loadavg()
        running = Running(tool, tree, workdir)
        try:
            running.wait_ready()
            samples, runs, lost = [], 0, 0
            for i in range(args.warmup + args.writes):
                path = files[(i * 37) % len(files)]
                with open(path, "wb") as f:
                    f.write(b"change %d\n" % i)
                closed = time.time_ns()
                ready, _, _ = select.select([reader], [], [], 5.0)
                if not ready:
                    lost += 1 if i >= args.warmup else 0
                    continue
                first = int(os.read(reader, 32).split(b"\n")[0])
                time.sleep(args.pause)
                more = drain()
                if i >= args.warmup:
                    samples.append((first - closed) / 1e6)
                    runs += 1 + more.count(b"\n")
            results.append((tool, samples, runs, lost, load_before, loadavg()))
        finally:
            running.stop()
        drain()
    os.close(reader)
    print(f"\n### Latency: write's close to the command's start, {args.writes} writes per tool "
          f"(after {args.warmup} not counted), {len(files)} files in 80 directories, "
          f"{int(args.pause * 1000)} ms between writes\n")
    print("| tool | debounce (its default) | p50 ms | p90 ms | p99 ms | runs per write | lost | load before / after |")
    print("|---|---|---|---|---|---|---|---|")
    for tool, samples, runs, lost, before, after in results:
        per_write = runs / len(samples) if samples else float("nan")
        print(f"| {tool.name} | {tool.debounce} | {percentile(samples, 50):.2f} | {percentile(samples, 90):.2f} "
              f"| {percentile(samples, 99):.2f} | {per_write:.2f} | {lost} | {before} / {after} |")
    sys.stdout.flush()


# MARK: Idle


def idle(args, workdir, inotify, floor):
    tree = os.path.join(workdir, "idle-tree")
    files = make_tree(tree, 100, 99, 0)
    for i in range(100):  # some files: one in each top directory
        with open(os.path.join(tree, f"d{i:03}", "top.txt"), "w") as f:
            f.write("x\n")
    listing = []
    for directory, names, leaves in os.walk(tree):
        listing.append(os.path.relpath(directory, tree))
        listing += [os.path.relpath(os.path.join(directory, leaf), tree) for leaf in leaves]
    directories = sum(1 for _ in os.walk(tree))
    tools = [tool for tool in peers(inotify, ["/bin/true"], listing, "-d -n -p", floor)
             if "--debounce" not in tool.name]  # the same watcher as the default while idle
    if inotify:
        tools.insert(1, Tool("inotify run --no-ignore", [inotify, "run", "-p", "--no-ignore", "--", "/bin/true"],
                             "", ready_line="watches established.", watches="directories, recursively"))
    measured = {tool.name: [] for tool in tools}
    for round_ in range(args.idle_rounds):
        for tool in tools:
            load_before = loadavg()
            running = Running(tool, tree, workdir)
            try:
                setup = running.wait_ready()
                setup_cpu = running.cpu_ticks_ns()
                time.sleep(0.5)
                watches = running.watch_count()
                cpu0, ticks0, switches0 = running.cpu_ns(), running.cpu_ticks_ns(), running.switches()
                time.sleep(args.idle_seconds)
                cpu1, ticks1, switches1 = running.cpu_ns(), running.cpu_ticks_ns(), running.switches()
                rss = running.rss_kib()
                measured[tool.name].append(dict(setup=setup * 1000, setup_cpu=setup_cpu / 1e6, watches=watches,
                                                idle_cpu=(cpu1 - cpu0) / 1e6, idle_ticks=(ticks1 - ticks0) / 1e6,
                                                wakeups=switches1 - switches0, rss=rss / 1024,
                                                load=f"{load_before} / {loadavg()}"))
                log(f"idle round {round_ + 1}, {tool.name}: {measured[tool.name][-1]}")
            finally:
                running.stop()
    print(f"\n### Idle: {directories} directories (100 x 99 below 100, and the root) and {len(listing) - directories} "
          f"files, {args.idle_seconds:g} s of idleness, medians of {args.idle_rounds} rounds\n")
    print("| tool | watches | watches held | setup ms (start to ready) | setup CPU ms | idle CPU ms | "
          "wake-ups | RSS MiB | load before / after (last round) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for tool in tools:
        rows = measured[tool.name]

        def median(key):
            return statistics.median(row[key] for row in rows)

        print(f"| {tool.name} | {tool.watches} | {median('watches'):.0f} | {median('setup'):.0f} | "
              f"{median('setup_cpu'):.0f} | {median('idle_cpu'):.2f} | {median('wakeups'):.0f} | "
              f"{median('rss'):.1f} | {rows[-1]['load']} |")
    sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--inotify", help="an inotify binary to use instead of building one")
    parser.add_argument("--only", choices=["latency", "idle"], help="one of the two benchmarks")
    parser.add_argument("--writes", type=int, default=100, help="writes per tool (default 100)")
    parser.add_argument("--warmup", type=int, default=3, help="writes first, not counted (default 3)")
    parser.add_argument("--pause", type=float, default=0.3,
                        help="seconds after each run before the next write, longer than any debounce (default 0.3)")
    parser.add_argument("--idle-seconds", type=float, default=30, help="idle window (default 30)")
    parser.add_argument("--idle-rounds", type=int, default=3, help="rounds of the idle benchmark (default 3)")
    parser.add_argument("--no-floor", action="store_true", help="leave out the C floor")
    args = parser.parse_args()

    inotify = os.path.abspath(args.inotify) if args.inotify else build_inotify()
    workdir = tempfile.mkdtemp(prefix="inotify-run-peers-")
    try:
        stamp = compile_c(STAMP_C, os.path.join(workdir, "stamp"))
        floor = None if args.no_floor else compile_c(FLOOR_C, os.path.join(workdir, "floor"))
        print(f"`inotify run` against its peers, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs, "
              f"kernel {os.uname().release}, load {loadavg()}")
        if args.only in (None, "latency"):
            latency(args, workdir, inotify, stamp, floor)
        if args.only in (None, "idle"):
            idle(args, workdir, inotify, floor)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
