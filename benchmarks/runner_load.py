"""The runner under load: 30 simultaneous submissions on MAX_CONCURRENT_RUNS workers.

    python benchmarks/runner_load.py

Prints when the last of 30 mixed submissions (correct, wrong, stubs, errors, a few infinite loops,
over several chapters) and the last of 30 infinite loops were answered, against the time of a
single run measured in the same run. Target (issue 13): last of 30 mixed <= 15 s on 2 cores.
"""

from _common import summary, timings

import os
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

from utils import registry, sources
from utils.runner import MAX_CONCURRENT_RUNS, run, wall_limits

LOOP = "while True:\n    pass\n"


def exercises() -> list[registry.Exercise]:
    """The first three exercises of every chapter: a spread of check costs."""
    return [ex for ch in registry.CHAPTERS if ch.available for ex in ch.exercises[:3]]


def mixed_submissions(n: int) -> list[tuple[str, str]]:
    pool, out = exercises(), []
    for i in range(n):
        ex = pool[i % len(pool)]
        kind = i % 10
        if kind == 9:
            code = LOOP
        elif kind in (0, 1, 2, 3):
            code = sources.solution_source(ex)
        elif kind in (4, 5):
            code = sources.stub_source(ex)
        elif kind == 6:
            code = f"def {ex.name}(\n"
        elif kind == 7:
            code = "raise ValueError('not yet')\n"
        else:
            code = sources.solution_source(ex).replace("return", "return None and", 1)
        out.append((ex.id, code))
    return out


def answer_times(submissions: list[tuple[str, str]]) -> tuple[list[float], float]:
    """Seconds from the common submission moment to each answer, and the CPU seconds the runs
    used (the part of the figures that does not grow with other programs' load)."""
    started = time.monotonic()
    cpu = []

    def one(item: tuple[str, str]) -> float:
        result = run(*item)
        cpu.append(result.cpu_s or 0.0)
        return time.monotonic() - started

    with ThreadPoolExecutor(len(submissions)) as pool:
        return list(pool.map(one, submissions)), sum(cpu)


def main() -> None:
    ex = registry.get("part1_ray_tracing.intersect_ray_1d")
    good = sources.solution_source(ex)
    with ThreadPoolExecutor(MAX_CONCURRENT_RUNS) as pool:  # start the workers first
        list(pool.map(lambda _: run(ex.id, good), range(MAX_CONCURRENT_RUNS)))
    single = timings(lambda: run(ex.id, good), repeats=5)
    mixed, mixed_cpu = answer_times(mixed_submissions(30))
    loops, _ = answer_times([(ex.id, LOOP)] * 30)
    base = statistics.median(single)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (other "
          "programs slow every figure below alike; compare the ratios)")
    print(f"workers: {MAX_CONCURRENT_RUNS}; wall limit of a loop in {ex.id}: "
          f"{wall_limits.wall_seconds(ex.id):g} s")
    print(summary("baseline: one run, submit -> verdict", single))
    print(f"{'last of 30 mixed submissions answered after':<48} {max(mixed):8.2f} s   "
          f"= {max(mixed) / base:6.0f} x one run   (target <= 15 s)")
    print(f"{'median of 30 mixed submissions':<48} {statistics.median(mixed):8.2f} s")
    print(f"{'CPU time of the 30 mixed runs / workers':<48} "
          f"{mixed_cpu / MAX_CONCURRENT_RUNS:8.2f} s   (loops that hit the wall limit: 0 CPU)")
    print(f"{'last of 30 infinite loops answered after':<48} {max(loops):8.2f} s   "
          f"= {max(loops) / base:6.0f} x one run")


if __name__ == "__main__":
    main()
