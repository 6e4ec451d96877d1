"""Plain-language verdicts for runs that ended without a report from the checks, and the hints
that explain a limit. Every figure in them is the run's own limit (utils/runner/limits.py)."""

from __future__ import annotations

import errno
import signal

from utils.out_of_memory import is_out_of_memory
from utils.runner.limits import Limits, size_text
from utils.status import Status


RUNNER_FAILED_MESSAGE = ("Something went wrong on our side while running your code (it has been "
                         "logged for us to fix). Please run again.")
INVALID_REPORT_MESSAGE = ("Your code wrote something unreadable where the checks report their "
                          "verdict, so there is no verdict. Leave file descriptor 3 alone.")
INTERNAL_ERROR_EXIT = 70  # utils.runner.zygote: our code in the child raised
SETUP_FAILED_EXIT = 71  # the child broke before learner code ran: our problem, logged
SLOW_START_MESSAGE = ("The server was too busy to start your run in time. Please run again in a "
                      "moment.")


def queue_message(place: int, seconds: float) -> str:
    """What a learner waiting for a worker sees."""
    ahead = "you are next" if place <= 1 else f"{place - 1} run(s) ahead of yours"
    return f"Waiting for a free worker: {ahead}, about {max(1, round(seconds))} s."


def timeout_message(wall_seconds: float) -> str:
    return (f"Your code ran longer than {wall_seconds:g} s and was stopped. Is there an infinite "
            "loop, or a Python loop over every element that could be one tensor operation?")


def over_quota_message(limits: Limits) -> str:
    return (f"Your code wrote more than {size_text(limits.scratch_bytes)}, or more than "
            f"{limits.scratch_entries:,} files and folders, to its scratch directory, and was "
            "stopped.")


def output_cut_message(limits: Limits) -> str:
    return (f"\n… output cut: only the first {size_text(limits.stdout_bytes)} of what your code "
            "printed are kept.")


def sandbox_hint(err: BaseException, limits: Limits) -> str:
    """A plain-language line for errors that come from the run's limits, not from a bug."""
    if is_out_of_memory(err):
        return (f"\n\nThe run ran out of memory: each run may use about "
                f"{size_text(limits.memory_bytes)}, for your code and the checks together.")
    if isinstance(err, OSError) and err.errno == errno.EFBIG:
        return (f"\n\nA file your code wrote went over the size limit for a run "
                f"({size_text(limits.file_size_bytes)}).")
    if isinstance(err, PermissionError):
        return ("\n\nCode run on this site cannot use the network, start other programs, or "
                "touch files outside its own scratch directory.")
    return ""


def explain_exit(returncode: int, limits: Limits) -> tuple[Status, str]:
    """Turn a child that died without a report into (status, message)."""
    if returncode == -signal.SIGXCPU:
        return Status.TIMEOUT, (f"Your code used more than {limits.cpu_seconds} s of CPU time and "
                                "was stopped.")
    if returncode == -signal.SIGKILL:
        return Status.ERROR, (f"Your code was killed, most likely for using more than "
                              f"{size_text(limits.memory_bytes)} of memory.")
    if returncode == -signal.SIGSEGV:
        return Status.ERROR, "Your code crashed the Python process (a segmentation fault)."
    if returncode == -signal.SIGXFSZ:
        return Status.ERROR, (f"Your code tried to write a file larger than "
                              f"{size_text(limits.file_size_bytes)}.")
    if returncode == -signal.SIGSYS:
        return Status.ERROR, "Your code made a system call that exercises are not allowed to make."
    if returncode == INTERNAL_ERROR_EXIT:
        return Status.ERROR, ("The checks could not finish after your code ran. If your code "
                              "replaced something the checks use (a built-in, a module), leave it "
                              "as it was.")
    if returncode < 0:
        return Status.ERROR, f"Your code's process was stopped by signal {-returncode}."
    return Status.ERROR, ("Your code ended the process before the checks could report (did it "
                          "call exit() or os._exit()?). Define the function and let the checks "
                          "call it.")
