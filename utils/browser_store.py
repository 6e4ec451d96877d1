"""Keep the learner's code and progress in the browser's localStorage, so a reload loses nothing.

Nothing is stored on the server, so there are no accounts and nothing to leak. One invisible
component is mounted at the end of every run (see streamlit_app.py): on a session's first run it
reads what the browser kept and hands it to Python; after that it writes the current snapshot.
"""

from __future__ import annotations

import streamlit as st

from utils import learner_state

_RESTORED = "gtf_browser_restored"
STORAGE_KEY = "grokking-the-fundamentals:v1"

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
    catch (err) { /* storage full or disabled: the session still works */ }
  }
}
"""

_store = st.components.v2.component("gtf_browser_store", js=_JS)


def sync() -> None:
    """Restore once per session, then save on every run. Call at the end of the app script."""
    if not st.session_state.get(_RESTORED):
        result = _store(key="gtf_browser_store", data={"mode": "load", "storageKey": STORAGE_KEY},
                        default={"saved": None}, height=0, on_saved_change=lambda: None)
        saved = getattr(result, "saved", None)
        if saved is not None:
            learner_state.restore(saved)
            st.session_state[_RESTORED] = True
            st.rerun()
        return
    _store(key="gtf_browser_store", height=0,
           data={"mode": "save", "storageKey": STORAGE_KEY, "snapshot": learner_state.snapshot()},
           default={"saved": None}, on_saved_change=lambda: None)
