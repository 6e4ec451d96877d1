"""A section's URL opened on a freshly started server must not say "Page not found".

Streamlit keeps a relic of its first multipage design: while no session has called st.navigation
yet, a `pages/` folder next to the entry point makes it run the first session's first script run
through the old folder-based page list. That list has none of our URLs, so Streamlit sends a
"Page not found" dialog before our script (and our st.navigation) runs and renders the right
page under it. Only the first run on a fresh server is affected: st.navigation switches the relic
off for good. We cannot rename pages/ (its name is part of the layout), and nothing of ours runs
before that first run, so: detect it, and when our navigation did find the requested page, close
the false dialog in the browser. A real unknown URL still gets Streamlit's dialog.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx
from utils.hidden_place import hidden_place

_JS = """
export default function () {
  let tries = 0;
  const timer = setInterval(() => {
    for (const dialog of document.querySelectorAll('[data-testid="stDialog"]')) {
      if (!dialog.innerText.includes("Page not found")) continue;
      const close = dialog.querySelector('button[aria-label="Close"]');
      if (close) close.click();
      else document.dispatchEvent(new KeyboardEvent("keydown", {key: "Escape", bubbles: true}));
      clearInterval(timer);
      return;
    }
    if (++tries > 100) clearInterval(timer);
  }, 100);
}
"""

_closer = st.components.v2.component("gtf_close_false_page_not_found", js=_JS)

# The closer's place at the top of the page, drawn (empty, hidden) on every run: were it drawn on
# the first run only, every element of the page would move up one place on the next run (the
# browser store's restore: two z₁ sliders on chapter 5.5's autoencoder page, for instance; see
# utils/hidden_place.py).
_PLACE = "gtf_close_false_page_not_found_place"


def in_legacy_first_run() -> bool:
    """True while Streamlit runs this script through its folder-based pages (call before
    st.navigation, which switches that off)."""
    return bool(PagesManager.uses_pages_directory)


def close_false_page_not_found(legacy_first_run: bool, page: st.Page) -> None:
    """After st.navigation: if this was the legacy first run and the URL's page was found,
    close the "Page not found" dialog Streamlit sent before our script ran."""
    place = hidden_place(_PLACE)
    if not legacy_first_run:
        return
    ctx = get_script_run_ctx()
    requested = ctx.pages_manager.intended_page_name if ctx else None
    if requested and requested == page.url_path:
        with place:
            _closer(key="gtf_close_false_page_not_found", height=0)
