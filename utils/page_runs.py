"""Whether a learner's page is being run right now, so that the server's background warm-up gives
way to it.

The warm-up (streamlit_app.py) imports torch and every chapter's modules and computes what their
pages show first: seconds of CPU (about 4-6 s here), mostly with the GIL held (imports, Plotly's
validation), more on a busy core. A page run
in the same process then gets about half of the GIL: a chapter page opened while the warm-up ran
took 6.4-7.8 s to show on a fresh server against 1.5 s once it was done. So the warm-up works in
steps and, before each, waits until no page has run for a moment. A step already going is not
stopped (an import cannot be), so a run may still share the GIL with one step; and the wait is
bounded, so that a server that is never idle still warms up. The code runners' zygotes, separate
processes, are held (stopped) while they import and a page is `busy`. What is counted is a run of
streamlit_app.py: widget callbacks (before it) and fragment reruns are not, all light today.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

# A session's first run stops early and is rerun straight away (utils/browser_store.py), and a
# click reruns the page: wait this long after a run for the next one before starting a step.
QUIET_S = 0.3
# A step waits at most this long for a quiet moment: on a server that is always busy the warm-up
# still happens (and makes every later first view faster).
LONGEST_WAIT_S = 10.0

_changed = threading.Condition()
_running = 0
_last_ended = 0.0  # time.monotonic() when the last run ended


@contextmanager
def page_running() -> Iterator[None]:
    """Around a script run of a page (also one that stops early or asks for a rerun)."""
    global _running, _last_ended
    with _changed:
        _running += 1
    try:
        yield
    finally:
        with _changed:
            _running -= 1
            _last_ended = time.monotonic()
            _changed.notify_all()


def busy(quiet_s: float = QUIET_S) -> bool:
    """Whether a page run is going on, or one ended in the last `quiet_s` (the next may follow):
    what a code runner still importing gives way to (utils/runner's warm_up)."""
    with _changed:
        return not _quiet(time.monotonic(), quiet_s)


def _quiet(now: float, quiet_s: float) -> bool:
    """No page run going, and none ended in the last `quiet_s` (hold `_changed`)."""
    return not _running and now - _last_ended >= quiet_s


def wait_for_a_quiet_moment(quiet_s: float = QUIET_S, longest_s: float = LONGEST_WAIT_S) -> bool:
    """Until no page run is going and none has ended in the last `quiet_s`, or `longest_s` has
    passed; whether the moment came."""
    deadline = time.monotonic() + longest_s
    with _changed:
        while True:
            now = time.monotonic()
            if _quiet(now, quiet_s):
                return True
            if now >= deadline:
                return False
            left = deadline - now
            _changed.wait(left if _running else min(left, quiet_s - (now - _last_ended)))


def in_quiet_moments(steps: Iterable[Callable[[], object]],
                     wait: Callable[[], object] = wait_for_a_quiet_moment) -> None:
    """Run each step after waiting for a quiet moment."""
    for step in steps:
        wait()
        step()
