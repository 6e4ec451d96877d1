"""Small timing helpers shared by the benchmark scripts."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def timings(fn: Callable[[], object], repeats: int, warmup: int = 1) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return out


def summary(name: str, seconds: list[float]) -> str:
    return (f"{name:<48} median {statistics.median(seconds) * 1000:8.1f} ms   "
            f"min {min(seconds) * 1000:8.1f} ms   max {max(seconds) * 1000:8.1f} ms")
