"""A section's URL opened on a freshly started server must not say "Page not found".

Streamlit keeps a relic of its first multipage design: while no session has called st.navigation
yet, a `pages/` folder next to the entry point makes it run the first session's first script run
through the old folder-based page list. That list has none of our URLs, so Streamlit sends a
"Page not found" dialog before our script (and our st.navigation) runs and renders the right
page under it. Only the first run on a fresh server is affected: st.navigation switches the relic
off for good. We cannot rename pages/ (its name is part of the layout), and nothing of ours runs
before that first run, so: detect it, first thing in the script, and when the requested URL is
one of the site's pages (known from file names: the registry is imported later), hide and close
the false dialog in the browser. A real unknown URL still gets Streamlit's dialog.
"""

from __future__ import annotations

import tomllib
from functools import cache

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx

from utils.hidden_place import hidden_place
from utils.site_config import ROOT, SECTION_FILE, section_path

# Closes the false dialog as soon as it is there: at once if it is, else when it comes (a real
# one, on another page, is not touched: it closes only dialogs that say "Page not found", within
# 10 s of this page's first run).
_JS = """
(() => {
  const closeIt = () => {
    for (const dialog of document.querySelectorAll('[data-testid="stDialog"]')) {
      if (!dialog.innerText.includes("Page not found")) continue;
      const close = dialog.querySelector('button[aria-label="Close"]');
      if (close) close.click();
      else document.dispatchEvent(new KeyboardEvent("keydown", {key: "Escape", bubbles: true}));
      return true;
    }
    return false;
  };
  // Once it is closed (or the watch is over), dialogs are shown again (_HIDE_DIALOGS).
  const done = () => document.documentElement.classList.add("gtf-false-dialog-done");
  if (closeIt()) return done();
  const watcher = new MutationObserver(() => { if (closeIt()) { watcher.disconnect(); done(); } });
  watcher.observe(document.body, {childList: true, subtree: true});
  setTimeout(() => { watcher.disconnect(); done(); }, 10000);
})();
"""

# Every dialog is hidden until the false one is closed (a moment: no other is opened then).
_HIDE_DIALOGS = "<style>html:not(.gtf-false-dialog-done) .stDialog { display: none; }</style>"

# The closer's place at the top of the page, drawn (empty, hidden) on every run: were it drawn on
# the first run only, every element of the page would move up one place on the next run (the
# browser store's restore: two z₁ sliders on chapter 5.5's autoencoder page, for instance; see
# utils/hidden_place.py).
_PLACE = "gtf_close_false_page_not_found_place"


def in_legacy_first_run() -> bool:
    """True while Streamlit runs this script through its folder-based pages (before
    st.navigation, which switches that off)."""
    return bool(PagesManager.uses_pages_directory)


@cache
def site_url_paths() -> frozenset[str]:
    """The URL path of every page of the site (utils/navigation.py registers them), from file
    names alone: Home, Review and each section of each chapter not marked unavailable."""
    paths = {"", "review"}
    for toml in (ROOT / "pages").glob("*/chapter.toml"):
        if tomllib.loads(toml.read_text(encoding="utf-8")).get("available", True) is not True:
            continue
        paths |= {section_path(toml.parent.name, match[2]) for file in toml.parent.glob("*.md")
                  if (match := SECTION_FILE.match(file.name))}
    return frozenset(paths)


def close_false_page_not_found() -> None:
    """First thing in the script (before st.navigation, and before the site's own imports, which
    take a fresh server's first run about 0.3 s): if this is the legacy first run and the URL is
    one of the site's pages, close the "Page not found" dialog Streamlit sent before the script
    ran. (Drawn after st.navigation, with a component of ours, it closed the dialog 1 s after it
    was shown; the learner saw it meanwhile.)"""
    place = hidden_place(_PLACE)
    if not in_legacy_first_run():
        return
    ctx = get_script_run_ctx()
    requested = ctx.pages_manager.intended_page_name if ctx else None
    # (Home's URL, "", never gets the false dialog: Streamlit's folder-based list has it.)
    if requested and requested in site_url_paths():
        with place:
            # Hidden (the style applies in the hidden place all the same), then closed; the
            # style goes with this run: the next one leaves the place empty. One element: as
            # Markdown of its own (unsafe_allow_html), the style made a fresh browser fetch and
            # run Streamlit's HTML-in-Markdown code (184 KB) before the store's question came,
            # and came no sooner than the script, whose element's code the place has loaded.
            # (Our own script: nothing of the learner's or of the URL's in it.)
            st.html(f"{_HIDE_DIALOGS}<script>{_JS}</script>", unsafe_allow_javascript=True)
