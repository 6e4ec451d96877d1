"""The verdict of one run, composed in the server from the zygote's reply (how the child ended)
and what the server read from the run's own pipes (its output and its JSON report)."""

from __future__ import annotations

from dataclasses import replace

from utils.runner.limits import Limits
from utils.runner.messages import (INVALID_REPORT_MESSAGE, RUNNER_FAILED_MESSAGE,
                                   SETUP_FAILED_EXIT, SLOW_START_MESSAGE, explain_exit,
                                   output_cut_message, over_quota_message, timeout_message)
from utils.runner.protocol import InvalidReport, Report, RunResult, ZygoteReply
from utils.runner.report import clamp_duration
from utils.runner.worker import RunStreams
from utils.status import Status


def compose(reply: ZygoteReply, streams: RunStreams, limits: Limits) -> RunResult:
    stdout = streams.stdout.decode(errors="replace")
    if streams.stdout_truncated:
        stdout += output_cut_message(limits)
    # What every outcome shares; the status and message are settled below.
    cpu_s = clamp_duration(reply.cpu_s, limits.cpu_seconds) if reply.cpu_s is not None else None
    ran = RunResult(Status.ERROR, RUNNER_FAILED_MESSAGE, stdout,
                    clamp_duration(reply.elapsed, limits.wall_seconds),
                    stdout_truncated=streams.stdout_truncated, cpu_s=cpu_s)
    if reply.failed:
        return ran
    if reply.timed_out:
        if reply.ready:
            return replace(ran, status=Status.TIMEOUT,
                           message=timeout_message(limits.wall_seconds))
        return replace(ran, message=SLOW_START_MESSAGE)
    if reply.over_quota:
        return replace(ran, message=over_quota_message(limits))
    if streams.report:
        try:
            report = Report.from_json(bytes(streams.report), limits.wall_seconds)
        except InvalidReport:
            return replace(ran, message=INVALID_REPORT_MESSAGE)
        return replace(ran, status=report.status, message=report.message,
                       duration_s=report.duration_s, data=report.data)
    if reply.returncode == SETUP_FAILED_EXIT:
        return ran
    status, message = explain_exit(reply.returncode, limits)
    return replace(ran, status=status, message=message)


__all__ = ["compose"]
