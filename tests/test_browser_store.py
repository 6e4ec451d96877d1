"""The browser store's wait for the learner's work (utils/browser_store.py), without a browser;
tests/test_browser.py checks in Chromium that a new visit draws its page once, restored."""

from __future__ import annotations

from utils import browser_store
from tests.browser_site import open_page


def test_with_no_browser_behind_the_session_the_page_does_not_wait(monkeypatch):
    # AppTest runs sessions with no browser (no request headers): nobody would answer.
    waits = []
    monkeypatch.setattr(browser_store, "_wait_for_the_answer", waits.append)
    app = open_page("pages/home.py")
    assert not app.exception
    assert app.title and not waits


def test_the_wait_pings_until_its_deadline_then_lets_the_page_draw(monkeypatch):
    # A run told to stop (for the rerun the answer asks for) stops at its next message to the
    # browser: the wait must keep sending them, and end on its own when no answer comes.
    class Ping:
        sent = 0

        def empty(self):
            Ping.sent += 1

    monkeypatch.setattr(browser_store, "ANSWER_WAIT_S", 0.2)
    browser_store._wait_for_the_answer(Ping())
    assert Ping.sent >= 0.2 / browser_store._PING_S / 2
