"""Start loading the front-end code a page will need: what its first screen needs at once, the rest
once that screen is drawn.

Streamlit's front end loads the code for an element (a Plotly chart, a custom component's frame,
a toggle) only when the first such element arrives. The chart code is the biggest: plotly.js
inside a 4.7 MB module, whose import costs a fresh browser about 0.9 s (2 cores, load 2), all of
it before the page's first chart can be drawn. (Code blocks no longer need Streamlit's 1.6 MB
highlighter: utils/code_block.py.) The browser is mostly idle while the server runs the page's
script, so a page asks for the modules its first screen will need first thing in its run, before
a session's first run waits for the learner's work (streamlit_app.py): Streamlit's own imports
then find them loaded. The modules only elements further down need are asked for once the page
is at rest (utils/static_modules.py): a fresh browser runs one thing at a time, and evaluating
them meanwhile delayed the first screen (utils/first_screen.py says which blocks are on it). The
modules' file names are Streamlit's build's; one that cannot be found is not preloaded, and loads
as before. The code editor's module (utils/code_editor.py) and the charts' plotly.js
(utils/charts.py: most of the site's charts are drawn by our element, with a third of that code)
are ours, served from static/: each is asked for by the same address its element imports it
from, so that the browser fetches and runs it once.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache

import streamlit as st

from utils import browser_store, charts, code_editor, static_modules
from utils.hidden_place import hidden_place

EDITOR = "editor"  # our code editor's module (utils/code_editor.py)
CHART = "chart"  # our chart element's plotly.js (utils/charts.py)
CHART_THEME = "chart-theme"  # and the theme it draws with

# Run as a script of the page's (st.html), not as a component: a component's code is one more file
# to fetch from the server, which is busy running the page's script when it is asked for (on a
# fresh server's first page it came 0.2-0.3 s after the first run's elements). Streamlit runs the
# script again when its text changes: on a new page, and on a session's second run (which no
# longer waits for the browser store); each module is imported once per browser tab.
_JS = """
(() => {
  __AT_REST__
  const now = __NOW__, later = __LATER__;
  // Resolved as Streamlit resolves its own lazy imports: beside its entry module, so that both
  // imports are the same module (ours: as utils/code_editor.py resolves it).
  const entry = document.querySelector(__ENTRY__);
  if (!entry) return;
  window.__gtfPreloaded = window.__gtfPreloaded || new Set();
  const load = (names) => {
    for (const name of names) {
      if (window.__gtfPreloaded.has(name)) continue;
      window.__gtfPreloaded.add(name);
      import(new URL(name, entry.src).href).catch(() => {});
    }
  };
  // While the browser store is asked for the learner's work (utils/browser_store.py), whose
  // answer starts the run that draws the page, the modules wait for its answer (or 2 s): the
  // browser evaluating them meanwhile held the answer back.
  if (__WAIT__ && !window.__gtfStoreAnswered) {
    let started = false;
    const start = () => { if (!started) { started = true; load(now); } };
    window.addEventListener(__ANSWERED__, start, { once: true });
    setTimeout(start, 2000);
  } else load(now);
  // The rest once the page's first view is drawn, when the browser has a moment (or 2 s on),
  // unless the learner has gone to another page meanwhile (it asks for its own).
  const page = location.pathname;
  if (later.some((name) => !window.__gtfPreloaded.has(name))) {
    pageAtRest().then(() => {
      if (location.pathname !== page) return;
      if (window.requestIdleCallback) requestIdleCallback(() => load(later), { timeout: 2000 });
      else setTimeout(() => load(later), 0);
    });
  }
})();
"""

# Drawn in a place of its own, hidden, and on every run of the page, so that it moves nothing
# (see utils/hidden_place.py for what a place drawn on some runs only does).
_PLACE = "gtf_preload_place"


def preload_script(names: Sequence[str], later_names: Sequence[str],
                   wait_for_the_store: bool = False) -> str:
    """The script that imports `names` at once (once the browser store has answered, if it is
    asked in this run) and `later_names` once the page is at rest."""
    return (_JS.replace("__AT_REST__", static_modules.AT_REST_JS.strip())
            .replace("__WAIT__", json.dumps(wait_for_the_store))
            .replace("__ANSWERED__", json.dumps(browser_store.ANSWERED_EVENT))
            .replace("__NOW__", json.dumps(list(names)))
            .replace("__LATER__", json.dumps(list(later_names)))
            .replace("__ENTRY__", json.dumps(static_modules.ENTRY_MODULE_SELECTOR)))


@cache
def module_file(prefix: str) -> str | None:
    """The address, relative to Streamlit's entry module, of its front-end module
    `prefix`.<hash>.js in this install (None if there is not exactly one), or of one of ours."""
    if prefix == EDITOR:
        return static_modules.MODULE_FROM_ENTRY + static_modules.versioned_name(code_editor.MODULE)
    if prefix == CHART:  # the chunk both chart bundles import, by the address they import it by
        chunk = charts.shared_chunk()
        return static_modules.MODULE_FROM_ENTRY + chunk if chunk else None
    if prefix == CHART_THEME:
        theme = static_modules.versioned_name(charts.THEME_MODULE)
        return static_modules.MODULE_FROM_ENTRY + theme
    return static_modules.streamlit_module(prefix)


def preload(prefixes: Sequence[str], later: Sequence[str] = ()) -> None:
    """Call first thing in every page's run (utils/navigation.py's preload_page), with the kinds
    of element it will draw: `prefixes` are asked for at once, `later` once the page's first view
    is drawn (at rest: utils/static_modules.py)."""
    names = [name for name in map(module_file, prefixes) if name]
    later_names = [name for name in map(module_file, later) if name and name not in names]
    with st.sidebar:
        # The place on every page (Home and Review, with nothing to load, too) and every run: it
        # comes before the menu, which would otherwise move from one page to the next.
        place = hidden_place(_PLACE)
        if not names and not later_names:
            return
        with place:
            # (Our own script, with module names of ours and of Streamlit's build.)
            # (Until the learner's work is restored, this run asks the browser for it.)
            script = preload_script(names, later_names, not browser_store.restored())
            st.html(f"<script>{script}</script>", unsafe_allow_javascript=True)
