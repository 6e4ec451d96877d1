"""Keep the learner's code and progress in the browser's localStorage, so a reload loses nothing.

Nothing is stored on the server, so there are no accounts and nothing to leak. Every run asks the
browser for what it kept (`ask_first`, before the page draws anything) until it has answered, and
once it has, the current snapshot is merged into the browser's copy at the end of every run
(`save`, MERGE_JS); see streamlit_app.py. A browser that says it keeps nothing (it has no cookie
of ours: COOKIE_JS) is not asked: the session starts with nothing restored, and every run checks
the browser's copy (`ask_first` again) until a check finds nothing there, before anything is
written to it (utils/store_code.py).

The answer asks for a rerun, and its change callback restores the work before that run starts. A
session's first run waits for it, drawing nothing of the page: Streamlit then stops it and starts
the rerun (at once, with its default fast reruns; the waiting run ends at its next message to the
browser), so the page is drawn once, by the run that has the learner's work. The answer takes about
0.1 s from the question (fresh Chromium, this machine's 2 cores). When the question came at the end
of the page instead, every first view was drawn twice, and the second run waited until the browser
had drawn the whole first one: 1-1.4 s later on chapter 5's heavier pages, while the editors showed
the stubs, not the learner's code.
"""

from __future__ import annotations

import secrets
import time

import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.scriptrunner_utils.script_requests import ScriptRequestType

from utils import component_data, learner_state, store_code
from utils.hidden_place import hidden_place

_RESTORED = store_code.RESTORED
_ASSUMED_NOTHING = store_code.ASSUMED_NOTHING
STORAGE_KEY = "grokking-the-fundamentals:v1"
# Where the code editor keeps a draft per exercise (utils/code_editor.py), until this store has it.
DRAFT_PREFIX = "grokking-the-fundamentals:draft:"
_KEY = "gtf_browser_store"  # the component's widget key
_PLACE = "gtf_browser_store_place"  # where the question is asked, at the top of every run
_CHECK_KEY = "gtf_browser_store_check"  # the check's element (a session taken at its word)
_ASKED = "gtf_browser_store_asked"  # the token of this session's question
_WAITED = "gtf_browser_store_waited"  # set by a session's first run (it waits once, at most)
_NEWER = "gtf_browser_store_newer"  # another tab's newer code: {exercise key: its stamp}
_WATCHED = "gtf_browser_store_watched"  # the exercises whose editors this run draws
# How long a session's first run waits for the browser's answer (about 0.1 s here) before it
# draws the page without the learner's work (drawn again with it when the answer comes).
ANSWER_WAIT_S = 2.0
# How often the waiting run looks whether it was told to stop (for the rerun the answer asks
# for), and how often it sends the browser an empty message all the same (see
# `_wait_for_the_answer`).
_LOOK_S, _PING_S = 0.01, 0.25

# Every open tab of the site writes its whole snapshot into the one browser copy at the end of
# its runs: written as it is, a tab opened earlier would bring back its older copy of what
# another tab saved since. So a snapshot is merged into the copy entry by entry, the later
# change winning by its stamp (utils/kept_work.py says what an entry is). On equal stamps (none
# on either side, in a copy written before stamps) the copy's entry stays, and the tab's fills
# in what the copy lacks: a tab's own change always has a later stamp than what it restored. A
# removal keeps its stamp, so it wins as a change does. The copy is read, merged and written in
# one call, but two tabs saving within the same few milliseconds can still have one write over
# the other's; and the stamps are the servers' clocks, so two servers whose clocks disagree can
# rank two tabs' changes wrongly (one server serves the site on Community Cloud).
MERGE_JS = """
// A table as stored (anything else, storage other code wrote, counts as an empty one).
const obj = (x) => (x && typeof x === "object" && !Array.isArray(x) ? x : {});
function mergeKept(stored, mine) {
  const has = (o, k) => Object.prototype.hasOwnProperty.call(o, k);
  stored = obj(stored); mine = obj(mine);
  const theirStamps = obj(stored.stamps), ourStamps = obj(mine.stamps);
  const stamps = {};
  // One entry: [whether it is there, its value], from the side whose stamp is later.
  const pick = (name, theirs, ours) => {
    const a = Number(ourStamps[name]) || 0, b = Number(theirStamps[name]) || 0;
    const oursWins = a > b || (a === b && ours[0] && !theirs[0]);
    stamps[name] = oursWins ? a : b;
    return oursWins ? ours : theirs;
  };
  const table = (name, theirs, ours) => {
    theirs = obj(theirs); ours = obj(ours);
    const theirT = obj(theirStamps[name]), ourT = obj(ourStamps[name]);
    const out = {}, outT = {};
    const keys = new Set([...Object.keys(theirs), ...Object.keys(theirT),
                          ...Object.keys(ours), ...Object.keys(ourT)]);
    for (const key of keys) {
      const a = Number(ourT[key]) || 0, b = Number(theirT[key]) || 0;
      const oursWins = a > b || (a === b && has(ours, key) && !has(theirs, key));
      const from = oursWins ? ours : theirs;
      if (has(from, key)) out[key] = from[key];
      if (oursWins ? a : b) outT[key] = oursWins ? a : b;
    }
    stamps[name] = outT;
    return out;
  };
  const out = {};
  for (const name of ["code", "status", "inputs"]) out[name] = table(name, stored[name], mine[name]);
  // The review state: its cards one by one, the chosen chapters and today's count each whole.
  const theirReview = obj(stored.review), ourReview = obj(mine.review);
  if (has(stored, "review") || has(mine, "review")) {
    const review = { cards: table("cards", theirReview.cards, ourReview.cards) };
    for (const name of ["chapters", "new"]) {
      const [there, value] = pick(name, [has(theirReview, name), theirReview[name]],
                                  [has(ourReview, name), ourReview[name]]);
      if (there) review[name] = value;
    }
    // Two tabs that each started new cards today: the larger count (not the later one), so
    // that the day's limit of new cards counts both as well as it can.
    const theirNew = obj(theirReview.new), ourNew = obj(ourReview.new);
    if (review.new && theirNew.day && theirNew.day === ourNew.day)
      review.new = { day: theirNew.day,
                     count: Math.max(Number(theirNew.count) || 0, Number(ourNew.count) || 0) };
    out.review = review;
  }
  out.stamps = stamps;
  return out;
}
"""

# Another tab's save, seen in this one: the browser tells every other tab of the site when one
# writes the copy (the `storage` event), and a tab's own save reads the copy too (a save made
# before this tab listened). A tab that then finds a newer version of the code of an exercise
# its page shows (`watch`) than its own (a later stamp, other text) tells its session, which
# says so above that exercise's editor (`newer_elsewhere`). Only a change of what it found is
# sent, so two tabs' saves do not wake each other back and forth.
WATCH_JS = """
const gtfWatch = { data: null, setStateValue: null, sent: "{}", listening: false };
function newerCode(stored, data) {
  stored = obj(stored); const snapshot = obj(data.snapshot);
  const theirs = obj(obj(stored.stamps).code), mine = obj(obj(snapshot.stamps).code);
  const theirCode = obj(stored.code), myCode = obj(snapshot.code), newer = {};
  for (const key of Array.isArray(data.watch) ? data.watch : []) {
    const stamp = Number(theirs[key]) || 0;
    if (stamp > (Number(mine[key]) || 0) && theirCode[key] !== myCode[key]) newer[key] = stamp;
  }
  return newer;
}
function reportNewer(stored) {
  const newer = JSON.stringify(newerCode(stored, gtfWatch.data));
  if (newer === gtfWatch.sent) return;
  gtfWatch.sent = newer;
  gtfWatch.setStateValue("newer", JSON.parse(newer));
}
function watchOtherTabs(data, setStateValue) {
  gtfWatch.data = data; gtfWatch.setStateValue = setStateValue;
  if (gtfWatch.listening) return;
  gtfWatch.listening = true;
  window.addEventListener("storage", (event) => {
    if (!gtfWatch.data || event.key !== gtfWatch.data.storageKey || !event.newValue) return;
    let stored;
    try { stored = JSON.parse(event.newValue); } catch (err) { return; }
    reportNewer(stored);
  });
}
"""

# The cookie that tells the server, with a session's first request, that this browser holds some
# of the learner's work (utils/store_code.py): kept in step with the browser's copy each time this
# script reads or writes it. 400 days, the longest a browser keeps a cookie.
# A session that took the browser's word that it keeps none (no cookie) has a token, and each of
# this script's elements that sees it checks the browser's copy, until a check finds nothing.
# Work found there goes to the session once, as the first answer would have gone (and the
# session's run with it restored reruns the page); none found, the tab notes that this
# session's check found nothing (editors waiting for the check look at it:
# utils/code_editor.py). A token, not a flag: a tab whose connection was lost for long gets a
# new session, which checks again. Every copy sent says which question or check it answers
# (`for`): after a reconnect, Streamlit's front end sends the new session the values its
# elements had, and the old session's answer must not pass for the new one's.
COOKIE_JS = """
function holdsWork(copy) {
  copy = obj(copy);
  const review = obj(copy.review);
  const some = (table) => Object.keys(obj(table)).length > 0;
  return some(copy.code) || some(copy.status) || some(copy.inputs) || some(review.cards) ||
    (Array.isArray(review.chapters) && review.chapters.length > 0) ||
    Boolean(Number(obj(review.new).count));
}
function noteWhetherWorkIsKept(copy) {
  try {
    document.cookie = holdsWork(copy)
      ? "SAVED_COOKIE=1; path=/; max-age=34560000; SameSite=Lax"
      : "SAVED_COOKIE=; path=/; max-age=0; SameSite=Lax";
  } catch (err) { /* cookies disabled: the server asks every time */ }
}
function readKept(storageKey) {
  try { return JSON.parse(window.localStorage.getItem(storageKey) || "{}"); }
  catch (err) { return {}; /* unreadable: counts as nothing kept */ }
}
// True when the copy holds work and has gone to the session (the caller then writes nothing).
function sendKeptWork(token, stored, setStateValue) {
  if (!token || window.__gtfStoreChecked === token) return false;
  if (window.__gtfStoreSent === token) return true;  // sent already: the restore is on its way
  if (!holdsWork(stored)) { window.__gtfStoreChecked = token; return false; }
  noteWhetherWorkIsKept(stored);
  window.__gtfStoreSent = token;
  setStateValue("saved", { for: token, copy: obj(stored) });
  return true;
}
""".replace("SAVED_COOKIE", store_code.SAVED_COOKIE)

# Sent in the tab once the browser has answered (see utils/preload.py).
ANSWERED_EVENT = "gtf-store-answered"

_JS = MERGE_JS + WATCH_JS + COOKIE_JS + """
export default function (component) {
  const { setStateValue } = component;
  let data = component.data;
  if (!data) return;
  if (data.mode === "check") {
    sendKeptWork(data.token, readKept(data.storageKey), setStateValue);
  } else if (data.mode === "load") {
    // Anything but an object ("null", a list: storage some other code wrote) counts as nothing:
    // a copy that is not one would not be taken (`_restore`), and nothing would ever be saved.
    const saved = obj(readKept(data.storageKey));
    noteWhetherWorkIsKept(saved);
    setStateValue("saved", { for: data.token, copy: saved });
    // What waits for the answer in this tab (utils/preload.py) may go on.
    window.__gtfStoreAnswered = true;
    window.dispatchEvent(new Event(ANSWERED_EVENT));
  } else if (data.mode === "save") {
    // (Nested values come as JSON text: utils/component_data.py.)
    data = { ...data, snapshot: JSON.parse(data.snapshot), watch: JSON.parse(data.watch) };
    watchOtherTabs(data, setStateValue);
    let kept;
    try {
      // (Unreadable, the copy is replaced by this tab's snapshot.)
      const stored = readKept(data.storageKey);
      // Kept work the session has not seen yet (see COOKIE_JS) is written back merged by the
      // session's next save, once it has it.
      if (sendKeptWork(data.checkToken, stored, setStateValue)) return;
      kept = mergeKept(stored, data.snapshot);
      window.localStorage.setItem(data.storageKey, JSON.stringify(kept));
      noteWhetherWorkIsKept(kept);
    } catch (err) { return; /* storage full or disabled: the session still works */ }
    reportNewer(kept);
    // An editor's draft (utils/code_editor.py) whose text is now saved has done its job.
    for (const [id, text] of Object.entries(kept.code || {})) {
      try {
        const draft = JSON.parse(window.localStorage.getItem(data.draftPrefix + id) || "null");
        if (draft && draft.text === text) window.localStorage.removeItem(data.draftPrefix + id);
      } catch (err) { /* a draft we cannot read stays */ }
    }
  }
}
""".replace("ANSWERED_EVENT", f'"{ANSWERED_EVENT}"')

_store = st.components.v2.component("gtf_browser_store", js=_JS)


def _restore_from_the_browser(key: str = _KEY) -> None:
    """The component's change callback: Streamlit calls it before the run the browser's answer
    (or its check's, for the element `key`) triggers, so that run draws the restored work."""
    _restore((st.session_state.get(key) or {}).get("saved"))


def _restore_the_checked() -> None:
    """The check's change callback (see `_restore_from_the_browser`)."""
    _restore_from_the_browser(_CHECK_KEY)


def _awaited() -> str:
    """The token of the question or check whose answer this session still waits for, or ''."""
    token = unchecked()
    if token or st.session_state.get(_RESTORED):
        return token
    return st.session_state.get(_ASKED, "")


def _restore(answer: object) -> bool:
    """Restore the browser's copy in `answer` ({for: token, copy}), if it answers what this
    session still waits for (not an answer of an earlier session's: see COOKIE_JS). Whether it
    did."""
    token = _awaited()
    if not token or not isinstance(answer, dict) or answer.get("for") != token or \
            not isinstance(answer.get("copy"), dict):
        return False
    learner_state.restore(answer["copy"])
    st.session_state[_RESTORED] = True
    st.session_state.pop(_ASSUMED_NOTHING, None)
    return True


def _take_newer(newer: object) -> None:
    if isinstance(newer, dict):
        st.session_state[_NEWER] = {k: v for k, v in newer.items() if isinstance(k, str)
                                    and isinstance(v, int) and not isinstance(v, bool)}


def _note_newer_elsewhere() -> None:
    """The component's change callback for another tab's newer code: {exercise key: stamp}."""
    _take_newer((st.session_state.get(_KEY) or {}).get("newer"))


def unchecked() -> str:
    """If this session took the browser's word that it keeps none of the learner's work
    (utils/store_code.py) and no work has come back from the browser's check of its copy (it
    keeps none, or the check is still to come), the session's check token; else ''."""
    return st.session_state.get(_ASSUMED_NOTHING) or ""


def watch(key: str) -> None:
    """Tell the browser that this run's page shows the editor of the exercise `key`: another
    tab's newer code for it is reported (`newer_elsewhere`)."""
    st.session_state.setdefault(_WATCHED, []).append(key)


def newer_elsewhere(key: str) -> int | None:
    """When another open tab saved a newer version of this exercise's code (ms since the epoch),
    if it did and this session has not changed the code since (stamped or not yet)."""
    stamp = (st.session_state.get(_NEWER) or {}).get(key)
    if stamp is None or stamp <= learner_state.code_stamp(key) or \
            learner_state.code_changed_since_saved(key):
        return None
    return stamp


def restored() -> bool:
    """Whether this session has restored the learner's work from the browser (its first run
    has not: the browser's answer comes with the second), or took the browser's word that it
    keeps none (utils/store_code.py; see `unchecked`)."""
    return bool(st.session_state.get(_RESTORED))


def ask_first() -> None:
    """Call before the page draws anything of its own (after st.navigation). Until the browser
    has answered, ask it for the learner's work; on the session's first run, wait for the answer
    (a fraction of a second), so that the page is drawn once, with the learner's work in it.
    A session that took the browser's word that it keeps none (utils/store_code.py) is not
    asked and does not wait: the browser checks its copy instead. The place is drawn on every
    run."""
    place = hidden_place(_PLACE)
    st.session_state[_WATCHED] = []  # filled by this run's editors (`watch`)
    token = unchecked()
    if token:
        # A session that took the browser's word that it keeps nothing (utils/store_code.py):
        # it starts as if the browser had answered so, and the browser checks its copy.
        if not st.session_state.get(_WAITED):
            st.session_state[_WAITED] = True
            learner_state.restore({})
        with place:
            result = _store(key=_CHECK_KEY, height=0, default={"saved": None},
                            data=component_data.plain({"mode": "check", "token": token,
                                                       "storageKey": STORAGE_KEY}),
                            on_saved_change=_restore_the_checked)
        # Work found, but not through the callback (should it ever be skipped).
        if _restore(getattr(result, "saved", None)):
            st.rerun()
    if restored():
        return
    asked = st.session_state.setdefault(_ASKED, secrets.token_hex(8))
    with place:
        result = _store(key=_KEY, data=component_data.plain({"mode": "load", "token": asked,
                                                             "storageKey": STORAGE_KEY}),
                        default={"saved": None, "newer": None}, height=0,
                        on_saved_change=_restore_from_the_browser,
                        on_newer_change=_note_newer_elsewhere)
        ping = st.empty()
    if _restore(getattr(result, "saved", None)):  # answered, not through the callback
        st.rerun()
    if not st.session_state.get(_WAITED) and st.context.headers:  # (no headers: no browser)
        st.session_state[_WAITED] = True
        _wait_for_the_answer(ping)


def _wait_for_the_answer(ping: DeltaGenerator) -> None:
    """Wait up to ANSWER_WAIT_S for the browser's answer. It asks for a rerun: Streamlit starts
    it at once (fast reruns) and tells this run to stop, which it does at its next message to the
    browser. So this run looks every _LOOK_S whether it was told to stop, and then sends an empty
    message, which ends it. Sending one every 0.03 s instead (as it did) gave the browser a dozen
    messages to draw while it was answering. It still sends one every _PING_S, in case
    Streamlit's request is not where `_told_to_stop` looks. Without an answer by then the page is
    drawn as it is, and restored when the answer comes."""
    deadline = time.monotonic() + ANSWER_WAIT_S
    next_ping = time.monotonic() + _PING_S
    while time.monotonic() < deadline:
        time.sleep(_LOOK_S)
        if _told_to_stop() or time.monotonic() >= next_ping:
            ping.empty()
            next_ping = time.monotonic() + _PING_S


def _told_to_stop() -> bool:
    """Whether Streamlit has asked this run to stop or rerun (read from its run's requests,
    which are not public: False if they cannot be read)."""
    ctx = get_script_run_ctx()
    state = getattr(getattr(ctx, "script_requests", None), "_state", None)
    return state is not None and state != ScriptRequestType.CONTINUE


def save() -> None:
    """Call at the end of the app script: write the learner's work to the browser, once the
    session has restored what the browser kept (before that, it would write over it)."""
    if not st.session_state.get(_RESTORED):
        return
    result = _store(key=_KEY, height=0, data=component_data.plain({
                        "mode": "save", "storageKey": STORAGE_KEY,
                        "snapshot": component_data.as_json(learner_state.snapshot()),
                        "draftPrefix": DRAFT_PREFIX,
                        "checkToken": unchecked(),
                        "watch": component_data.as_json(
                            sorted(set(st.session_state.get(_WATCHED) or ())))}),
                    default={"saved": None, "newer": None},
                    on_saved_change=_restore_from_the_browser,
                    on_newer_change=_note_newer_elsewhere)
    # Values whose callbacks were skipped (should they ever be).
    if _restore(getattr(result, "saved", None)):
        st.rerun()
    newer = getattr(result, "newer", None)
    if newer is not None and newer != st.session_state.get(_NEWER):
        _take_newer(newer)
