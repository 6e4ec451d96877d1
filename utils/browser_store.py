"""Keep the learner's code and progress in the browser's localStorage, so a reload loses nothing.

Nothing is stored on the server, so there are no accounts and nothing to leak. One invisible
component is mounted at the end of every run (see streamlit_app.py): on a session's first run it
reads what the browser kept and hands it to Python; after that it writes the current snapshot.

The browser's answer triggers the session's second run; its change callback restores the work
before that run starts, so the second run already draws it (restoring at the end of the second
run and rerunning drew every page a third time: a third server run and a third redraw of every
chart on every first visit).
"""

from __future__ import annotations

import streamlit as st

from utils import learner_state

_RESTORED = "gtf_browser_restored"
STORAGE_KEY = "grokking-the-fundamentals:v1"
# Where the code editor keeps a draft per exercise (utils/code_editor.py), until this store has it.
DRAFT_PREFIX = "grokking-the-fundamentals:draft:"
_KEY = "gtf_browser_store"  # the component's widget key

_JS = """
export default function (component) {
  const { data, setStateValue } = component;
  if (!data) return;
  if (data.mode === "load") {
    let saved = {};
    try { saved = JSON.parse(window.localStorage.getItem(data.storageKey) || "{}"); }
    catch (err) { saved = {}; }
    setStateValue("saved", saved);
  } else if (data.mode === "save") {
    try { window.localStorage.setItem(data.storageKey, JSON.stringify(data.snapshot)); }
    catch (err) { return; /* storage full or disabled: the session still works */ }
    // An editor's draft (utils/code_editor.py) whose text is now saved has done its job.
    for (const [id, text] of Object.entries(data.snapshot.code || {})) {
      try {
        const draft = JSON.parse(window.localStorage.getItem(data.draftPrefix + id) || "null");
        if (draft && draft.text === text) window.localStorage.removeItem(data.draftPrefix + id);
      } catch (err) { /* a draft we cannot read stays */ }
    }
  }
}
"""

_store = st.components.v2.component("gtf_browser_store", js=_JS)


def _restore_from_the_browser() -> None:
    """The component's change callback: Streamlit calls it before the run the browser's answer
    triggers, so that run draws the restored work."""
    state = st.session_state.get(_KEY) or {}
    saved = state.get("saved")
    if saved is not None and not st.session_state.get(_RESTORED):
        learner_state.restore(saved)
        st.session_state[_RESTORED] = True


def restored() -> bool:
    """Whether this session has restored the learner's work from the browser (its first run
    has not: the browser's answer comes with the second)."""
    return bool(st.session_state.get(_RESTORED))


def sync() -> None:
    """Restore once per session, then save on every run. Call at the end of the app script."""
    if not st.session_state.get(_RESTORED):
        result = _store(key=_KEY, data={"mode": "load", "storageKey": STORAGE_KEY},
                        default={"saved": None}, height=0,
                        on_saved_change=_restore_from_the_browser)
        saved = getattr(result, "saved", None)
        if saved is not None:  # answered, but not through the callback (it always should be)
            learner_state.restore(saved)
            st.session_state[_RESTORED] = True
            st.rerun()
        return
    _store(key=_KEY, height=0,
           data={"mode": "save", "storageKey": STORAGE_KEY, "snapshot": learner_state.snapshot(),
                 "draftPrefix": DRAFT_PREFIX},
           default={"saved": None}, on_saved_change=_restore_from_the_browser)
