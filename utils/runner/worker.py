"""The process that runs one submission. Started by utils.runner with `python -I -u`.

It reads a JSON request {exercise_id, code, limits} from stdin, limits itself, runs the code in a
namespace holding the chapter's imports and the reference solutions of earlier exercises, runs the
exercise's checks on the learner's object, and writes a JSON report to the report pipe (a file
descriptor separate from stdout, so printed text can never be mistaken for the verdict).

The limits are applied here, in the child, rather than with `preexec_fn` in the parent: the
Streamlit server is threaded and `preexec_fn` is not safe there.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time


def _set_limit(which: int, value: int) -> None:
    soft, hard = resource.getrlimit(which)
    value = value if hard == resource.RLIM_INFINITY else min(value, hard)
    resource.setrlimit(which, (value, value if hard == resource.RLIM_INFINITY else hard))


def _write_report(fd: int, report: dict) -> None:
    data = json.dumps(report).encode()
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def main() -> None:
    root, report_fd = sys.argv[1], int(sys.argv[2])
    sys.path.insert(0, root)
    request = json.loads(sys.stdin.read())
    limits = request["limits"]

    # Limits that cost nothing to set before the imports.
    _set_limit(resource.RLIMIT_CORE, 0)
    _set_limit(resource.RLIMIT_FSIZE, limits["file_size_bytes"])
    _set_limit(resource.RLIMIT_NOFILE, limits["open_files"])

    import torch  # noqa: F401 - imported before the memory limit: importing it maps ~600 MB

    torch.set_num_threads(1)
    from utils import registry
    from utils.runner.namespace import namespace_for
    from utils.verdict import ERROR, LEARNER_FILENAME, NOT_IMPLEMENTED, learner_traceback, \
        not_implemented_message, run_checks

    ex = registry.get(request["exercise_id"])
    namespace = namespace_for(ex)
    _set_limit(resource.RLIMIT_AS, limits["memory_bytes"])
    cpu_used = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
    _set_limit(resource.RLIMIT_CPU, int(cpu_used + limits["cpu_seconds"]) + 1)
    os.write(report_fd, b"R")  # ready: the parent starts the learner's wall clock now
    started = time.perf_counter()

    def report(status: str, message: str) -> None:
        _write_report(report_fd, {"status": status, "message": message,
                                  "duration_s": time.perf_counter() - started})

    code = request["code"]
    try:
        compiled = compile(code, LEARNER_FILENAME, "exec")
    except SyntaxError as err:
        line = (err.text or "").rstrip("\n")
        caret = " " * max((err.offset or 1) - 1, 0) + "^"
        report(ERROR, f"SyntaxError on line {err.lineno}: {err.msg}\n\n    {line}\n    {caret}")
        return
    # Register the source so tracebacks show the learner's lines.
    import linecache
    linecache.cache[LEARNER_FILENAME] = (len(code), None, code.splitlines(True), LEARNER_FILENAME)
    try:
        exec(compiled, namespace)
    except NotImplementedError:
        report(NOT_IMPLEMENTED, not_implemented_message(ex))
        return
    except MemoryError:
        report(ERROR, "Your code ran out of memory while it was being defined.")
        return
    except BaseException as err:  # noqa: BLE001 - SystemExit included: report, don't exit
        report(ERROR, f"Your code raised {type(err).__name__} before the checks ran:\n"
                      f"{learner_traceback(err)}")
        return
    obj = namespace.get(ex.name)
    if obj is None:
        report(ERROR, f"Your code doesn't define `{ex.name}`. Keep the name and signature of the "
                      "stub.")
        return
    try:
        verdict = run_checks(ex, obj)
    except MemoryError:
        report(ERROR, "Your code ran out of memory during the checks.")
        return
    report(verdict.status, verdict.message)


if __name__ == "__main__":
    main()
