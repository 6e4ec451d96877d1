"""The same figures drawn by Streamlit's chart element and by ours (utils/charts.py), in Chromium.

    python -m tests.chart_twins --write   # static/gtf_chart_theme.js, from Streamlit's element

static/gtf_chart_theme.js is what Streamlit's front end makes of its chart theme: its placeholder
colours resolved, its template with the theme's fonts and axis styles, its plotly.js config. We
read it from Streamlit's own element in the browser, so it is Streamlit's and not our guess;
tests/test_charts.py draws each figure below with both elements and compares what plotly.js got.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.browser_harness import CHROMIUM, CHROMIUM_FLAGS, serving
from utils.site_config import ROOT

# Each figure is drawn by Streamlit's element in a container keyed twin_st_<i>, then (unless
# GTF_TWINS_STREAMLIT_ONLY is set) by ours in twin_ours_<i>.
APP = '''
import os

import plotly.express as px
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from utils import charts

st.set_page_config(layout="centered")
figures = []

themed = go.Figure(go.Scatter(x=[1, 2, 3], y=[3, 1, 2], name="line"))
themed.add_trace(go.Heatmap(z=[[1, 2], [3, 4]]))
themed.update_layout(title="A scatter and a heatmap")
figures.append((themed, "streamlit"))

plain = go.Figure(go.Scatter(x=[1, 2, 3], y=[3, 1, 2]))
plain.update_layout(title="Plotly's own colours", height=300)
figures.append((plain, None))

figures.append((px.scatter(x=[1, 2, 3, 4], y=[1, 4, 9, 16], color=["a", "b", "a", "c"],
                           title="Plotly Express's colours"), "streamlit"))

panels = make_subplots(rows=1, cols=2, subplot_titles=["bars", "counts"])
panels.add_trace(go.Bar(x=["x", "y"], y=[2, 5], name="bars"), row=1, col=1)
panels.add_trace(go.Histogram(x=[1, 1, 2, 3, 3, 3], name="counts"), row=1, col=2)
panels.update_layout(height=320)
figures.append((panels, "streamlit"))

figures.append((go.Figure(go.Table(header={"values": ["name", "count"]},
                                   cells={"values": [["emma", "olivia"], [3, 5]]})), "streamlit"))

figures.append((px.imshow([[0, 1, 2], [2, 1, 0]], title="A continuous colour axis"),
                "streamlit"))

image = go.Figure(go.Heatmap(z=[[0, 1], [1, 0]], showscale=False))
image.update_layout(width=260, height=260, margin={"l": 0, "r": 0, "t": 0, "b": 0})
figures.append((image, None))

surface = go.Figure(go.Surface(z=[[1, 2, 3], [2, 1, 0], [3, 0, 1]], showscale=False))
surface.update_layout(title="A surface", height=350, scene={"zaxis_title": "loss"})
figures.append((surface, "streamlit"))

for i, (figure, theme) in enumerate(figures):
    with st.container(key=f"twin_st_{i}"):
        st.plotly_chart(figure, width="stretch", theme=theme)
    if not os.environ.get("GTF_TWINS_STREAMLIT_ONLY"):
        with st.container(key=f"twin_ours_{i}"):
            charts.plotly_chart(figure, theme=theme)

# A keyed chart whose figure a button changes: it is updated in place.
if not os.environ.get("GTF_TWINS_STREAMLIT_ONLY"):
    clicks = st.session_state.setdefault("clicks", 0)
    if st.button("Add a point", key="more"):
        clicks = st.session_state["clicks"] = clicks + 1
    with st.container(key="keyed"):
        charts.plotly_chart(go.Figure(go.Scatter(y=list(range(clicks + 2)))), key="keyed_chart")
    # Two charts without keys from one line: each keeps its place, and is updated in place too.
    for i in range(2):
        with st.container(key=f"keyless_{i}"):
            charts.plotly_chart(go.Figure(go.Bar(y=list(range(clicks + 2 + i)))))
    with st.expander("A chart inside"):
        charts.plotly_chart(go.Figure(go.Bar(x=["a", "b"], y=[1, 2])))
    # A 3D chart that asks for the wheel: it zooms instead of scrolling the page.
    with st.container(key="zoomable"):
        charts.plotly_chart(surface, config={"scrollZoom": True})
'''
N_FIGURES = 8
THEMED, PLAIN = 0, 1  # the figures drawn with Streamlit's theme and without it

# What plotly.js was given for a chart: its figure and the part of its config Streamlit sets.
CONFIG_KEYS = ["displaylogo", "modeBarButtonsToRemove", "showSendToCloud", "toImageButtonOptions"]
READ_JS = """(args) => {
  const [selector, keys] = args;
  const gd = document.querySelector(selector + ' .js-plotly-plot');
  if (!gd || !gd._fullLayout) return null;
  const layout = JSON.parse(JSON.stringify(gd.layout));
  const { template, title, width, height, ...rest } = layout;
  return { data: JSON.parse(JSON.stringify(gd.data)), template, title, layout: rest,
           height: gd._fullLayout.height, width: gd._fullLayout.width,
           config: Object.fromEntries(keys.map((k) => [k, gd._context[k]])) };
}"""


@contextmanager
def twins_page(tmp: Path, streamlit_only: bool = False, draw_all: bool = True) -> Iterator[Any]:
    """A Playwright page showing the twins app (served from `tmp` on 127.0.0.1, with the
    site's static/ and config), every chart drawn (unless not `draw_all`: then as loaded, once
    its first chart is drawn); the server is stopped on exit."""
    from playwright.sync_api import sync_playwright

    (tmp / "app.py").write_text(APP)
    (tmp / "static").symlink_to(ROOT / "static")
    (tmp / ".streamlit").mkdir()
    shutil.copy(ROOT / ".streamlit" / "config.toml", tmp / ".streamlit" / "config.toml")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if streamlit_only:
        env["GTF_TWINS_STREAMLIT_ONLY"] = "1"
    with serving("app.py", tmp, env) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1300, "height": 1000})
        page.goto(url)
        charts = N_FIGURES * (1 if streamlit_only else 2)
        page.locator(".st-key-twin_st_0 .main-svg").first.wait_for(timeout=60_000)
        for i in range(N_FIGURES if draw_all else 0):
            # Ours are drawn once near the screen: bring each into view.
            for side in ["st"] if streamlit_only else ["st", "ours"]:
                box = page.locator(f".st-key-twin_{side}_{i}")
                box.wait_for(timeout=60_000)
                box.scroll_into_view_if_needed()
                box.locator(".main-svg").first.wait_for(timeout=60_000)
        if draw_all:
            assert page.locator("[class*=st-key-twin_] .js-plotly-plot").count() == charts
        yield page
        browser.close()


def drawn(page, side: str, i: int) -> dict[str, Any]:
    """What plotly.js was given for figure `i` by Streamlit's element ("st") or ours ("ours")."""
    return page.evaluate(READ_JS, [f".st-key-twin_{side}_{i}", CONFIG_KEYS])


def _placeholder_colours(placeholders: Any, resolved: Any, found: dict[str, set[str]]) -> None:
    """Walk Streamlit's Python template and the one its front end gave plotly.js side by side:
    each placeholder colour (#0000NN) and what it became."""
    if isinstance(placeholders, dict) and isinstance(resolved, dict):
        for key, value in placeholders.items():
            if key in resolved:
                _placeholder_colours(value, resolved[key], found)
    elif isinstance(placeholders, list) and isinstance(resolved, list):
        for value, other in zip(placeholders, resolved):
            _placeholder_colours(value, other, found)
    elif isinstance(placeholders, str) and placeholders.startswith("#0000"):
        found.setdefault(placeholders, set()).add(resolved)


def theme_from_streamlit(page) -> dict[str, Any]:
    """static/gtf_chart_theme.js's content, read from Streamlit's element on the twins page."""
    import plotly.io as pio
    import streamlit  # noqa: F401  (registers its template)

    placeholder_template = pio.templates["streamlit"].to_plotly_json()
    theme: dict[str, Any] = {}
    for name, i in [("streamlit", THEMED), ("none", PLAIN)]:
        seen = drawn(page, "st", i)
        colours: dict[str, set[str]] = {}
        _placeholder_colours(placeholder_template, seen["template"], colours)
        # Streamlit swaps each placeholder for one colour wherever it is: a placeholder seen as two
        # would mean the template changed it somewhere after the swap, which a swap cannot copy.
        assert all(len(seen_as) == 1 for seen_as in colours.values()), colours
        theme[name] = {"colors": {k: v.pop() for k, v in sorted(colours.items())},
                       "template": seen["template"]}
    theme["config"] = drawn(page, "st", THEMED)["config"]
    return theme


def main() -> None:
    import tempfile

    if "--write" not in sys.argv:
        sys.exit(__doc__)
    with tempfile.TemporaryDirectory() as tmp, twins_page(Path(tmp), streamlit_only=True) as page:
        theme = theme_from_streamlit(page)
    from utils import charts

    out = ROOT / "static" / charts.THEME_MODULE
    out.write_text(charts.theme_module_text(theme))
    print(f"{out}: {len(theme['streamlit']['colors'])} colours per theme")


if __name__ == "__main__":
    main()
