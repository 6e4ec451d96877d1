"""Run a test module's subprocesses (a notebook, an exercise file) two at a time, from the module's
first test on, each test then waiting for its own.

One at a time, such runs (mostly importing torch and running checks, on one thread) left one of
the machine's two cores idle. Each runs on one torch thread: two runs with two threads each on
two cores spent more time waiting for each other's threads than they saved (the notebooks: 236 s
against 197 s one at a time; 116 s like this).

Each run is forked from a server that has already imported torch, plotly and the rest
(tests/warm_fork.py), instead of starting a new interpreter that imports them again, about 3 s
of CPU each (the notebook and exercise-file tests: 117 s against 159 s). What it then runs, and the
path it finds the repository's code on, are the command's own (tests/forked_child.py,
tests/test_two_at_a_time.py).
"""

from __future__ import annotations

import atexit
import itertools
import json
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Hashable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager

import pytest

from utils.site_config import ROOT


@contextmanager
def runs(request: pytest.FixtureRequest,
         command: Callable[[pytest.Item], tuple[Hashable, list[str]] | None],
         timeout_s: float = 900) -> Iterator[dict[Hashable, Future]]:
    """Start `command(item)` (a key and the command line; None: nothing to run) for each
    selected test of the requesting module; yields each key's run (a Future of its
    CompletedProcess). When the module ends early (-x, Ctrl+C), runs not started are dropped
    and the running ones stopped."""
    commands = dict(found for item in request.session.items
                    if getattr(item, "module", None) is request.module
                    and (found := command(item)))
    server = _WarmServer()
    pool = ThreadPoolExecutor(2)
    try:
        yield {key: pool.submit(run_forked, line, timeout_s, server)
               for key, line in commands.items()}
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        server.close()  # which stops its runs still going (and frees its 300 MB)
        pool.shutdown(wait=True)


def run_forked(line: list[str], timeout_s: float, server: _WarmServer | None = None
               ) -> subprocess.CompletedProcess:
    """`subprocess.run(line, cwd=ROOT, capture_output=True, text=True, timeout=timeout_s)`, for
    a `python -m module ...` or `python script.py ...` line, forked from `server` (default: one
    kept for such calls until `close_the_shared_server()`)."""
    if line[0] != sys.executable or not line[1:] or (line[1].startswith("-") and
                                                     line[1] != "-m"):
        raise ValueError(f"not a `python -m module` or `python script.py` line: {line}")
    server = server or _shared_server()
    with tempfile.TemporaryDirectory() as folder:
        stdout, stderr = f"{folder}/stdout", f"{folder}/stderr"
        run = server.start(line, stdout, stderr)
        if not run.ended.wait(timeout_s):
            server.kill(run)
            if not run.ended.wait(60):
                raise RuntimeError(f"the run of {line} was not stopped: {server.trouble()}")
            raise subprocess.TimeoutExpired(line, timeout_s)
        if run.returncode is None:
            raise RuntimeError(f"the warm fork server ended during the run of {line}: "
                               f"{server.trouble()}")
        return subprocess.CompletedProcess(line, run.returncode, _text(stdout), _text(stderr))


class _Run:
    def __init__(self, key: int) -> None:
        self.key = key
        self.ended = threading.Event()
        self.returncode: int | None = None  # None once ended: the server ended first


class _WarmServer:
    """A `python -m tests.warm_fork`; its own messages go to a log file, whose end is told when
    it fails."""

    def __init__(self) -> None:
        self._log = tempfile.NamedTemporaryFile("w", prefix="warm_fork_", suffix=".log")
        self._process = subprocess.Popen([sys.executable, "-m", "tests.warm_fork"], cwd=ROOT,
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=self._log, text=True)
        self._runs: dict[int, _Run] = {}
        self._ids = itertools.count()
        self._lock = threading.Lock()
        self.alive = True
        self._last_words = ""
        threading.Thread(target=self._read_replies, daemon=True).start()

    def start(self, line: list[str], stdout: str, stderr: str) -> _Run:
        with self._lock:
            run = _Run(next(self._ids))
            if not self.alive:  # ended or closed: so is the run
                run.ended.set()
                return run
            self._runs[run.key] = run
            self._send({"id": run.key, "line": line, "cwd": str(ROOT), "stdout": stdout,
                        "stderr": stderr})
        return run

    def kill(self, run: _Run) -> None:
        """The server handles requests in order: a run asked for before is forked by now."""
        with self._lock:
            if self.alive and not run.ended.is_set():
                self._send({"kill": run.key})

    def trouble(self) -> str:
        """How the server ended, if it has, and what it said last."""
        words = (self._log_end() or self._last_words) if self.alive else self._last_words
        return f"exit status {self._process.poll()}; its log ends: {words!r}"

    def _log_end(self) -> str | None:
        """The end of the server's log; None once close() has deleted it."""
        try:
            with open(self._log.name, errors="replace") as log:
                return log.read()[-2000:]
        except OSError:
            return None

    def _send(self, request: dict) -> None:
        try:
            self._process.stdin.write(json.dumps(request) + "\n")
            self._process.stdin.flush()
        except (BrokenPipeError, ValueError):  # it has ended; _read_replies ends its runs
            pass

    def _read_replies(self) -> None:
        try:
            for line in self._process.stdout:
                reply = json.loads(line)
                with self._lock:
                    run = self._runs.get(reply["id"])
                if run is not None and "returncode" in reply:
                    run.returncode = reply["returncode"]
                    with self._lock:
                        del self._runs[reply["id"]]
                    run.ended.set()
        finally:  # it has ended (or said something unreadable): no run of its will end now
            # Kept before anyone asks (and before close() deletes the log, if it has not).
            self._last_words = self._log_end() or self._last_words
            self._end_the_runs()

    def _end_the_runs(self) -> None:
        with self._lock:
            self.alive = False
            for run in self._runs.values():
                run.ended.set()

    def close(self) -> None:
        """It kills its runs and ends (tests/warm_fork.py); its log is deleted."""
        with self._lock:
            self.alive = False  # no new runs
        if self._process.poll() is None:
            self._process.stdin.close()
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._end_the_runs()  # its runs are over, whether or not the reply thread has said so
        self._log.close()


_SHARED: _WarmServer | None = None
_SHARED_LOCK = threading.Lock()


def _shared_server() -> _WarmServer:
    """The server for `run_forked` calls given none, started anew if there is none or it has
    ended."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None or not _SHARED.alive:
            if _SHARED is not None:
                _SHARED.close()
            _SHARED = _WarmServer()
        return _SHARED


def close_the_shared_server() -> None:
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is not None:
            _SHARED.close()
            _SHARED = None


atexit.register(close_the_shared_server)


def _text(path: str) -> str:
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def chapter_stem(item: pytest.Item) -> str | None:
    """The chapter a test is parametrized with (its `ch`), if it is."""
    callspec = getattr(item, "callspec", None)
    chapter = callspec.params.get("ch") if callspec else None
    return getattr(chapter, "stem", None)
