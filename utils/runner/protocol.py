"""What the parts of the runner send each other: one documented type per message, and its JSON
form defined here and nowhere else.

    page   --run()/run_demo()-->  server
    server --RunRequest (code pipe)-------------------->  child   (the zygote never sees it)
    server --RunOrder (control socket, with 3 pipe ends)-> zygote
    server <-Report (report pipe)-------------------------  child
    server <-ZygoteReply (control socket)-----------------  zygote (how the child ended)
    server --CloneOrder (control socket, with 1 socket end)-> zygote  (fork another zygote)
    server <-hello, with a pidfd (the new socket)-----------  its clone
    page   <-RunResult--  server (utils/runner/outcome.py composes it)

The child's report is written by the learner's process, so it is parsed with every field checked
(`Report.from_json`); the zygote's reply is ours, but read as carefully: nothing in it can make
the page show an unknown status or an endless duration.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from utils.runner.limits import Limits
from utils.runner.report import InvalidReport, clamp_duration, clip_message, nesting_depth
from utils.status import Status

MAX_DATA_DEPTH = 32  # a demo's data is lists of lists of numbers, a few levels deep


@dataclass(frozen=True)
class RunRequest:
    """The learner's part of a run: their code, and either the exercise whose checks judge it
    (on its `variant`'s data, if one is named) or the demo (`utils.demos.<stem>.<name>`) to run
    on it with `args`."""
    code: str
    exercise_id: str | None = None
    demo_id: str | None = None
    args: dict[str, Any] = field(default_factory=dict)
    variant: str | None = None

    @property
    def is_demo(self) -> bool:
        return self.demo_id is not None

    def to_json(self) -> bytes:
        return json.dumps(asdict(self)).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> RunRequest:
        request = cls(**json.loads(raw))
        if (request.exercise_id is None) == (request.demo_id is None):
            raise ValueError("a run request names an exercise or a demo, not both or neither")
        return request


@dataclass(frozen=True)
class RunOrder:
    """What the zygote is told per run, besides the pipe ends it hands to the child."""
    limits: Limits

    def to_json(self) -> bytes:
        return json.dumps({"limits": self.limits.to_json()}).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> RunOrder:
        return cls(Limits.from_json(json.loads(raw)["limits"]))


class CloneOrder:
    """Tells a zygote to fork another for the server, with the new one's end of a socket pair
    attached (its control socket). The reply is a plain ZygoteReply; the clone's first message,
    on its own socket, is the hello a started zygote sends, with a pidfd of the clone attached
    (the server is not its parent, so it watches and kills it through that)."""

    MESSAGE = b'{"clone": true}'

    @classmethod
    def is_one(cls, raw: bytes) -> bool:
        return raw == cls.MESSAGE


@dataclass(frozen=True)
class ZygoteReply:
    """How a run's child ended, as its zygote saw it, and what becomes of the zygote."""
    returncode: int = 0  # the exit code, or minus the signal that ended it
    ready: bool = False  # the child finished its setup and started the learner's clock
    timed_out: bool = False  # past the wall limit (or past its setup time, if not ready)
    over_quota: bool = False  # its scratch directory grew past the quota
    elapsed: float | None = None  # wall seconds from ready (or from the fork) to the end
    cpu_s: float | None = None  # CPU seconds of the child, when it exited by itself
    failed: bool = False  # the zygote itself failed at this run (its trace is in the log)
    retire: bool = False  # the zygote exits after this reply: start another
    retry: bool = False  # it retired before running anything: run it on another zygote

    def to_json(self) -> bytes:
        return json.dumps(asdict(self)).encode()

    @classmethod
    def from_dict(cls, message: dict[str, Any]) -> ZygoteReply:
        """From the reply's decoded JSON: known fields of the right type; anything else takes
        its default."""
        kept = {}
        for f in fields(cls):
            value = message.get(f.name)
            if f.name in ("elapsed", "cpu_s"):
                ok = isinstance(value, (int, float)) and not isinstance(value, bool)
            elif f.name == "returncode":
                ok = isinstance(value, int) and not isinstance(value, bool)
            else:
                ok = isinstance(value, bool)
            if ok:
                kept[f.name] = value
        return cls(**kept)


@dataclass(frozen=True)
class Report:
    """The verdict a run's child writes to its report pipe."""
    status: Status
    message: str
    duration_s: float  # the learner's code and the checks, from the child's own clock
    data: Any = None  # what a demo returned: JSON (numbers, strings, lists, dicts)

    def to_json(self) -> bytes:
        # Not asdict: it would deep-copy a demo's data first.
        return json.dumps({"status": self.status, "message": self.message,
                           "duration_s": self.duration_s, "data": self.data}).encode()

    @classmethod
    def from_json(cls, raw: bytes, wall_seconds: float) -> Report:
        """The report, checked field by field, or InvalidReport."""
        try:
            report = json.loads(raw)
        except (ValueError, RecursionError) as err:
            raise InvalidReport(f"not JSON: {err}") from None
        if not isinstance(report, dict):
            raise InvalidReport("not an object")
        status, message = Status.parse(report.get("status")), report.get("message")
        if status is None:
            raise InvalidReport(f"unknown status {report.get('status')!r}")
        if not isinstance(message, str):
            raise InvalidReport("the message is not text")
        data = report.get("data")
        if nesting_depth(data, MAX_DATA_DEPTH) > MAX_DATA_DEPTH:
            raise InvalidReport("data nested too deeply")
        return cls(status, clip_message(message),
                   clamp_duration(report.get("duration_s"), wall_seconds), data)


@dataclass(frozen=True)
class RunResult:
    """What the page gets from `run` and `run_demo`."""
    status: Status
    message: str  # what to tell the learner
    stdout: str  # what their code printed, cut to the run's `stdout_bytes`
    duration_s: float  # their code and the checks, within the run's wall limit
    stdout_truncated: bool = False
    data: Any = None  # what a demo returned (run_demo); None for exercise runs
    cpu_s: float | None = None  # CPU time of the run's process (setup included), if it exited


__all__ = ["RunRequest", "RunOrder", "CloneOrder", "ZygoteReply", "Report", "RunResult",
           "InvalidReport"]
