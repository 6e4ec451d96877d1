"""The forked side of tests/warm_fork.py: run a command line (`python -m module ...` or
`python script.py ...`) in this process, forked with the heavy libraries already imported, as
that command would run in a new interpreter.

Only the standard library is imported here, and the `tests` package this module came from is
forgotten before the command runs, so its imports of the repository happen as they would in the
command's own process, from the sys.path that command would have (tests/test_two_at_a_time.py
compares the two)."""

from __future__ import annotations

import atexit
import builtins
import ctypes
import importlib.machinery
import os
import runpy
import sys
import threading
import traceback
import types
from types import TracebackType


def run(line: list[str], cwd: str, stdout_path: str, stderr_path: str,
        library_path: list[str]) -> int:
    """What `subprocess.run(line, cwd=cwd)` would do, its output written to the two files and
    its exit status returned. line[0] is the interpreter (this process is one);
    `library_path` is the sys.path of the installed libraries."""
    os.chdir(cwd)
    for fd, path in ((1, stdout_path), (2, stderr_path)):
        target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(target, fd)
        os.close(target)
    for name in [m for m in sys.modules if m == "tests" or m.startswith("tests.")]:
        del sys.modules[name]
    _fresh_random_state()
    try:
        _run(line[1:], cwd, library_path)
        status = 0
    except SystemExit as stop:  # as the interpreter reads sys.exit's argument
        status = _exit_status(stop.code)
    except BaseException as error:  # noqa: BLE001 - as the interpreter: the traceback, status 1
        traceback.print_exception(type(error), error, _the_commands_frames(error.__traceback__))
        status = 1
    # What an interpreter does at its end, and os._exit (the caller's) does not.
    threading._shutdown()  # wait for the command's non-daemon threads
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):  # replaced or closed by the command
            pass
    ctypes.CDLL(None).fflush(None)  # C's own output buffers
    return status


def _fresh_random_state() -> None:
    """Python's `random` is reseeded at a fork; numpy's global generator and torch's are not,
    and a new interpreter seeds each afresh, so each run draws its own numbers."""
    numpy, torch = sys.modules.get("numpy"), sys.modules.get("torch")
    if numpy is not None:
        numpy.random.seed()
    if torch is not None:
        torch.seed()


def _run(args: list[str], cwd: str, library_path: list[str]) -> None:
    # The path a new interpreter would have: the script's folder (or, with -m, the working
    # folder) first, then the installed libraries.
    if args[0] == "-m":
        sys.path[:] = [cwd, *library_path]
        sys.argv = [args[1], *args[2:]]
        runpy.run_module(args[1], run_name="__main__", alter_sys=True)
        return
    # As a new interpreter has them: the script's name as typed in argv, its folder resolved on
    # the path, and __file__ the working folder joined to the name, not normalised.
    script = os.path.join(os.getcwd(), args[0])
    sys.path[:] = [os.path.dirname(os.path.realpath(script)), *library_path]
    sys.argv = list(args)
    main = types.ModuleType("__main__")
    main.__dict__.update(__file__=script, __builtins__=builtins, __cached__=None,
                         __loader__=importlib.machinery.SourceFileLoader("__main__", script))
    sys.modules["__main__"] = main
    with open(script, "rb") as source:
        # dont_inherit: not this module's `from __future__ import annotations`, under which the
        # script's annotations would stay strings and a broken one would pass unnoticed.
        code = compile(source.read(), script, "exec", dont_inherit=True)
    exec(code, main.__dict__)


_OURS = {__file__, runpy.__file__, "<frozen runpy>"}


def _the_commands_frames(frames: TracebackType | None) -> TracebackType | None:
    """A traceback without this module's and runpy's frames above the command's own."""
    while frames is not None and frames.tb_frame.f_code.co_filename in _OURS:
        frames = frames.tb_next
    return frames


def _exit_status(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1
