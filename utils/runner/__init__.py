"""The only way page code executes learner code.

    from utils.runner import run
    result = run("part1_ray_tracing.intersect_ray_1d", code)
    result.status      # "passed" | "failed" | "error" | "timeout" | "not_implemented"
    result.message     # what to tell the learner
    result.stdout      # what their code printed (cut to the first `stdout_bytes`)
    result.duration_s  # how long their code and the checks ran

Each run gets its own Python process (utils/runner/worker.py) in a fresh scratch directory with a
clean environment, CPU-time, memory, file-size and open-file limits, and a wall-clock limit after
which its whole process group is killed. At most `MAX_CONCURRENT_RUNS` run at once; others wait.
The verdict comes from the worker's JSON report on a separate pipe, never from its exit code or
its printed output.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass

from utils import registry
from utils.site_config import ROOT
from utils.verdict import ERROR, NOT_IMPLEMENTED, TIMEOUT

WORKER = ROOT / "utils" / "runner" / "worker.py"
MAX_CONCURRENT_RUNS = 2  # 2 cores; each run may use up to Limits.memory_bytes
_slots = threading.BoundedSemaphore(MAX_CONCURRENT_RUNS)


@dataclass(frozen=True)
class Limits:
    wall_seconds: float = 10.0  # learner code + checks, counted from when imports are done
    cpu_seconds: int = 10
    memory_bytes: int = 1536 * 2**20  # address space; torch alone maps about 600 MB
    file_size_bytes: int = 16 * 2**20
    open_files: int = 64
    stdout_bytes: int = 64 * 2**10
    startup_seconds: float = 60.0  # importing torch on a cold, busy machine
    max_code_chars: int = 100_000


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class RunResult:
    status: str
    message: str
    stdout: str
    duration_s: float
    stdout_truncated: bool = False


def run(exercise_id: str, code: str, limits: Limits = DEFAULT_LIMITS) -> RunResult:
    """Run `code` against the checks of `exercise_id` in a separate, limited process."""
    registry.get(exercise_id)  # unknown ids are a programming error: raise KeyError here
    if len(code) > limits.max_code_chars:
        return RunResult(ERROR, f"Your code is {len(code):,} characters long; the limit is "
                                f"{limits.max_code_chars:,}.", "", 0.0)
    with _slots:
        return _run_in_worker(exercise_id, code, limits)


def _clean_env(scratch: str) -> dict[str, str]:
    """Nothing from the server's environment (tokens, secrets) reaches learner code."""
    return {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": scratch, "TMPDIR": scratch,
            "LANG": "C.UTF-8", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
            "PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0"}


class _Collector(threading.Thread):
    """Reads a pipe to the end, keeping at most `cap` bytes."""

    def __init__(self, fd: int, cap: int, on_first_byte: threading.Event | None = None):
        super().__init__(daemon=True)
        self.fd, self.cap, self.on_first_byte = fd, cap, on_first_byte
        self.data, self.truncated = bytearray(), False
        self.start()

    def run(self) -> None:
        while chunk := os.read(self.fd, 65536):
            if self.on_first_byte is not None:
                self.on_first_byte.set()
            room = self.cap - len(self.data)
            if len(chunk) > room:
                self.truncated = True
            self.data += chunk[:max(room, 0)]
        os.close(self.fd)


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _run_in_worker(exercise_id: str, code: str, limits: Limits) -> RunResult:
    scratch = tempfile.mkdtemp(prefix="gtf-run-")
    report_read, report_write = os.pipe()
    out_read, out_write = os.pipe()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-I", "-u", str(WORKER), str(ROOT), str(report_write)],
            stdin=subprocess.PIPE, stdout=out_write, stderr=out_write, cwd=scratch,
            env=_clean_env(scratch), start_new_session=True, pass_fds=(report_write,),
        )
    finally:
        os.close(report_write)
        os.close(out_write)
    ready = threading.Event()
    report = _Collector(report_read, 1 << 20, on_first_byte=ready)
    output = _Collector(out_read, limits.stdout_bytes)
    request = {"exercise_id": exercise_id, "code": code, "limits": {
        "cpu_seconds": limits.cpu_seconds, "memory_bytes": limits.memory_bytes,
        "file_size_bytes": limits.file_size_bytes, "open_files": limits.open_files}}
    try:
        proc.stdin.write(json.dumps(request).encode())
        proc.stdin.close()
    except BrokenPipeError:
        pass

    timed_out = overloaded = False
    ready.wait(limits.startup_seconds)
    started = time.perf_counter()
    try:
        proc.wait(timeout=limits.wall_seconds if ready.is_set() else 0.1)
    except subprocess.TimeoutExpired:
        timed_out, overloaded = ready.is_set(), not ready.is_set()
    elapsed = time.perf_counter() - started
    _kill_group(proc)  # also whatever the code started in its process group
    proc.wait()
    report.join(timeout=2)
    output.join(timeout=2)
    shutil.rmtree(scratch, ignore_errors=True)

    stdout = output.data.decode(errors="replace")
    if output.truncated:
        stdout += f"\n… output cut: only the first {limits.stdout_bytes // 1024} KB are kept."
    raw = bytes(report.data[1:]) if report.data[:1] == b"R" else b""
    if overloaded:
        return RunResult(ERROR, "The server took too long to start a worker for your code. It is "
                                "probably busy: please run again in a moment.", stdout, 0.0)
    if timed_out:
        return RunResult(TIMEOUT, f"Your code ran longer than {limits.wall_seconds:g} s and was "
                                  "stopped. Is there an infinite loop, or a loop over every "
                                  "element that could be one tensor operation?",
                         stdout, elapsed, output.truncated)
    try:
        verdict = json.loads(raw)
        return RunResult(verdict["status"], verdict["message"], stdout,
                         float(verdict["duration_s"]), output.truncated)
    except (ValueError, KeyError, TypeError):
        status, message = _explain_exit(proc.returncode, limits)
        return RunResult(status, message, stdout, elapsed, output.truncated)


def _explain_exit(returncode: int, limits: Limits) -> tuple[str, str]:
    """Turn a worker that died without a report into a plain-language verdict."""
    if returncode == -signal.SIGXCPU:
        return TIMEOUT, (f"Your code used more than {limits.cpu_seconds} s of CPU time and was "
                         "stopped.")
    if returncode == -signal.SIGKILL:
        return ERROR, (f"Your code was killed, most likely for using more than "
                       f"{limits.memory_bytes / 2**30:.1f} GB of memory.")
    if returncode == -signal.SIGSEGV:
        return ERROR, "Your code crashed the Python process (segmentation fault)."
    if returncode == -signal.SIGXFSZ:
        return ERROR, (f"Your code wrote a file larger than "
                       f"{limits.file_size_bytes // 2**20} MB.")
    if returncode is not None and returncode < 0:
        return ERROR, f"Your code's process was stopped by signal {-returncode}."
    return ERROR, ("Your code ended the process before the checks could report (did it call "
                   "exit() or os._exit()?). Define the function and let the checks call it.")


__all__ = ["run", "RunResult", "Limits", "DEFAULT_LIMITS", "MAX_CONCURRENT_RUNS",
           "NOT_IMPLEMENTED"]
