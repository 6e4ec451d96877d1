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
    live: set[_Run] = set()  # the runs going on
    lock = threading.Lock()

    def run(line: list[str]) -> subprocess.CompletedProcess:
        mine: list[_Run] = []

        def started(forked: _Run) -> None:
            with lock:
                live.add(forked)
                mine.append(forked)
        try:
            return run_forked(line, timeout_s, started)
        finally:
            with lock:
                live.difference_update(mine)

    pool = ThreadPoolExecutor(2)
    try:
        yield {key: pool.submit(run, line) for key, line in commands.items()}
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        with lock:
            for forked in live:
                _server().kill(forked)
        pool.shutdown(wait=True)


def run_forked(line: list[str], timeout_s: float,
               started: Callable[[_Run], None] = lambda run: None
               ) -> subprocess.CompletedProcess:
    """`subprocess.run(line, cwd=ROOT, capture_output=True, text=True, timeout=timeout_s)`, for
    a `python -m module ...` or `python script.py ...` line, forked from the warm server;
    `started` is given the run once it is forked."""
    with tempfile.TemporaryDirectory() as folder:
        stdout, stderr = f"{folder}/stdout", f"{folder}/stderr"
        server = _server()
        run = server.start(line, stdout, stderr)
        started(run)
        if not run.ended.wait(timeout_s):
            server.kill(run)
            run.ended.wait()
            raise subprocess.TimeoutExpired(line, timeout_s)
        if run.returncode is None:
            raise RuntimeError(f"the warm fork server ended during the run of {line}")
        return subprocess.CompletedProcess(line, run.returncode, _text(stdout), _text(stderr))


class _Run:
    def __init__(self, key: int) -> None:
        self.key = key
        self.forked, self.ended = threading.Event(), threading.Event()
        self.pid: int | None = None
        self.returncode: int | None = None  # None once ended: the server ended first


class _WarmServer:
    """One `python -m tests.warm_fork` for this test process, started at its first run."""

    def __init__(self) -> None:
        self._process = subprocess.Popen([sys.executable, "-m", "tests.warm_fork"], cwd=ROOT,
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         text=True)
        self._runs: dict[int, _Run] = {}
        self._ids = itertools.count()
        self._lock = threading.Lock()
        threading.Thread(target=self._read_replies, daemon=True).start()
        atexit.register(self.close)

    def start(self, line: list[str], stdout: str, stderr: str) -> _Run:
        with self._lock:
            run = _Run(next(self._ids))
            self._runs[run.key] = run
            self._send({"id": run.key, "line": line, "cwd": str(ROOT), "stdout": stdout,
                        "stderr": stderr})
        if not run.forked.wait(120):
            raise RuntimeError("the warm fork server did not fork the run in 120 s")
        return run

    def kill(self, run: _Run) -> None:
        with self._lock:
            if not run.ended.is_set():
                self._send({"kill": run.key})

    def _send(self, request: dict) -> None:
        self._process.stdin.write(json.dumps(request) + "\n")
        self._process.stdin.flush()

    def _read_replies(self) -> None:
        for line in self._process.stdout:
            reply = json.loads(line)
            with self._lock:
                run = self._runs[reply["id"]]
            if "pid" in reply:
                run.pid = reply["pid"]
                run.forked.set()
            else:
                run.returncode = reply["returncode"]
                run.ended.set()
                with self._lock:
                    del self._runs[reply["id"]]
        with self._lock:  # the server has ended: no run of its will
            for run in self._runs.values():
                run.forked.set()
                run.ended.set()

    def close(self) -> None:
        """Its runs are killed and it ends (tests/warm_fork.py)."""
        if self._process.poll() is None:
            self._process.stdin.close()
            self._process.wait(timeout=30)


_SERVER: _WarmServer | None = None
_SERVER_LOCK = threading.Lock()


def _server() -> _WarmServer:
    global _SERVER
    with _SERVER_LOCK:
        if _SERVER is None:
            _SERVER = _WarmServer()
        return _SERVER


def _text(path: str) -> str:
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def chapter_stem(item: pytest.Item) -> str | None:
    """The chapter a test is parametrized with (its `ch`), if it is."""
    callspec = getattr(item, "callspec", None)
    chapter = callspec.params.get("ch") if callspec else None
    return getattr(chapter, "stem", None)
