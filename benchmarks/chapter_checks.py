"""How long each chapter's full check run takes: every exercise's checks on the reference
solutions, as `python exercises/<chapter>.py` runs them once everything is solved.

    python -m benchmarks.chapter_checks                 # every chapter
    python -m benchmarks.chapter_checks plotting_with_plotly

Baseline, from the same run: the same checks on the untouched stubs (each stops at "not
implemented"), which is what a check run costs before any check does its work. Also prints each
chapter's slowest exercise. In-process, one thread per torch op as the sandbox has.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import sys
import time

import torch

from utils import registry, sources
from utils.check_runner import run_checks
from utils.runner.namespace import namespace_for


def _timed_checks(ex: registry.Exercise, obj: object) -> float:
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        run_checks(ex, obj)
    return time.perf_counter() - started


def chapter_times(ch: registry.Chapter) -> tuple[float, float, tuple[str, float]]:
    solutions = importlib.import_module(f"solutions.{ch.stem}")
    solved, stubbed, slowest = 0.0, 0.0, ("", 0.0)
    for ex in ch.exercises:
        seconds = _timed_checks(ex, getattr(solutions, ex.name))
        solved += seconds
        slowest = max(slowest, (ex.name, seconds), key=lambda pair: pair[1])
        namespace = namespace_for(ex)
        exec(compile(sources.stub_source(ex), "<stub>", "exec"), namespace)
        stubbed += _timed_checks(ex, namespace[ex.name])
    return solved, stubbed, slowest


def main(stems: list[str]) -> None:
    torch.set_num_threads(1)
    print(f"{'chapter':<22}{'exercises':>10}{'solved':>9}{'stubs':>8}   slowest exercise")
    for ch in registry.CHAPTERS:
        if stems and ch.stem not in stems:
            continue
        solved, stubbed, (name, seconds) = chapter_times(ch)
        print(f"{ch.stem:<22}{len(ch.exercises):>10}{solved:>8.1f}s{stubbed:>7.2f}s   "
              f"{name} ({seconds:.1f} s)")


if __name__ == "__main__":
    main(sys.argv[1:])
