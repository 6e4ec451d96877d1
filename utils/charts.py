"""The site's Plotly charts, drawn by our own element with a plotly.js that holds only what they use.

Streamlit's chart element bundles the whole of plotly.js: a 4.7 MB module that a fresh browser
downloads while the server runs the page, then spends 0.4-0.6 s evaluating before it can draw
the page's first chart (2 cores; benchmarks/cold_start.py). Our element imports plotly.js 4.1.1
(the version the Python plotly here writes for) built by frontend/chart/ with only the trace
types the site uses: static/gtf_plotly.js for 2D charts (TRACES: 1.4 MB), and for a figure with
a 3D trace static/gtf_plotly_3d.js, which adds TRACES_3D to the same plotly.js (0.6 MB more).
And it draws a chart only once it is near the screen: a page's first view draws what the
learner sees, the rest as they scroll, in a place kept for it (nothing moves when it is drawn).

A chart looks as Streamlit's element would draw it. Streamlit's Python template holds
placeholder colours that its front end swaps for the theme's, and its front end adds the
theme's fonts, margins and axis styles to the template: utils/chart_theme.json holds the result,
read from Streamlit's own element in a browser (tests/chart_twins.py writes it, and a browser
test checks the two elements still draw a figure alike). A figure with another trace type
(parcoords) or another template is left to Streamlit's element.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any, Literal

import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

from utils import static_modules

MODULE, MODULE_3D = "gtf_plotly.js", "gtf_plotly_3d.js"
NAME = "gtf_chart"  # the component's
THEME_FILE = Path(__file__).with_name("chart_theme.json")
# The trace types registered in frontend/chart/chart.js (scatter is plotly.js's core's), and
# those chart3d.js adds.
TRACES = frozenset({"scatter", "bar", "box", "contour", "heatmap", "histogram", "histogram2d",
                    "histogram2dcontour", "image", "pie", "table", "violin"})
TRACES_3D = frozenset({"mesh3d", "scatter3d", "surface"})
DEFAULT_HEIGHT_PX = 450  # Streamlit's for a figure without a height (plotly.js's default too)
# A chart is drawn once it comes this close to the screen, so that it is there by the time a
# learner scrolling at reading pace reaches it.
DRAW_MARGIN_PX = 800
PLACEHOLDER_TEMPLATE_MARK = "#000001"  # the first colour of Streamlit's template's colorway

Theme = Literal["streamlit"] | None

_HTML = '<div class="gtf-chart"><div class="gtf-chart-plot"></div></div>'
_CSS = """
.gtf-chart { width: 100%; position: relative; }
.gtf-chart-plot { width: 100%; height: 100%; }
.gtf-chart:fullscreen { background: #fff; }
.gtf-chart-error { color: #a61e1e; font-size: 0.9rem; padding: 0.5rem 0; }
"""

_JS = static_modules.RESOLVE_JS + """
const FULLSCREEN_ICON = { width: 600, height: 470, path:
  "M32 32C14.3 32 0 46.3 0 64v96c0 17.7 14.3 32 32 32s32-14.3 32-32V96h64c17.7 0 32-14.3 32-32s-14.3-32-32-32H32zM64 352c0-17.7-14.3-32-32-32s-32 14.3-32 32v96c0 17.7 14.3 32 32 32h96c17.7 0 32-14.3 32-32s-14.3-32-32-32H64V352zM320 32c-17.7 0-32 14.3-32 32s14.3 32 32 32h64v64c0 17.7 14.3 32 32 32s32-14.3 32-32V64c0-17.7-14.3-32-32-32H320zM448 352c0-17.7-14.3-32-32-32s-32 14.3-32 32v64H320c-17.7 0-32 14.3-32 32s14.3 32 32 32h96c17.7 0 32-14.3 32-32V352z" };

function chartHeight(root) {
  return document.fullscreenElement === root ? window.innerHeight : root.gtfData.height;
}

// Draws the latest figure; draws queue up, so that an older figure never lands after a newer.
function draw(root) {
  root.gtfJob = (root.gtfJob || Promise.resolve()).then(async () => {
    const data = root.gtfData;
    if (root.gtfDrawn === data || !root.isConnected) return;
    const Plotly = (await import(gtfModuleUrl(data))).default;
    if (!root.isConnected) return;
    const plot = root.querySelector(".gtf-chart-plot");
    const config = { ...data.config, modeBarButtonsToAdd: [{
      name: "Fullscreen", title: "Fullscreen", icon: FULLSCREEN_ICON,
      click: () => (document.fullscreenElement === root ? document.exitFullscreen()
                                                        : root.requestFullscreen()),
    }] };
    const figure = data.figure;
    await Plotly.react(plot, { data: figure.data,
                               layout: { ...figure.layout, height: chartHeight(root) },
                               frames: figure.frames || [], config });
    root.gtfPlotly = Plotly;
    root.gtfDrawn = data;
    const error = root.querySelector(".gtf-chart-error");
    if (error) error.remove();
  }).catch((err) => {
    let note = root.querySelector(".gtf-chart-error");
    if (!note) {
      note = document.createElement("p");
      note.className = "gtf-chart-error";
      root.prepend(note);
    }
    note.textContent = "This chart could not be drawn (" + String((err && err.message) || err) +
      "). Reloading the page may bring it back.";
  });
}

// The box the page scrolls in (Streamlit's main area scrolls, not the window). Watched from the
// viewport, a chart below it would be clipped by it, whatever the margin: watched from this box,
// the margin counts.
function scrollingBox(element) {
  for (let box = element.parentElement; box; box = box.parentElement) {
    if (/(auto|scroll|overlay)/.test(getComputedStyle(box).overflowY)) return box;
  }
  return null;
}

function mount(root) {
  const visible = new IntersectionObserver((entries) => {
    if (!entries.some((entry) => entry.isIntersecting)) return;
    visible.disconnect();
    root.gtfInView = true;
    draw(root);
  }, { root: scrollingBox(root), rootMargin: root.gtfData.margin + "px 0px" });
  visible.observe(root);
  // Plotly follows the window's size, not its container's (the sidebar opening, fullscreen).
  const resized = new ResizeObserver(() => {
    if (root.gtfDrawn && root.gtfPlotly)
      root.gtfPlotly.relayout(root.querySelector(".gtf-chart-plot"),
                              { height: chartHeight(root), width: root.clientWidth });
  });
  resized.observe(root);
  const fullscreen = () => { root.style.height = chartHeight(root) + "px"; };
  root.addEventListener("fullscreenchange", fullscreen);
  // Streamlit calls this when newer data replaces a call's (the element stays) as well as when
  // the element goes: only the latter disposes of the chart.
  root.gtfCleanup = () => setTimeout(() => {
    if (root.isConnected) return;
    visible.disconnect();
    resized.disconnect();
    if (root.gtfPlotly) root.gtfPlotly.purge(root.querySelector(".gtf-chart-plot"));
  }, 0);
}

export default function (component) {
  const { data, parentElement } = component;
  const root = parentElement.querySelector(".gtf-chart");
  if (!root) return undefined;
  root.gtfData = data;
  root.style.height = chartHeight(root) + "px";  // its place, before plotly.js is even loaded
  if (!root.gtfCleanup) mount(root);
  else if (root.gtfInView) draw(root);
  return root.gtfCleanup;
}
"""

_component = st.components.v2.component(NAME, html=_HTML, css=_CSS, js=_JS,
                                        isolate_styles=False)


def shared_chunk() -> str:
    """The name of the module both bundles import (plotly.js's core and the 2D traces): its
    name holds its content's hash, so it is preloaded by that name (utils/preload.py)."""
    found = sorted(p.name for p in static_modules.STATIC.glob("gtf_plotly_shared.*.js"))
    if len(found) != 1:
        raise FileNotFoundError(f"static/ holds {len(found)} gtf_plotly_shared.*.js, not one: "
                                "run `node build.mjs` in frontend/chart/")
    return found[0]


@cache
def _theme() -> dict[str, Any]:
    return json.loads(THEME_FILE.read_text())


def streamlit_config() -> dict[str, Any]:
    """plotly.js's config as Streamlit's element sets it (its fullscreen button is added in JS)."""
    return _theme()["config"]


def _trace_types(spec: dict[str, Any]) -> set[str]:
    traces = [*spec.get("data", []),
              *(trace for frame in spec.get("frames", []) for trace in frame.get("data", []))]
    return {trace.get("type", "scatter") for trace in traces}


def module_for(spec: dict[str, Any]) -> str:
    """The bundle that can draw `spec` (the smaller where both can)."""
    return MODULE if _trace_types(spec) <= TRACES else MODULE_3D


def chart_spec(figure: go.Figure, theme: Theme = "streamlit") -> dict[str, Any] | None:
    """The figure as our element draws it: Streamlit's placeholder colours swapped for the
    theme's, Streamlit's resolved template, a title in bold as Streamlit's theme sets it. None
    if our element cannot draw it as Streamlit would (see the module's docstring)."""
    text = pio.to_json(figure, validate=False)
    spec = json.loads(text)
    layout = spec.setdefault("layout", {})
    template = layout.get("template")
    colorway = ((template or {}).get("layout") or {}).get("colorway") or [None]
    if colorway[0] != PLACEHOLDER_TEMPLATE_MARK:
        return None
    if not _trace_types(spec) <= TRACES | TRACES_3D:
        return None
    # As Streamlit's front end: every placeholder, wherever it is (Plotly Express writes the
    # template's colours into the traces).
    resolved = _theme()["streamlit" if theme == "streamlit" else "none"]
    for placeholder, colour in resolved["colors"].items():
        text = text.replace(placeholder, colour)
    spec = json.loads(text)
    layout = spec.setdefault("layout", {})
    layout["template"] = resolved["template"]
    layout.pop("width", None)  # Streamlit's width="stretch" draws every figure as wide as its column
    if theme == "streamlit" and "title" in layout and layout["title"] is not None:
        title = layout["title"] if isinstance(layout["title"], dict) else {"text": layout["title"]}
        text_ = title.get("text")
        layout["title"] = {**title, "text": f"<b>{text_ if isinstance(text_, str) else ''}</b>"}
    return spec


def plotly_chart(figure: go.Figure, *, width: Literal["stretch"] = "stretch",
                 theme: Theme = "streamlit", key: str | None = None,
                 config: dict[str, Any] | None = None) -> None:
    """Draw `figure` as st.plotly_chart(figure, width="stretch", theme=theme, key=key,
    config=config) would, with our element where it can (see the module's docstring). With a
    `key`, a new figure updates the chart in place."""
    spec = chart_spec(figure, theme) if width == "stretch" else None
    if spec is None:
        st.plotly_chart(figure, width=width, theme=theme, key=key, config=config)
        return
    height = spec["layout"].get("height") or DEFAULT_HEIGHT_PX
    _component(key=key, data={"figure": spec, "height": height,
                              "config": {**streamlit_config(), **(config or {})},
                              "margin": DRAW_MARGIN_PX,
                              **static_modules.address_data(module_for(spec))})
