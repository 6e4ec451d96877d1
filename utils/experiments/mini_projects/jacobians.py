"""Section 3's measurement (no drawing): what a whole Jacobian costs in forward mode and in
reverse mode, for functions with many inputs and one output, the reverse, and as many of each.

A Jacobian of f: R^n -> R^m takes n forward-mode passes (one `torch.func.jvp` per input
direction) or m reverse-mode passes (one `torch.func.vjp` pullback per output direction). The
function is a small network's layer, f(x) = tanh(A x) with a fixed random A. Timings depend on
the machine, so they are measured once by

    python -m utils.experiments.mini_projects.jacobians

into assets/mini_projects/jacobian_costs.json (on one thread; the file says where and when) and
measured again if missing. The pass counts are exact; the seconds are what this machine did.
"""

from __future__ import annotations

import functools
import json
import platform
import statistics
import time
from pathlib import Path

import torch

from utils.experiments.saved import saved_json
from utils.torch_threads import one_thread

ROOT = Path(__file__).resolve().parents[3]
COSTS_PATH = ROOT / "assets" / "mini_projects" / "jacobian_costs.json"
SHAPES = ((400, 1), (1, 400), (400, 400))  # (inputs n, outputs m)
REPEATS = 5


def _layer(n: int, m: int) -> tuple[torch.Tensor, callable]:
    A = torch.randn((m, n), generator=torch.Generator().manual_seed(n * 1000 + m),
                    dtype=torch.float64) / n ** 0.5
    return torch.randn(n, dtype=torch.float64, generator=torch.Generator().manual_seed(7)), \
        lambda x: torch.tanh(A @ x)


def jacobian_forward(f, x: torch.Tensor) -> torch.Tensor:
    """Column by column: one jvp per input direction (n passes)."""
    eye = torch.eye(x.numel(), dtype=x.dtype)
    return torch.stack([torch.func.jvp(f, (x,), (eye[i],))[1] for i in range(x.numel())], dim=1)


def jacobian_reverse(f, x: torch.Tensor) -> torch.Tensor:
    """Row by row: one vjp pullback per output direction (m passes)."""
    out, pullback = torch.func.vjp(f, x)
    eye = torch.eye(out.numel(), dtype=out.dtype)
    return torch.stack([pullback(eye[j])[0] for j in range(out.numel())], dim=0)


def _seconds(fn) -> float:
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure() -> dict:
    rows = []
    with one_thread():
        for n, m in SHAPES:
            x, f = _layer(n, m)
            assert torch.allclose(jacobian_forward(f, x), jacobian_reverse(f, x))
            rows.append({"n": n, "m": m, "forward_passes": n, "reverse_passes": m,
                         "forward_seconds": _seconds(lambda: jacobian_forward(f, x)),
                         "reverse_seconds": _seconds(lambda: jacobian_reverse(f, x))})
    return {"rows": rows, "repeats": REPEATS, "torch": torch.__version__,
            "machine": f"{platform.machine()}, one thread", "measured": time.strftime("%Y-%m-%d")}


@functools.lru_cache(maxsize=1)
def jacobian_costs() -> dict:
    """The committed measurement (measured first if the file is missing)."""
    return saved_json(COSTS_PATH, measure)


def main() -> None:
    COSTS_PATH.parent.mkdir(parents=True, exist_ok=True)
    costs = measure()
    COSTS_PATH.write_text(json.dumps(costs, indent=1) + "\n")
    for row in costs["rows"]:
        print(f"n={row['n']:4d} m={row['m']:4d}: forward {row['forward_seconds'] * 1e3:8.1f} ms "
              f"({row['forward_passes']} passes), reverse {row['reverse_seconds'] * 1e3:8.1f} ms "
              f"({row['reverse_passes']} passes)")


if __name__ == "__main__":
    main()
