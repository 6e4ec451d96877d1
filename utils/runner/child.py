"""What a run's child process does once it is confined: run the learner's code, then the checks,
and write the verdict as JSON to the report pipe (never to stdout, which the learner controls)."""

from __future__ import annotations

import importlib
import linecache
import os
import sys
import time
import types
from typing import Any

from utils import registry
from utils.runner.namespace import namespace_for
from utils.check_runner import (LEARNER_FILENAME, learner_traceback, not_implemented_message,
                                run_checks)
from utils.runner.limits import Limits
from utils.runner.messages import sandbox_hint
from utils.runner.protocol import Report, RunRequest
from utils.status import Status

READY = b"R"  # the one byte the zygote reads from a run: imports done, the learner's clock starts


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _module_namespace(contents: dict[str, Any]) -> dict[str, Any]:
    """The globals of a real module registered in sys.modules under the namespace's __name__:
    some code needs its module there (dataclasses, pickle, typing's get_type_hints)."""
    module = types.ModuleType(contents["__name__"])
    module.__dict__.update(contents)
    sys.modules[module.__name__] = module
    return module.__dict__


def _ready(ready_fd: int) -> None:
    """Tell the zygote to start the wall clock, and close the pipe: learner code must not be able
    to put bytes into the zygote's memory (every later child is a copy of it)."""
    os.write(ready_fd, READY)
    os.close(ready_fd)


def execute(request: RunRequest, limits: Limits, report_fd: int, ready_fd: int) -> None:
    if request.is_demo:
        execute_demo(request.demo_id, request.code, request.args, report_fd, ready_fd)
    else:
        execute_exercise(request.exercise_id, request.code, limits, report_fd, ready_fd)


def execute_exercise(exercise_id: str, code: str, limits: Limits, report_fd: int,
                     ready_fd: int) -> None:
    ex = registry.get(exercise_id)
    namespace = _module_namespace(namespace_for(ex))
    _ready(ready_fd)
    started = time.perf_counter()

    def report(status: Status, message: str) -> None:
        _write_all(report_fd, Report(status, message, time.perf_counter() - started).to_json())

    try:
        compiled = compile(code, LEARNER_FILENAME, "exec")
    except SyntaxError as err:
        line = (err.text or "").rstrip("\n")
        caret = " " * max((err.offset or 1) - 1, 0) + "^"
        report(Status.ERROR, f"SyntaxError on line {err.lineno}: {err.msg}\n\n    {line}\n    {caret}")
        return
    # Register the source so tracebacks can show the learner's lines.
    linecache.cache[LEARNER_FILENAME] = (len(code), None, code.splitlines(True), LEARNER_FILENAME)
    try:
        exec(compiled, namespace)
    except NotImplementedError:
        report(Status.NOT_IMPLEMENTED, not_implemented_message(ex))
        return
    except BaseException as err:  # noqa: BLE001 - SystemExit included: report, don't exit
        report(Status.ERROR, f"Your code raised {type(err).__name__} before the checks ran:\n"
                      f"{learner_traceback(err)}{sandbox_hint(err, limits)}")
        return
    obj = namespace.get(ex.name)
    if obj is None:
        report(Status.ERROR, f"Your code doesn't define `{ex.name}`. Keep the name and signature of the "
                      "stub.")
        return
    verdict = run_checks(ex, obj, lambda err: sandbox_hint(err, limits))
    report(verdict.status, verdict.message)


def execute_demo(demo_id: str, code: str, args: dict[str, Any], report_fd: int,
                 ready_fd: int) -> None:
    """Run a whole answers file (a chapter's exercise file with the learner's code in it), then
    the demo `utils.demos.<stem>.<name>(namespace, **args)`, and report its data as JSON."""
    stem, name = demo_id.split(".", 1)
    demo = getattr(importlib.import_module(f"utils.demos.{stem}"), name)
    from utils.site_config import ROOT

    namespace = _module_namespace({"__name__": "learner_answers", "__builtins__": __builtins__,
                                   "__file__": str(ROOT / "exercises" / f"{stem}.py")})
    _ready(ready_fd)
    started = time.perf_counter()

    def report(status: Status, message: str, data: Any = None) -> None:
        _write_all(report_fd,
                   Report(status, message, time.perf_counter() - started, data).to_json())

    try:
        compiled = compile(code, LEARNER_FILENAME, "exec")
    except SyntaxError as err:
        report(Status.ERROR, f"SyntaxError on line {err.lineno} of your answers: {err.msg}")
        return
    linecache.cache[LEARNER_FILENAME] = (len(code), None, code.splitlines(True), LEARNER_FILENAME)
    try:
        exec(compiled, namespace)
        data = demo(namespace, **args)
    except NotImplementedError:
        report(Status.NOT_IMPLEMENTED, "Part of your engine that this needs raised NotImplementedError: "
                                "pass that exercise first (or switch to the reference engine).")
        return
    except BaseException as err:  # noqa: BLE001 - the learner's engine failing is a verdict
        report(Status.ERROR, f"Your engine raised {type(err).__name__}:\n{learner_traceback(err)}")
        return
    report(Status.PASSED, "", data)
