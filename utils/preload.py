"""Start loading Streamlit's Plotly chart code as soon as a page with charts starts drawing.

Streamlit loads the code that draws a Plotly chart (plotly.js inside it: 4.7 MB) only when the
first chart of a page arrives, and in a fresh browser that import costs about 0.9 s of the
browser's time (2 cores, load 2), all of it before the first chart can be drawn. The browser is
mostly idle while the server runs the page's script, so a page that will draw charts asks for the
same module first thing in its run (from the sidebar, which is sent before the page): Streamlit's
own import then finds it loaded. The module's file name is Streamlit's build's; where it cannot be
found, nothing is preloaded and charts load as before.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import streamlit as st

_JS = """
export default function (component) {
  const name = component.data && component.data.module;
  if (!name || window.__gtfPlotlyPreload) return;
  // Resolved as Streamlit resolves its own lazy import of it: beside its entry module, so that
  // both imports are the same module.
  const entry = document.querySelector('script[type="module"][src*="/static/js/index."]');
  if (!entry) return;
  window.__gtfPlotlyPreload = import(new URL("./" + name, entry.src).href).catch(() => {});
}
"""

_preloader = st.components.v2.component("gtf_plotly_preload", js=_JS)

# Drawn in a place of its own, hidden, and on every run of a page with charts, so that it moves
# nothing on the page (see utils/deep_links.py for what a place drawn on some runs only does).
_PLACE = "gtf_plotly_preload_place"
_HIDE_PLACE = (f"<style>.st-key-{_PLACE}, [data-testid=stLayoutWrapper]:has(> .st-key-{_PLACE}) "
               "{ display: none; }</style>")


@cache
def plotly_module_name() -> str | None:
    """The file name of Streamlit's Plotly chart module in this install, or None if there is not
    exactly one."""
    found = list((Path(st.__file__).parent / "static" / "static" / "js").glob("PlotlyChart.*.js"))
    return found[0].name if len(found) == 1 else None


def preload_plotly() -> None:
    """Call at the start of a page that draws Plotly charts."""
    name = plotly_module_name()
    if name is None:
        return
    with st.sidebar:
        place = st.container(key=_PLACE)
        st.html(_HIDE_PLACE)  # style only: takes no place
        with place:
            _preloader(key="gtf_plotly_preload", data={"module": name}, height=0)

