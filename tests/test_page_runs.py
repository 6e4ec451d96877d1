"""utils/page_runs.py: the server's warm-up waits for a quiet moment between page runs."""

from __future__ import annotations

import threading
import time

from utils import page_runs


def _page_run_until(release: threading.Event, started: threading.Event,
                    order: list[str]) -> threading.Thread:
    def page() -> None:
        with page_runs.page_running():
            started.set()
            release.wait(30)
            order.append("page ended")
    thread = threading.Thread(target=page)
    thread.start()
    assert started.wait(30)
    return thread


def test_a_step_waits_until_the_page_run_going_on_has_ended():
    order: list[str] = []
    release, started = threading.Event(), threading.Event()
    page = _page_run_until(release, started, order)
    waiter = threading.Thread(target=lambda: order.append(
        f"step (quiet: {page_runs.wait_for_a_quiet_moment(quiet_s=0.05, longest_s=30)})"))
    waiter.start()
    time.sleep(0.3)  # time enough for a waiter that does not wait to get ahead
    assert order == []
    release.set()
    page.join(30)
    waiter.join(30)
    assert order == ["page ended", "step (quiet: True)"]


def test_a_step_waits_for_the_quiet_time_after_a_run():
    with page_runs.page_running():
        pass
    ended = time.monotonic()
    assert page_runs.wait_for_a_quiet_moment(quiet_s=0.2, longest_s=30)
    assert time.monotonic() - ended >= 0.2


def test_a_server_that_is_never_quiet_still_warms_up():
    order: list[str] = []
    release, started = threading.Event(), threading.Event()
    page = _page_run_until(release, started, order)
    try:
        assert page_runs.wait_for_a_quiet_moment(quiet_s=0.05, longest_s=0.2) is False
    finally:
        release.set()
        page.join(30)


def test_a_run_that_raises_still_counts_as_ended():
    try:
        with page_runs.page_running():
            raise RuntimeError("a rerun or a stop ends a run with an exception")
    except RuntimeError:
        pass
    assert page_runs.wait_for_a_quiet_moment(quiet_s=0.0, longest_s=0.5)


def test_steps_run_in_order_each_after_a_wait():
    calls: list[str] = []
    page_runs.in_quiet_moments([lambda: calls.append("a"), lambda: calls.append("b")],
                               wait=lambda: calls.append("wait"))
    assert calls == ["wait", "a", "wait", "b"]


def test_the_site_counts_its_page_runs_and_leaves_none_open():
    """streamlit_app.py wraps each run (the session's first, which stops early, and its rerun)
    in page_running: none is left counted once they end."""
    from tests.browser_site import open_page

    before = page_runs._last_ended
    app = open_page("pages/part3_optimization/1_optimizers.md", timeout=120)
    assert not app.exception
    assert page_runs._running == 0
    assert page_runs._last_ended > before  # the runs were counted, and ended


def test_busy_while_a_page_runs_and_just_after():
    order: list[str] = []
    release, started = threading.Event(), threading.Event()
    page = _page_run_until(release, started, order)
    assert page_runs.busy(quiet_s=0.05)
    release.set()
    page.join(30)
    assert page_runs.busy(quiet_s=5)  # it has only just ended
    time.sleep(0.1)
    assert not page_runs.busy(quiet_s=0.05)
