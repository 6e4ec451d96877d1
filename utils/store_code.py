"""The browser store's front-end code, asked for first thing in a session's first run.

A session's first run asks the browser for the learner's work (utils/browser_store.py) with a
component of ours, and waits for the answer before it draws the page. Streamlit's front end
loads the code of a component element (its BidiComponent module, which imports two more, 190 KB
in all) only when the first such element arrives: on a fresh browser, after the question came,
and before the browser could answer it. Asked for here, at the top of the run (before the site's
own imports, which take a fresh server's first run most of a second), that code is loaded by the
time the question comes. Drawn in a hidden place of its own, on every run; the script is put in
it until the learner's work is restored (the session's first run, whose question is still to
come, and any run before the answer). A light module: it runs before the site's imports.
"""

from __future__ import annotations

import json

import streamlit as st

from utils import static_modules
from utils.hidden_place import hidden_place

# Session state: whether the session has the learner's work from the browser (set by
# utils/browser_store.py when its answer came; the run that asks is the one before).
RESTORED = "gtf_browser_restored"
# Streamlit's module for components (st.components.v2), by the prefix of its file's name.
COMPONENT_MODULE = "BidiComponent"
_PLACE = "gtf_store_code_place"


def import_script(prefix: str) -> str | None:
    """A script that imports Streamlit's front-end module `prefix` (None if this install has no
    single such file)."""
    name = static_modules.streamlit_module(prefix)
    if name is None:
        return None
    return ("(() => { const entry = document.querySelector(%s); "
            "if (entry) import(new URL(%s, entry.src).href).catch(() => {}); })();"
            % (json.dumps(static_modules.ENTRY_MODULE_SELECTOR), json.dumps(name)))


def ask_for_the_store_code() -> None:
    """Call at the top of every run: on a session's first run, the browser starts loading the
    component code the browser store's question needs."""
    place = hidden_place(_PLACE)
    if st.session_state.get(RESTORED):
        return
    script = import_script(COMPONENT_MODULE)
    if script:
        with place:
            # (Our own script, with a module name of Streamlit's build.)
            st.html(f"<script>{script}</script>", unsafe_allow_javascript=True)
