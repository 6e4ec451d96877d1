"""Submit-to-verdict time of the runner, against starting Python and importing torch.

    python benchmarks/runner_latency.py

Runs a correct intersect_ray_1d through utils.runner.run several times and prints the median
and max, next to the time of `python -c "import torch"` measured in the same run.
"""

from _common import summary, timings

import statistics
import subprocess
import sys

from utils import registry, sources
from utils.runner import run
from utils.status import Status

REPEATS = 7


def main() -> None:
    ex = registry.get("part1_ray_tracing.intersect_ray_1d")
    code = sources.solution_source(ex)
    verdicts = timings(lambda: run(ex.id, code), repeats=REPEATS)
    assert run(ex.id, code).status == Status.PASSED
    cold = timings(lambda: subprocess.run([sys.executable, "-c", "import torch"], check=True),
                   repeats=REPEATS)
    print(summary("runner: intersect_ray_1d submit -> verdict", verdicts))
    print(summary('baseline: python -c "import torch"', cold))
    print(f"verdict time / cold torch import: "
          f"{statistics.median(verdicts) / statistics.median(cold):.2f}")


if __name__ == "__main__":
    main()
