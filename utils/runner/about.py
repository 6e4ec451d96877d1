"""The home page's "About" text, generated from the runner's real settings (utils/runner/limits.py)
so that what it claims (limits, concurrency, what is kept) is what the runner does on this
server."""

from __future__ import annotations

from utils.runner import sandbox_layers, wall_limits
from utils.runner.limits import (DEFAULT_LIMITS, DEMO_LIMITS, MAX_CONCURRENT_RUNS,
                                 QUEUE_WAIT_SECONDS, size_text)

ADVISORY = ("The verdicts shown in the page are advisory: they track your own progress, in your "
            "own browser, and someone who forges one only fools themself.")


def about_markdown() -> str:
    limits = DEFAULT_LIMITS
    walls = [wall_limits.wall_seconds(i) for i in wall_limits.reference_seconds()] or \
        [limits.wall_seconds]
    wall = f"{min(walls):g}–{max(walls):g} s" if min(walls) != max(walls) else f"{walls[0]:g} s"
    runs = "one run executes" if MAX_CONCURRENT_RUNS == 1 else \
        f"at most {MAX_CONCURRENT_RUNS} runs execute"
    return f"""
Inspired by ARENA's chapter 0, with every exercise checked in the page. Your code runs in a
separate process forked from a warm worker, with a clean environment and a scratch directory of
its own, and these limits: wall time {wall} depending on the exercise (sized to what the
reference solution takes; {DEMO_LIMITS.wall_seconds:g} s for a whole-chapter demo), CPU time
{limits.cpu_seconds} s, memory {size_text(limits.memory_bytes)} of address space, one file
{size_text(limits.file_size_bytes)}, all files {size_text(limits.scratch_bytes)} or
{limits.scratch_entries:,} entries, {limits.open_files} open files, and the first
{size_text(limits.stdout_bytes)} of what it prints. {runs.capitalize()} at once; the others wait
their turn (you see your place in the queue), one run per learner at a time, and after
{QUEUE_WAIT_SECONDS:g} s of waiting you are asked to try again.

Your code reaches the run through a pipe and is never written to the server's disk; the scratch
directory is removed when the run ends; the worker that starts runs never holds your code or
what it printed. Your code and progress live in your browser.

{ADVISORY}
"""


def layer_rows() -> list[dict[str, str]]:
    """Which sandbox layers are active on this server, for a table."""
    layers = sandbox_layers()

    def yes(flag: object, detail: str = "") -> str:
        return f"yes{detail}" if flag else "no"

    seccomp = layers["seccomp"]
    rows = [
        ("resource limits (rlimits) and a scratch quota", yes(True)),
        ("Landlock: files (read-only system, scratch only)",
         yes(layers["landlock_abi"], f" (ABI {layers['landlock_abi']})")),
        ("Landlock: no TCP", yes(layers["landlock_blocks_tcp"])),
        ("Landlock: no signals outside the sandbox", yes(layers["landlock_scopes_signals"])),
        ("seccomp: no processes, exec, sockets or ptrace", yes(seccomp)),
        ("seccomp: no changing other processes' limits, affinity or priority", yes(seccomp)),
        ("seccomp: no SysV IPC, no file watching, no signals via file ownership", yes(seccomp)),
        ("seccomp: no chmod/chown/utime/xattr by path", yes(seccomp)),
        ("capabilities dropped in every run", yes(True)),
        ("subreaper: escaped processes are killed", yes(layers["subreaper"])),
        ("server memory unreadable by other processes", yes(layers["server_not_dumpable"])),
        ("server runs as a normal user", "no (root)" if layers["server_is_root"] else "yes"),
    ]
    return [{"layer": layer, "active": active} for layer, active in rows]


__all__ = ["about_markdown", "layer_rows", "ADVISORY"]
