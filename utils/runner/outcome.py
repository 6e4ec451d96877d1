"""The verdict of one run, composed in the server from the zygote's reply (how the child ended)
and what the server read from the run's own pipes (its output and its JSON report)."""

from __future__ import annotations

from utils.runner.limits import Limits
from utils.runner.messages import (INVALID_REPORT_MESSAGE, RUNNER_FAILED_MESSAGE,
                                   SETUP_FAILED_EXIT, SLOW_START_MESSAGE, explain_exit,
                                   output_cut_message, over_quota_message, timeout_message)
from utils.runner.report import InvalidReport, clamp_duration, parse_report
from utils.runner.worker import RunStreams
from utils.status import Status


def compose(reply: dict, streams: RunStreams, limits: Limits) -> dict:
    """{"status", "message", "stdout", "stdout_truncated", "duration_s", "data", "cpu_s"}."""
    stdout = streams.stdout.decode(errors="replace")
    if streams.stdout_truncated:
        stdout += output_cut_message(limits)
    cpu_s = reply.get("cpu_s")
    result = {"stdout": stdout, "stdout_truncated": streams.stdout_truncated, "data": None,
              "duration_s": clamp_duration(reply.get("elapsed"), limits.wall_seconds),
              "cpu_s": clamp_duration(cpu_s, limits.cpu_seconds) if cpu_s is not None
              else None}
    if reply.get("failed"):
        return {**result, "status": Status.ERROR, "message": RUNNER_FAILED_MESSAGE}
    if reply.get("timed_out"):
        if reply.get("ready"):
            return {**result, "status": Status.TIMEOUT,
                    "message": timeout_message(limits.wall_seconds)}
        return {**result, "status": Status.ERROR, "message": SLOW_START_MESSAGE}
    if reply.get("over_quota"):
        return {**result, "status": Status.ERROR, "message": over_quota_message(limits)}
    if streams.report:
        try:
            return {**result, **parse_report(bytes(streams.report), limits.wall_seconds)}
        except InvalidReport:
            return {**result, "status": Status.ERROR, "message": INVALID_REPORT_MESSAGE}
    returncode = reply.get("returncode")
    if returncode == SETUP_FAILED_EXIT:
        return {**result, "status": Status.ERROR, "message": RUNNER_FAILED_MESSAGE}
    status, message = explain_exit(returncode if isinstance(returncode, int) else 0, limits)
    return {**result, "status": status, "message": message}


__all__ = ["compose"]
