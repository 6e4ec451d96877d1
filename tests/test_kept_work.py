"""Two tabs of the site share one browser copy of the learner's work: each tab's snapshot carries
when each entry last changed (utils/kept_work.py, utils/learner_state.py), and the browser store
merges it into the copy entry by entry, the later change winning (utils/browser_store.py
MERGE_JS, run here in Chromium). tests/test_browser.py checks two real tabs."""

from __future__ import annotations

import json
import time

import pytest

from tests.browser_harness import CHROMIUM, CHROMIUM_FLAGS, needs_chromium
from utils import browser_store, learner_state, registry

EX = registry.get("part1_ray_tracing.intersect_ray_1d")
OTHER = registry.get("part1_ray_tracing.intersect_rays_1d")


@pytest.fixture
def fresh_session():
    """Bare-mode session state, emptied of the learner state these tests touch."""
    import streamlit as st

    for key in list(st.session_state):
        if str(key).startswith("gtf_"):
            del st.session_state[key]
    yield
    for key in list(st.session_state):
        if str(key).startswith("gtf_"):
            del st.session_state[key]


def _saved(stamp: int) -> dict:
    return json.loads(json.dumps({
        "code": {EX.id: "old code", OTHER.id: "other code"}, "status": {EX.id: "failed"},
        "stamps": {"code": {EX.id: stamp, OTHER.id: stamp}, "status": {EX.id: stamp}}}))


def test_what_the_session_did_not_change_keeps_the_browsers_stamps(fresh_session):
    learner_state.restore(_saved(1000))
    snap = learner_state.snapshot()
    assert snap["code"][EX.id] == "old code"
    assert snap["stamps"]["code"] == {EX.id: 1000, OTHER.id: 1000}
    assert snap["stamps"]["status"] == {EX.id: 1000}
    assert snap["stamps"]["cards"] == {} and snap["stamps"]["chapters"] == 0


def test_a_change_and_a_removal_are_stamped_when_seen(fresh_session):
    learner_state.restore(_saved(1000))
    learner_state.snapshot()
    before = int(time.time() * 1000)
    learner_state.set_code(EX, "new code")
    learner_state.clear_result(EX)  # the status goes: a removal is a change too
    snap = learner_state.snapshot()
    assert snap["stamps"]["code"][EX.id] >= before and snap["stamps"]["status"][EX.id] >= before
    assert EX.id not in snap["status"]
    assert snap["stamps"]["code"][OTHER.id] == 1000  # untouched
    again = learner_state.snapshot()  # nothing changed since: the same stamps
    assert again["stamps"] == snap["stamps"]


def test_a_change_is_stamped_after_a_stamp_from_a_clock_ahead_of_ours(fresh_session):
    ahead = int(time.time() * 1000) + 3_600_000  # another server's clock, an hour ahead
    learner_state.restore(_saved(ahead))
    learner_state.snapshot()
    learner_state.set_code(EX, "new code")
    assert learner_state.snapshot()["stamps"]["code"][EX.id] > ahead  # else the merge keeps
    # the browser's older code, and the change is lost


def test_reviewing_a_card_stamps_that_card_and_todays_count(fresh_session):
    from datetime import datetime, timezone

    from utils import cards, review_schedule

    learner_state.restore({})
    learner_state.snapshot()
    card = next(iter(cards.chapter_cards("micrograd")))
    state = review_schedule.rate(learner_state.review_state(), card.id, "good",
                                 datetime.now(timezone.utc))
    learner_state.set_review_state(state)
    stamps = learner_state.snapshot()["stamps"]
    assert list(stamps["cards"]) == [card.id] and stamps["new"] > 0


def test_code_typed_before_the_restore_wins_and_is_stamped(fresh_session):
    learner_state.set_code(EX, "typed first")
    before = int(time.time() * 1000)
    learner_state.restore(_saved(1000))
    snap = learner_state.snapshot()
    assert snap["code"][EX.id] == "typed first" and snap["stamps"]["code"][EX.id] >= before


def test_a_copy_written_before_stamps_restores_with_none(fresh_session):
    learner_state.restore({"code": {EX.id: "old code"}})
    snap = learner_state.snapshot()
    assert snap["code"][EX.id] == "old code" and snap["stamps"]["code"] == {}


# --- the browser's merge ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def merge():
    from playwright.sync_api import sync_playwright

    if needs_chromium.args[0]:
        pytest.skip(needs_chromium.kwargs["reason"])
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page()
        yield lambda stored, mine: page.evaluate(
            f"([stored, mine]) => {{ {browser_store.MERGE_JS}\n return mergeKept(stored, mine); }}",
            [stored, mine])
        browser.close()


def _copy(code, code_stamps, status=None, status_stamps=None, review=None, review_stamps=None):
    kept = {"code": code, "status": status or {}, "inputs": {},
            "stamps": {"code": code_stamps, "status": status_stamps or {}, "inputs": {},
                       **(review_stamps or {})}}
    if review is not None:
        kept["review"] = review
    return kept


def test_each_entry_comes_from_whichever_tab_changed_it_last(merge):
    # Tab A saved a new `a` at 200; tab B, opened at 100, then changed `b` at 300.
    stored = _copy({"a": "A's new a", "b": "old b"}, {"a": 200, "b": 100})
    mine = _copy({"a": "old a", "b": "B's new b"}, {"a": 100, "b": 300})
    out = merge(stored, mine)
    assert out["code"] == {"a": "A's new a", "b": "B's new b"}
    assert out["stamps"]["code"] == {"a": 200, "b": 300}


def test_a_later_removal_wins_and_an_older_one_loses(merge):
    stored = _copy({}, {}, status={"a": "failed", "b": "passed"}, status_stamps={"a": 100, "b": 500})
    mine = _copy({}, {}, status={}, status_stamps={"a": 300, "b": 400})  # both removed here
    out = merge(stored, mine)
    assert out["status"] == {"b": "passed"}  # b changed in the other tab after this removal
    assert out["stamps"]["status"] == {"a": 300, "b": 500}


def test_without_stamps_the_copy_stays_and_the_tab_fills_in_what_it_lacks(merge):
    # A copy written before stamps, and a tab that changed nothing since it restored it: the
    # copy's entries stay (another tab may have written them since), the tab adds what is new.
    stored = {"code": {"a": "stored a", "gone": "an exercise this tab does not know"}}
    mine = _copy({"a": "tab's a", "b": "tab's b"}, {})
    out = merge(stored, mine)
    assert out["code"] == {"a": "stored a", "b": "tab's b",
                           "gone": "an exercise this tab does not know"}


def test_on_equal_stamps_a_stale_tab_does_not_undo_a_newer_value(merge):
    # Both tabs restored `a` stamped 900; tab A changed it (stamped 901) and saved. Tab B never
    # changed it: its save, with the old text and the old stamp, leaves A's.
    stored = _copy({"a": "A's change"}, {"a": 901})
    assert merge(stored, _copy({"a": "old"}, {"a": 900}))["code"] == {"a": "A's change"}
    stored = _copy({"a": "A's change"}, {"a": 900})  # the same stamp: still the copy's
    assert merge(stored, _copy({"a": "old"}, {"a": 900}))["code"] == {"a": "A's change"}


def test_review_cards_merge_one_by_one_and_the_chapter_choice_whole(merge):
    # Tab A reviewed card c1 (at 500) and chose micrograd; tab B, opened before, then reviewed
    # c2 (at 600) and added makemore to its choice (at 700).
    stored = _copy({}, {}, review={"chapters": ["micrograd"], "cards": {"c1": {"due": "a"}},
                                   "new": {"day": "d", "count": 1}},
                   review_stamps={"cards": {"c1": 500}, "chapters": 500, "new": 500})
    mine = _copy({}, {}, review={"chapters": ["micrograd", "makemore"], "cards": {"c2": {"due": "b"}},
                                 "new": {"day": "d", "count": 1}},
                 review_stamps={"cards": {"c2": 600}, "chapters": 700, "new": 600})
    out = merge(stored, mine)
    assert out["review"]["cards"] == {"c1": {"due": "a"}, "c2": {"due": "b"}}
    assert out["review"]["chapters"] == ["micrograd", "makemore"]
    assert out["stamps"]["cards"] == {"c1": 500, "c2": 600} and out["stamps"]["chapters"] == 700
    fewer = _copy({}, {}, review={"chapters": [], "cards": {}, "new": {"day": "d", "count": 0}},
                  review_stamps={"new": 800})  # later, but fewer new cards started on day d
    assert merge(out, fewer)["review"]["new"] == {"day": "d", "count": 1}
    older = _copy({}, {}, review={"chapters": [], "cards": {}, "new": {"day": "", "count": 0}},
                  review_stamps={"chapters": 100, "new": 100})
    assert merge(out, older)["review"] == out["review"]  # a stale tab's save changes nothing


@pytest.mark.parametrize("saved", [{"code": ["a", "list"]}, {"review": {"cards": [1]}},
                                   {"review": {"cards": "x"}}, {"review": {"chapters": 5}},
                                   {"review": []}, {"stamps": {"code": ["x"]}}, {"status": "x"}])
def test_a_copy_that_is_not_ours_restores_as_nothing(fresh_session, saved):
    learner_state.restore(saved)
    snap = learner_state.snapshot()
    assert snap["code"] == {} and snap["review"]["cards"] == {}


def test_review_done_before_the_restore_keeps_the_browsers_cards(fresh_session):
    from datetime import datetime, timezone

    from utils import cards, review_schedule

    first, second, third = list(cards.chapter_cards("micrograd"))[:3]
    now = datetime.now(timezone.utc)
    browser = review_schedule.rate(review_schedule.empty_state(), first.id, "good", now)
    browser = review_schedule.rate(browser, third.id, "good", now)  # two new cards today
    learner_state.set_review_state(review_schedule.rate(
        {**learner_state.review_state(), "chapters": ["micrograd"]}, second.id, "good", now))
    learner_state.restore(json.loads(json.dumps({"review": browser})))
    snap = learner_state.snapshot()
    assert set(snap["review"]["cards"]) == {first.id, second.id, third.id}
    assert first.id not in snap["stamps"]["cards"]  # the browser's card: not a change here
    assert snap["review"]["chapters"] == ["micrograd"]
    assert snap["review"]["new"]["count"] == 2  # the same day: the larger count


@pytest.mark.parametrize("stored", [None, [], "text", {"code": ["not", "a", "table"]}])
def test_a_copy_that_is_not_ours_is_replaced_by_the_tabs(merge, stored):
    mine = _copy({"a": "tab's a"}, {"a": 5})
    assert merge(stored, mine)["code"] == {"a": "tab's a"}
