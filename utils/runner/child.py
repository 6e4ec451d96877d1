"""What a run's child process does once it is confined: run the learner's code, then what judges
it (an exercise's checks, or a demo: utils/runner/tasks.py), and write the verdict as JSON to the
report pipe (never to stdout, which the learner controls). Exercises and demos share this path.
"""

from __future__ import annotations

import linecache
import os
import sys
import threading
import time
import types
from typing import Any

from utils.check_runner import LEARNER_FILENAME
from utils.runner.limits import Limits
from utils.runner.protocol import Report, RunRequest
from utils.runner.tasks import Outcome, Task, task_for
from utils.status import Status

READY = b"R"  # the one byte the zygote reads from a run: imports done, the learner's clock starts
# A run's memory limit is on address space (RLIMIT_AS), and the imported libraries already take
# most of it, so every thread's stack reservation (8 MiB by default) counts: with it, learner
# code could start only 7 threads before "can't start new thread". 2 MiB is ample for Python
# code (3.11 keeps Python-to-Python calls off the C stack).
THREAD_STACK_BYTES = 2 * 2**20


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
    # Everything that is not the learner's (imports, the namespace) is done before the clock starts.
    task = task_for(request, limits)
    namespace = _module_namespace(task.namespace())
    threading.stack_size(THREAD_STACK_BYTES)
    _ready(ready_fd)
    started = time.perf_counter()
    status, message, data = _judge(request.code, namespace, task)
    _write_all(report_fd, Report(status, message, time.perf_counter() - started, data).to_json())


def _judge(code: str, namespace: dict[str, Any], task: Task) -> Outcome:
    try:
        compiled = compile(code, LEARNER_FILENAME, "exec")
    except SyntaxError as err:
        return Status.ERROR, task.syntax_error(err), None
    # Register the source so tracebacks can show the learner's lines.
    linecache.cache[LEARNER_FILENAME] = (len(code), None, code.splitlines(True), LEARNER_FILENAME)
    try:
        exec(compiled, namespace)
        data = task.after_code(namespace)
    except NotImplementedError as err:
        return Status.NOT_IMPLEMENTED, task.not_implemented(err), None
    except BaseException as err:  # noqa: BLE001 - SystemExit included: report, don't exit
        return Status.ERROR, task.raised(err), None
    return task.verdict(namespace, data)
