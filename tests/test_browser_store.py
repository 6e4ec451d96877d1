"""The browser store's wait for the learner's work (utils/browser_store.py), without a browser;
tests/test_browser.py checks in Chromium that a new visit draws its page once, restored."""

from __future__ import annotations

import time

import pytest

from utils import browser_store
from tests.browser_site import open_page


def test_with_no_browser_behind_the_session_the_page_does_not_wait(monkeypatch):
    # AppTest runs sessions with no browser (no request headers): nobody would answer.
    waits = []
    monkeypatch.setattr(browser_store, "_wait_for_the_answer", waits.append)
    app = open_page("pages/home.py")
    assert not app.exception
    assert app.title and not waits


def test_the_wait_ends_the_run_soon_after_it_is_told_to_stop(monkeypatch):
    # A run told to stop (for the rerun the answer asks for) stops at its next message to the
    # browser: the wait sends one as soon as it sees the request, not a dozen before it.
    class Stopped(Exception):
        pass

    class Ping:
        sent = 0

        def empty(self):
            Ping.sent += 1
            if browser_store._told_to_stop():
                raise Stopped  # as Streamlit stops a run told to, at its next message

    told_at = time.monotonic() + 0.1
    monkeypatch.setattr(browser_store, "_told_to_stop", lambda: time.monotonic() >= told_at)
    with pytest.raises(Stopped):
        browser_store._wait_for_the_answer(Ping())
    assert time.monotonic() - told_at < 0.2 and Ping.sent == 1


def test_without_an_answer_the_wait_pings_now_and_then_then_lets_the_page_draw(monkeypatch):
    class Ping:
        sent = 0

        def empty(self):
            Ping.sent += 1

    monkeypatch.setattr(browser_store, "ANSWER_WAIT_S", 0.6)
    started = time.monotonic()
    browser_store._wait_for_the_answer(Ping())  # (no run context: never told to stop)
    assert 0.6 <= time.monotonic() - started < 1.5
    assert 1 <= Ping.sent <= 0.6 / browser_store._PING_S + 1
