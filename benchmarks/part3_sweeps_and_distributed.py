"""Chapter 5.3's timings: a local sweep, and the distributed checks (threads vs real processes).

    python benchmarks/part3_sweeps_and_distributed.py

Baselines measured in the same run: one training run of the sweep's classifier, and starting
one Python process that imports torch (what each real rank costs before any communication).
"""

from _common import summary, timings

import subprocess
import sys

import torch as t

from solutions import part3_optimization as sol
from utils.checks import distributed
from utils.checks import part3_optimization as checks


def main() -> None:
    t.set_num_threads(2)
    one_run = timings(lambda: sol.train_digits_classifier(sol.SweepArgs()), repeats=5)
    sweep = timings(lambda: sol.run_sweep(sol.make_sweep_config(), sol.SweepArgs(), 24),
                    repeats=3, warmup=0)
    print(summary("baseline: one training run (digits MLP)", one_run))
    print(summary("local sweep, 24 runs", sweep))

    def threads() -> None:
        for world_size in (2, 3, 4):
            checks._run_collective(sol.all_reduce, "all_reduce", world_size, op="mean")

    processes = lambda: distributed.run_in_processes(  # noqa: E731
        sol.all_reduce, 3, checks._CASE.format(kwargs={"op": "mean"}))
    cold = timings(lambda: subprocess.run([sys.executable, "-c", "import torch"], check=True),
                   repeats=3)
    print(summary("all_reduce on threads (2, 3 and 4 ranks)", timings(threads, repeats=5)))
    print(summary("all_reduce on 3 real processes (gloo)", timings(processes, repeats=3)))
    print(summary('baseline: python -c "import torch"', cold))
    full = timings(lambda: checks.test_all_reduce(sol.all_reduce), repeats=2, warmup=0)
    print(summary("the whole all_reduce check", full))


if __name__ == "__main__":
    main()
