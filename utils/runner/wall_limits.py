"""Each exercise's wall-clock limit, sized to what its reference solution takes in the sandbox:
a check that needs 50 ms does not need 10 s, and an infinite loop should free its worker soon.

The reference times are CPU seconds (all threads of the run), not wall seconds: they do not
depend on how loaded the machine was when they were measured. They live in
reference_seconds.json, measured by

    python -m utils.runner.wall_limits            (all: about two minutes; after changing checks)
    python -m utils.runner.wall_limits --missing  (only exercises without an entry: a new one)

and a test fails when an exercise has no entry. An exercise without one gets the default limit.
"""

from __future__ import annotations

import argparse
import json
import math
from functools import lru_cache
from pathlib import Path

from utils.status import Status

TABLE = Path(__file__).with_name("reference_seconds.json")
# The limit is this multiple of the reference time, plus a fixed margin: a slower host (Community
# Cloud's cores are slower and shared) and a learner's less efficient but correct answer both fit.
FACTOR, MARGIN_S = 10.0, 2.0
SHORTEST_S, LONGEST_S = 3.0, 10.0


@lru_cache(maxsize=1)
def reference_seconds() -> dict[str, float]:
    try:
        return json.loads(TABLE.read_text())
    except (OSError, ValueError):
        return {}


def wall_seconds(exercise_id: str) -> float:
    reference = reference_seconds().get(exercise_id)
    if reference is None:
        return LONGEST_S
    return float(min(max(math.ceil(FACTOR * reference + MARGIN_S), SHORTEST_S), LONGEST_S))


def measure(only: set[str] | None = None) -> dict[str, float]:
    """The larger CPU time of two sandboxed runs of every exercise's reference solution (or of
    those whose ids are in `only`)."""
    from utils import registry, sources
    from utils.runner import Limits, run

    generous = Limits(wall_seconds=LONGEST_S * 3, cpu_seconds=int(LONGEST_S * 3))
    times = {}
    for chapter in registry.CHAPTERS:
        if not chapter.available:
            continue
        for ex in chapter.exercises:
            if only is not None and ex.id not in only:
                continue
            code = sources.solution_source(ex)
            results = [run(ex.id, code, generous) for _ in range(2)]
            assert all(r.status == Status.PASSED for r in results), (ex.id, results[0].message)
            times[ex.id] = round(max(r.cpu_s or r.duration_s for r in results), 3)
            print(f"{ex.id}: {times[ex.id]:.3f} s")
    return times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Measure each exercise's reference run time.")
    parser.add_argument("--missing", action="store_true",
                        help="measure only the exercises that have no entry yet")
    args = parser.parse_args(argv)
    if args.missing:
        from utils import registry

        table = dict(reference_seconds())
        table.update(measure({ex_id for ex_id in registry.EXERCISES if ex_id not in table}))
    else:
        table = measure()
    TABLE.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n")
    print(f"wrote {TABLE}")


if __name__ == "__main__":
    main()
