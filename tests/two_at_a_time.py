"""Run a test module's subprocesses (a notebook, an exercise file) two at a time, from the module's
first test on, each test then waiting for its own.

One at a time, such runs (mostly importing torch and running checks, on one thread) left one of
the machine's two cores idle. Each runs on one torch thread: two runs with two threads each on
two cores spent more time waiting for each other's threads than they saved (the notebooks: 236 s
against 197 s one at a time; 116 s like this).
"""

from __future__ import annotations

import os
import subprocess
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
    environment = {**os.environ, "OMP_NUM_THREADS": "1"}
    live: set[subprocess.Popen] = set()
    lock = threading.Lock()

    def run(line: list[str]) -> subprocess.CompletedProcess:
        process = subprocess.Popen(line, cwd=ROOT, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, env=environment)
        with lock:
            live.add(process)
        try:
            stdout, stderr = process.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            raise
        finally:
            with lock:
                live.discard(process)
        return subprocess.CompletedProcess(line, process.returncode, stdout, stderr)

    pool = ThreadPoolExecutor(2)
    try:
        yield {key: pool.submit(run, line) for key, line in commands.items()}
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        with lock:
            for process in live:
                process.kill()
        pool.shutdown(wait=True)


def chapter_stem(item: pytest.Item) -> str | None:
    """The chapter a test is parametrized with (its `ch`), if it is."""
    callspec = getattr(item, "callspec", None)
    chapter = callspec.params.get("ch") if callspec else None
    return getattr(chapter, "stem", None)
