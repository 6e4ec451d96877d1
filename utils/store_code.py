"""What a session's first run does for the browser store, first thing (before the site's imports).

A session's first run asks the browser for the learner's work (utils/browser_store.py) and waits
for the answer before it draws the page: a round trip to a browser that is still busy loading
Streamlit's front end, and a second run to draw the page.

- A browser that holds none of the learner's work is not asked. The store's script keeps a cookie
  (SAVED_COOKIE) while the browser holds some, and a browser sends its cookies with the session's
  first request: without it (a new learner), the first run takes the browser at its word and
  draws the page at once. Its word is checked all the same, in the browser, as the page is
  drawn: any work it keeps after all (cookies cleared or blocked, say, or kept before the cookie
  was) goes to the session, which draws the page again with it (browser_store.ask_first; an
  editor whose exercise has such work waits for it, read-only). An app embedded with
  `?embed=true` is asked as before: in another site's page, a browser sends no cookie of ours.
- Otherwise the browser starts loading the store's component code now. Streamlit's front end
  loads the code of a component element (its BidiComponent module, which imports two more, 190
  KB in all) only when the first such element arrives: on a fresh browser, after the question
  came, and before the browser could answer it. Asked for here, at the top of the run (before the
  site's own imports, which take a fresh server's first run most of a second), that code is
  loaded by the time the question comes. Drawn in a hidden place of its own, on every run; the
  script is put in it until the learner's work is restored.

A light module: it runs before the site's imports.
"""

from __future__ import annotations

import json
import secrets

import streamlit as st

from utils import static_modules
from utils.hidden_place import hidden_place

# Session state: whether the session has the learner's work from the browser (set by
# utils/browser_store.py when its answer came; the run that asks is the one before), or took the
# browser's word that it holds none (set here). Then ASSUMED_NOTHING holds the session's token
# for the browser's check of its copy, until work found there is restored (it may never be).
RESTORED = "gtf_browser_restored"
ASSUMED_NOTHING = "gtf_browser_assumed_nothing"
# The cookie the store's script keeps while the browser holds some of the learner's work.
SAVED_COOKIE = "gtf_saved_work"
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


def nothing_saved_in_this_browser() -> bool:
    """Whether a browser is behind this session and says it holds none of the learner's work:
    it sent no SAVED_COOKIE with the session's first request."""
    # (Embedded, most likely in another site's page, which gets no cookie of ours: asked.)
    return (bool(st.context.headers) and not st.context.is_embedded
            and SAVED_COOKIE not in st.context.cookies)


def start_the_store() -> None:
    """Call at the top of every run. On a session's first run, either the browser says it holds
    none of the learner's work, and the run goes on as if restored, or it starts loading the
    component code the browser store's question needs."""
    place = hidden_place(_PLACE)
    if st.session_state.get(RESTORED):
        return
    if nothing_saved_in_this_browser():
        st.session_state[RESTORED] = True
        st.session_state[ASSUMED_NOTHING] = secrets.token_hex(8)
        return
    script = import_script(COMPONENT_MODULE)
    if script:
        with place:
            # (Our own script, with a module name of Streamlit's build.)
            st.html(f"<script>{script}</script>", unsafe_allow_javascript=True)
