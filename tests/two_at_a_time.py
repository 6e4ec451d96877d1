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
    CompletedProcess)."""
    commands = dict(found for item in request.session.items
                    if item.module is request.module and (found := command(item)))
    environment = {**os.environ, "OMP_NUM_THREADS": "1"}
    with ThreadPoolExecutor(2) as pool:
        yield {key: pool.submit(subprocess.run, line, cwd=ROOT, capture_output=True, text=True,
                                timeout=timeout_s, env=environment)
               for key, line in commands.items()}
