#!/usr/bin/env python3
"""Start-up CPU of a one-shot `inotify wait` against inotifywait's, in one run.

Scripts call inotifywait once per event in a loop, so what a one-shot command
costs before and after its one event matters. Two workloads:

1. error: `wait -t 1 -e create <missing path>`: set-up, the error, exit 1.
2. event: `wait -e attrib <file>` while a thread of this script touches the
   file every half millisecond: set-up, one event printed, exit 0.

Each run is started with posix_spawn and reaped with wait4, whose rusage
gives the child's own user and system CPU (the time it waits for its event
costs none). The programs take turns, run by run, so that whatever else the
machine does falls on each alike. A statically linked C program that exits
at once is the floor: what exec and exit alone cost.

By default the binary is the one `make` builds (`make build`, the static
release); `--inotify PATH` measures another, and `--variants` also builds and
measures the plain release build and the one with --static-swift-stdlib, the
figures before the static build. Only the standard library is used:

    python3 Benchmarks/Scripts/startup.py                  # 300 runs of each
    python3 Benchmarks/Scripts/startup.py --runs 1000 --variants

Nothing here asserts on time: it reports.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

FLOOR_C = "int main(void) { return 0; }\n"


def build(label, extra, scratch):
    """A release build of the inotify product with `extra` arguments."""
    command = ["swift", "build", "-c", "release", "--product", "inotify", "--scratch-path", scratch] + extra
    print(f"building {label}: {' '.join(command)}", file=sys.stderr)
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return os.path.join(ROOT, scratch, "release", "inotify")


def make_build():
    """The binary `make` installs."""
    print("building: make build", file=sys.stderr)
    subprocess.run(["make", "-s", "build"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    out = subprocess.run(["make", "-s", "print-binary"], cwd=ROOT, check=True, capture_output=True, text=True)
    return out.stdout.strip()


def cpu_of(argv, expect):
    """One run: the child's user + system CPU in ms."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=[
            (os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)])
    finally:
        os.close(devnull)
    _, status, usage = os.wait4(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code != expect:
        raise SystemExit(f"{' '.join(argv)} exited {code}, not {expect}")
    return (usage.ru_utime + usage.ru_stime) * 1000


def measure(programs, runs):
    """Runs every program `runs` times, taking turns; per program, the CPU of each run."""
    samples = {label: [] for label, _, _ in programs}
    for label, argv, expect in programs:  # a warm-up run each: page cache, first faults
        cpu_of(argv, expect)
    for _ in range(runs):
        for label, argv, expect in programs:
            samples[label].append(cpu_of(argv, expect))
    return samples


def table(title, samples, reference):
    base = statistics.median(samples[reference]) if reference in samples else None
    print(f"\n{title}\n")
    print(f"| program | median CPU ms | mean CPU ms | vs {reference} |")
    print("|---|---|---|---|")
    for label, values in samples.items():
        median = statistics.median(values)
        ratio = f"{median / base:.2f}" if base else "-"
        print(f"| {label} | {median:.3f} | {statistics.fmean(values):.3f} | {ratio} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--inotify", help="the inotify binary to measure (default: make build)")
    parser.add_argument("--variants", action="store_true",
                        help="also build and measure the plain and the --static-swift-stdlib release builds")
    args = parser.parse_args()

    binaries = [("inotify wait", args.inotify or make_build())]
    if args.variants:
        binaries.append(("inotify wait (release, shared Swift libraries)",
                         build("shared", [], ".build-startup-shared")))
        binaries.append(("inotify wait (--static-swift-stdlib)",
                         build("static-swift-stdlib", ["--static-swift-stdlib"], ".build-startup-static-stdlib")))
    inotifywait = shutil.which("inotifywait")
    if not inotifywait:
        print("inotifywait is not installed (apt-get install inotify-tools): measuring without it", file=sys.stderr)

    with tempfile.TemporaryDirectory(prefix="startup-") as work:
        floor = os.path.join(work, "floor")
        with open(floor + ".c", "w") as source:
            source.write(FLOOR_C)
        subprocess.run(["gcc", "-O2", "-static", "-o", floor, floor + ".c"], check=True)
        missing = os.path.join(work, "missing", "path")
        touched = os.path.join(work, "touched")
        open(touched, "w").close()

        def programs(workload):
            rows = [("static C exit (floor)", [floor], 0)]
            if inotifywait:
                rows.append(("inotifywait", [inotifywait] + workload[0], workload[1]))
            rows += [(label, [path, "wait"] + workload[0], workload[1]) for label, path in binaries]
            return rows

        error = (["-t", "1", "-e", "create", missing], 1)
        samples = measure(programs(error), args.runs)
        table(f"Error path: `wait -t 1 -e create <missing>`, {args.runs} runs each", samples, "inotifywait")

        stop = threading.Event()

        def toucher():
            while not stop.is_set():
                os.utime(touched)
                time.sleep(0.0005)

        thread = threading.Thread(target=toucher, daemon=True)
        thread.start()
        try:
            event = (["-e", "attrib", touched], 0)
            samples = measure(programs(event), args.runs)
        finally:
            stop.set()
            thread.join()
        table(f"One event: `wait -e attrib <file>` while the file is touched, {args.runs} runs each",
              samples, "inotifywait")


if __name__ == "__main__":
    main()
