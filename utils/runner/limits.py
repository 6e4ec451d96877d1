"""Every limit of the runner, defined once: what one run may use, how many run at once, how long a
submission may wait. The runner enforces these; the About text (utils/runner/about.py), the
learners' messages (utils/runner/messages.py) and the README state them, and a test checks that
the README's figures are these (tests/test_readme_limits.py).

Each exercise's wall-clock limit is sized to its reference solution in utils/runner/wall_limits.py.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from typing import Any

from utils.runner.wall_limits import LONGEST_S

# Memory a zygote plus a typical run add (measured: 495 MB idle for the server and two zygotes,
# +814 MB for two runs of 400 MB each; benchmarks/runner_memory.py), and what the server keeps.
PER_WORKER_BYTES = 600 * 2**20
SERVER_BYTES = 500 * 2**20
MOST_WORKERS = 4  # more would only queue on the cores a small host has


def memory_limit_bytes() -> int:
    """The container's memory limit (cgroup v2 or v1) or, without one, the machine's memory."""
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            value = open(path).read().strip()
            if value.isdigit() and int(value) < 1 << 50:
                return int(value)
        except OSError:
            continue
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def workers_for(cores: int, memory_bytes: int) -> int:
    """One worker per core, as many as memory allows, at most MOST_WORKERS.

    Community Cloud (2 cores, 2.7 GB) and this machine (2 cores, 24 GB) both get 2."""
    by_memory = (memory_bytes - SERVER_BYTES) // PER_WORKER_BYTES
    return max(1, min(cores, by_memory, MOST_WORKERS))


def pool_size() -> int:
    """The number of zygotes on this host; GTF_RUNNER_WORKERS overrides."""
    if os.environ.get("GTF_RUNNER_WORKERS", "").isdigit():
        return max(1, int(os.environ["GTF_RUNNER_WORKERS"]))
    return workers_for(len(os.sched_getaffinity(0)), memory_limit_bytes())


MAX_CONCURRENT_RUNS = pool_size()

# A forked child starts with about 700 MB of address space mapped (torch and the solutions, shared
# with its zygote), and a warm zygote holds about 250 MB of its own (benchmarks/server_memory.py).
# What runs may add on top must fit in what the memory limit leaves: on a 1 GB app a 1.5 GB limit
# would let one run get the whole app stopped.
FORKED_CHILD_BYTES = 700 * 2**20
ZYGOTE_BYTES = 250 * 2**20
MOST_RUN_BYTES = 1536 * 2**20
LEAST_RUN_EXTRA_BYTES = 256 * 2**20


def run_memory_bytes(memory_limit: int, workers: int) -> int:
    """A run's address-space limit: 1.5 GB where memory allows, less where it is tight."""
    headroom = (memory_limit - SERVER_BYTES - workers * ZYGOTE_BYTES) // max(workers, 1)
    extra = max(headroom, LEAST_RUN_EXTRA_BYTES)
    return int(min(MOST_RUN_BYTES, FORKED_CHILD_BYTES + extra))


RUN_MEMORY_BYTES = run_memory_bytes(memory_limit_bytes(), MAX_CONCURRENT_RUNS)


@dataclass(frozen=True)
class Limits:
    """What one run may use. Travels to the zygote as JSON (`to_json`/`from_json`)."""
    wall_seconds: float = LONGEST_S  # learner code + checks, from the end of the child's setup
    cpu_seconds: int = 10
    memory_bytes: int = RUN_MEMORY_BYTES  # address space, sized to the memory limit (above)
    file_size_bytes: int = 16 * 2**20  # one file (RLIMIT_FSIZE)
    scratch_bytes: int = 64 * 2**20  # all of the run's files, checked every 0.1 s
    scratch_entries: int = 1000
    open_files: int = 64
    stdout_bytes: int = 64 * 2**10
    max_code_chars: int = 100_000

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, fields: dict[str, Any]) -> Limits:
        """Field values are not checked here: setting a wrong one fails in the child's setup,
        which the learner sees as a plain "on our side" message."""
        return cls(**fields)


DEFAULT_LIMITS = Limits()
# A whole-chapter demo trains models on the learner's engine: it gets longer, and more code.
DEMO_LIMITS = Limits(wall_seconds=30.0, cpu_seconds=30, max_code_chars=400_000)

# How long a submission may wait for a free worker before the learner is told to try again.
DEFAULT_QUEUE_WAIT_SECONDS = 60.0
QUEUE_WAIT_SECONDS = float(os.environ.get("GTF_RUNNER_QUEUE_SECONDS", DEFAULT_QUEUE_WAIT_SECONDS))


def size_text(n: int) -> str:
    """A size as learners read it: "1.5 GB", "64 MB", "64 KB"."""
    if n >= 2**30:
        return f"{n / 2**30:.1f} GB"
    return f"{n // 2**20} MB" if n >= 2**20 else f"{n // 2**10} KB"


__all__ = ["Limits", "DEFAULT_LIMITS", "DEMO_LIMITS", "MAX_CONCURRENT_RUNS", "QUEUE_WAIT_SECONDS",
           "DEFAULT_QUEUE_WAIT_SECONDS", "pool_size", "workers_for", "run_memory_bytes",
           "memory_limit_bytes", "size_text"]
