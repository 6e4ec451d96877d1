"""A queued run whose learner closed the page leaves the queue (utils/runner/presence.py); a
dropped connection that comes back keeps its place. (The run itself: test_runner_hostile.py.)"""

from __future__ import annotations

import pytest

from utils.runner import presence


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def connected(monkeypatch):
    """Which sessions have a browser connected, as the test says."""
    sessions = {"learner": True}
    monkeypatch.setattr(presence, "session_active", lambda session_id: sessions[session_id])
    return sessions


def test_a_session_gone_for_the_grace_period_in_a_row_leaves(connected):
    clock = Clock()
    check = presence.watch("learner", grace_s=10, clock=clock)
    check()
    connected["learner"] = False
    check()  # just gone: the grace starts
    clock.now += 9.9
    check()
    clock.now += 0.1
    with pytest.raises(presence.LearnerLeft):
        check()


def test_a_connection_that_comes_back_starts_the_grace_again(connected):
    clock = Clock()
    check = presence.watch("learner", grace_s=10, clock=clock)
    connected["learner"] = False
    check()
    clock.now += 8
    connected["learner"] = True  # Streamlit's page reconnected to its session
    check()
    connected["learner"] = False
    clock.now += 1
    check()
    clock.now += 9.9  # 18.9 s since first gone, but only 9.9 s in a row
    check()
    clock.now += 0.1
    with pytest.raises(presence.LearnerLeft):
        check()


def test_a_run_outside_a_learners_session_never_leaves(connected):
    clock = Clock()
    check = presence.watch(None, grace_s=0, clock=clock)
    clock.now += 1000
    check()


def test_outside_a_server_every_session_counts_as_connected():
    # No Streamlit runtime in this process (tests, scripts, benchmarks).
    from streamlit.runtime import Runtime

    if Runtime.exists():
        pytest.skip("a Streamlit runtime exists in this process")
    assert presence.session_active("anything")
