"""Peak memory of the server process and its runners with two runs in flight.

    python benchmarks/runner_memory.py

This process plays the server. It measures the proportional set size (PSS: shared pages counted
once across processes) of itself plus every descendant (zygotes and run children) every 20 ms:
idle with warm zygotes (the baseline), then while two runs execute at once, each allocating and
touching a 400 MB tensor. Community Cloud allows an app 2.7 GB at most.
"""

from _common import timings  # noqa: F401 - sets up the import path

import os
import threading
import time
from pathlib import Path

from utils import registry, sources
from utils.runner import MAX_CONCURRENT_RUNS, run

HEAVY = ("import torch, time\n"
         "big = torch.ones(100 * 2**20)  # 400 MB, written so the pages are real\n"
         "time.sleep(1.0)\n")


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return out


def tree_pss_mb(root: int) -> float:
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            total += int(next(line.split()[1] for line in rollup.splitlines()
                              if line.startswith("Pss:")))
        except (OSError, StopIteration):
            continue
        todo += _children(pid)
    return total / 1024


def peak_while(action) -> float:
    peak, done = 0.0, threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_pss_mb(os.getpid()))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    action()
    done.set()
    sampler.join()
    return peak


def main() -> None:
    ex = registry.get("part1_ray_tracing.intersect_ray_1d")
    good = sources.solution_source(ex)
    # Start both zygotes.
    threads = [threading.Thread(target=run, args=(ex.id, good)) for _ in range(MAX_CONCURRENT_RUNS)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    idle = peak_while(lambda: time.sleep(0.5))

    def two_heavy_runs() -> None:
        runs = [threading.Thread(target=run, args=(ex.id, HEAVY + good)) for _ in range(2)]
        [t.start() for t in runs]
        [t.join() for t in runs]

    busy = peak_while(two_heavy_runs)
    print(f"server + {MAX_CONCURRENT_RUNS} warm zygotes, idle:        {idle:7.0f} MB PSS")
    print(f"peak with two 400 MB runs in flight:         {busy:7.0f} MB PSS")
    print(f"added by the two runs:                        {busy - idle:7.0f} MB")


if __name__ == "__main__":
    main()
