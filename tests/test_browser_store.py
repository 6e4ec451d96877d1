"""The browser store's wait for the learner's work (utils/browser_store.py), and a new browser
taken at its word (utils/store_code.py), without a browser; tests/test_browser.py checks both in
Chromium."""

from __future__ import annotations

import json
import time

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from tests.browser_site import open_page
from utils import browser_store, learner_state, registry, store_code
from utils.site_config import ROOT, section_path


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


def _store_elements(node) -> list:
    """The browser store's elements under `node` (its question or check, its save)."""
    found = []
    for child in getattr(node, "children", {}).values():
        if getattr(child, "type", None) == "bidi_component" and \
                child.proto.component_name.endswith("gtf_browser_store"):
            found.append(child)
        found += _store_elements(child)
    return found


def test_a_browser_that_says_it_keeps_nothing_is_not_asked(monkeypatch):
    """No cookie of ours: the session's first run draws the page as if the browser had answered
    "nothing", with no question and no component code asked for ahead; the browser checks its
    copy (the check at the top of the page, the save at its end: whichever comes first), with
    the session's token."""
    monkeypatch.setattr(store_code, "nothing_saved_in_this_browser", lambda: True)
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    app._page_hash = calc_hash(section_path("part1_ray_tracing", "rays_and_segments"))
    app.run()
    assert not app.exception
    token = app.session_state[store_code.ASSUMED_NOTHING]
    assert app.session_state[store_code.RESTORED] and isinstance(token, str) and token
    keys = [getattr(child, "key", None) for child in app.main.children.values()]
    assert not app.main.children[keys.index(store_code._PLACE)].children  # no code asked for
    assert app.title and app.title[0].value == "Rays and segments"  # the page, in this run
    check, save = [json.loads(element.proto.json) for element in _store_elements(app.main)]
    assert check["mode"] == "check" and check["token"] == token
    assert _store_elements(app.main.children[keys.index(browser_store._PLACE)])  # at the top
    assert save["mode"] == "save" and save["checkToken"] == token


def test_work_found_by_the_check_is_restored_and_what_was_typed_wins():
    """The check found work in the browser after all: the session takes it as the first answer
    would have (the rerun it asks for draws it), its own edits winning; later answers of the
    same kind no longer restore anything."""
    ex, other = registry.get("part1_ray_tracing.intersect_ray_1d"), \
        registry.get("part1_ray_tracing.make_rays_1d")
    st.session_state.clear()
    try:
        st.session_state[store_code.RESTORED] = True
        st.session_state[store_code.ASSUMED_NOTHING] = "t0ken"
        learner_state.set_code(other, "# typed before the check came back\n")
        kept = {"code": {ex.id: "# kept in the browser\n", other.id: "# older, kept\n"}}
        # An answer to another session's check (sent again after a reconnect) is not taken.
        st.session_state[browser_store._CHECK_KEY] = {"saved": {"for": "older", "copy": kept}}
        browser_store._restore_the_checked()
        assert learner_state.code(ex) != "# kept in the browser\n"
        st.session_state[browser_store._CHECK_KEY] = {"saved": {"for": "t0ken", "copy": kept}}
        browser_store._restore_the_checked()
        assert learner_state.code(ex) == "# kept in the browser\n"
        assert learner_state.code(other) == "# typed before the check came back\n"
        assert store_code.ASSUMED_NOTHING not in st.session_state
        # Restored for good: a later answer changes nothing.
        st.session_state[browser_store._KEY] = {"saved": {"for": "t0ken", "copy": {
            "code": {ex.id: "# later\n"}}}}
        browser_store._restore_from_the_browser()
        assert learner_state.code(ex) == "# kept in the browser\n"
    finally:
        st.session_state.clear()


def test_only_the_answer_to_this_sessions_question_is_restored():
    """After a reconnect, Streamlit's front end sends the new session the values its elements
    had: the old session's answer, which must not pass for the new question's."""
    ex = registry.get("part1_ray_tracing.intersect_ray_1d")
    st.session_state.clear()
    try:
        st.session_state[browser_store._ASKED] = "this-session"
        copy = {"code": {ex.id: "# kept\n"}}
        st.session_state[browser_store._KEY] = {"saved": {"for": "last-session", "copy": copy}}
        browser_store._restore_from_the_browser()
        assert not browser_store.restored()
        st.session_state[browser_store._KEY] = {"saved": {"for": "this-session", "copy": copy}}
        browser_store._restore_from_the_browser()
        assert browser_store.restored() and learner_state.code(ex) == "# kept\n"
    finally:
        st.session_state.clear()
