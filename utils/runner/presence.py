"""Whether the learner who asked for a run still has the page open.

A run can wait up to QUEUE_WAIT_SECONDS for a worker. A learner who closes the tab meanwhile
will never see its verdict, and the run would still take a worker from the learners behind
them. So while a run waits, its session is looked at each time the queue moves (about once a
second): once the session has had no browser connected for LEFT_GRACE_SECONDS in a row, the
run leaves the queue without running. The grace covers a dropped connection: Streamlit's page
reconnects to the same session by itself, and a learner whose wifi blinked keeps their place.
A run that has started is not stopped: it ends within its own time limit.
"""

from __future__ import annotations

import time
from collections.abc import Callable

LEFT_GRACE_SECONDS = 10.0


class LearnerLeft(Exception):
    """The learner's page was closed while their run waited for a worker."""


def session_active(session_id: str) -> bool:
    """True while a browser is connected to this Streamlit session (and outside a server)."""
    from streamlit.runtime import Runtime

    if not Runtime.exists():
        return True
    return bool(Runtime.instance().is_active_session(session_id))


def watch(session_id: str | None, grace_s: float | None = None,
          clock: Callable[[], float] = time.monotonic) -> Callable[[], None]:
    """A check to call while a run waits: raises LearnerLeft once `session_id` has had no
    browser connected for `grace_s` (default LEFT_GRACE_SECONDS) seconds in a row. None (not a
    learner's session): never."""
    grace = LEFT_GRACE_SECONDS if grace_s is None else grace_s
    gone_since: float | None = None

    def check() -> None:
        nonlocal gone_since
        if session_id is None or session_active(session_id):
            gone_since = None
            return
        now = clock()
        if gone_since is None:
            gone_since = now
        if now - gone_since >= grace:
            raise LearnerLeft()

    return check


__all__ = ["LEFT_GRACE_SECONDS", "LearnerLeft", "session_active", "watch"]
