"""What a zygote checks about itself between runs: its resource limits, CPU affinity, nice value,
scheduler policy and I/O priority. The sandbox should stop a run from changing another process's
settings; if one still did (a kernel without seccomp, a gap in the filter), the zygote would pass
the damage on to every child it forks, so it retires and a fresh one replaces it."""

from __future__ import annotations

import ctypes
import os
import platform
import resource

_IOPRIO_GET = {"x86_64": 252, "aarch64": 31}.get(platform.machine())
_IOPRIO_WHO_PROCESS = 1
_libc = ctypes.CDLL(None, use_errno=True)
_LIMITS = [getattr(resource, name) for name in dir(resource) if name.startswith("RLIMIT_")]


def snapshot() -> dict:
    state = {f"rlimit {which}": resource.getrlimit(which) for which in _LIMITS}
    state["affinity"] = sorted(os.sched_getaffinity(0))
    state["nice"] = os.getpriority(os.PRIO_PROCESS, 0)
    state["scheduler"] = os.sched_getscheduler(0)
    if _IOPRIO_GET is not None:
        state["ioprio"] = _libc.syscall(_IOPRIO_GET, _IOPRIO_WHO_PROCESS, 0)
    return state


def changes(since: dict) -> list[str]:
    """The settings that differ from `since` (empty when nothing changed)."""
    now = snapshot()
    return [f"{key}: {since[key]} -> {now.get(key)}" for key in since if now.get(key) != since[key]]


__all__ = ["snapshot", "changes"]
