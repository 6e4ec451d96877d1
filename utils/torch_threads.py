"""One torch thread for small runs: chapter 5.1's render tiles and chapter 2's training runs.

They work on tensors of a few hundred rows: a second intra-op thread has nothing to share, and on a busy shared CPU the two threads' waits for each other made them 10-50
times slower (the moons network: 3 s on one thread against 28 s on two, at load 9 on 2 cores; the
digits net: 0.13 s against 1.5 s). The code runner's sandbox runs on one thread too, so a
learner's run and the reference's do the same arithmetic.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import torch as t

_lock = threading.Lock()
_users = 0
_saved = 1


@contextlib.contextmanager
def one_thread() -> Iterator[None]:
    """torch on one thread inside the block. Streamlit runs sessions in threads and torch's
    thread count is process-wide (new threads start with the last one set), so the first run
    in saves it and the last one out restores it."""
    global _users, _saved
    with _lock:
        if _users == 0:
            _saved = t.get_num_threads()
        _users += 1
    t.set_num_threads(1)
    try:
        yield
    finally:
        with _lock:
            _users -= 1
            if _users == 0:
                t.set_num_threads(_saved)
