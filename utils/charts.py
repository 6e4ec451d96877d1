"""The site's Plotly charts, drawn by our own element with only the plotly.js they use.

Streamlit's chart element bundles the whole of plotly.js: a 4.7 MB module that a fresh browser
downloads while the server runs the page, then spends 0.4-0.6 s evaluating before it can draw
the page's first chart (2 cores; benchmarks/cold_start.py). Our element imports plotly.js 4.1.1
(the version the Python plotly here writes for) built by frontend/chart/ with only the trace
types the site uses: static/gtf_plotly.js for 2D charts (TRACES: 1.4 MB), and for a figure with
a 3D trace static/gtf_plotly_3d.js, which adds TRACES_3D to the same plotly.js (0.6 MB more).
And it draws a chart only once it is near the screen: a page's first view draws what the
learner sees, then (once the page is at rest) what is near it, the rest as they scroll, in a
place kept for it (nothing moves when it is drawn).

A chart looks as Streamlit's element would draw it. Streamlit's Python template holds
placeholder colours that its front end swaps for the theme's, and its front end adds the
theme's fonts, margins and axis styles to the template: static/gtf_chart_theme.js holds the
result, read from Streamlit's own element in a browser (tests/chart_twins.py writes it, and a
browser test checks that the two elements give plotly.js the same figure). The server swaps the
colours as Streamlit's front end does; our element's JavaScript sets the template, the width and
the bold title. A figure with another trace type (parcoords) or another template is left to
Streamlit's element.
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import FrameType
from typing import Any, Literal

import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from utils import component_data, static_modules
from utils.site_config import ROOT

MODULE, MODULE_3D = "gtf_plotly.js", "gtf_plotly_3d.js"
NAME = "gtf_chart"  # the component's
# Streamlit's chart theme as its element resolves it (tests/chart_twins.py writes it): a module, so
# that the page imports it once for all its charts, and can preload it.
THEME_MODULE = "gtf_chart_theme.js"
# The trace types registered in frontend/chart/chart.js (scatter is plotly.js's core's), and
# those chart3d.js adds.
TRACES = frozenset({"scatter", "bar", "box", "contour", "heatmap", "histogram", "histogram2d",
                    "histogram2dcontour", "image", "pie", "table", "violin"})
TRACES_3D = frozenset({"mesh3d", "scatter3d", "surface"})
DEFAULT_HEIGHT_PX = 450  # Streamlit's for a figure without a height (plotly.js's default too)
# A chart is drawn once it comes this close to the screen (once the page is at rest: first the
# charts on the screen; utils/static_modules.py), so that it is there by the time a learner
# scrolling at reading pace reaches it.
DRAW_MARGIN_PX = static_modules.NEAR_SCREEN_PX
PLACEHOLDER = re.compile(r"#0000\d\d")  # Streamlit's template's colours, swapped by its front end
# Config lists Streamlit's element adds a figure's own to, rather than replacing them.
_CONFIG_LISTS = ("modeBarButtonsToRemove", "modeBarButtonsToAdd")

Theme = Literal["streamlit"] | None

_HTML = '<div class="gtf-chart"><div class="gtf-chart-plot"></div></div>'
_CSS = """
.gtf-chart { width: 100%; position: relative; }
.gtf-chart-plot { width: 100%; height: 100%; }
.gtf-chart:fullscreen { background: #fff; }
.gtf-chart-error { position: absolute; top: 0; left: 0; right: 0; margin: 0; padding: 0.5rem 0;
                   color: #a61e1e; font-size: 0.9rem; }
"""

_JS = static_modules.RESOLVE_JS + static_modules.NEAR_SCREEN_JS + """
const FULLSCREEN_ICON = { width: 600, height: 470, path:
  "M32 32C14.3 32 0 46.3 0 64v96c0 17.7 14.3 32 32 32s32-14.3 32-32V96h64c17.7 0 32-14.3 32-32s-14.3-32-32-32H32zM64 352c0-17.7-14.3-32-32-32s-32 14.3-32 32v96c0 17.7 14.3 32 32 32h96c17.7 0 32-14.3 32-32s-14.3-32-32-32H64V352zM320 32c-17.7 0-32 14.3-32 32s14.3 32 32 32h64v64c0 17.7 14.3 32 32 32s32-14.3 32-32V64c0-17.7-14.3-32-32-32H320zM448 352c0-17.7-14.3-32-32-32s-32 14.3-32 32v64H320c-17.7 0-32 14.3-32 32s14.3 32 32 32h96c17.7 0 32-14.3 32-32V352z" };

function chartHeight(root) {
  return document.fullscreenElement === root ? window.innerHeight : root.gtfData.height;
}

// One config object per chart while its config is the same: plotly.js compares configs, and a
// new one (a new fullscreen handler) would make it draw the chart anew instead of updating it.
function chartConfig(root, data) {
  const key = data.config;  // JSON text (utils/component_data.py)
  if (root.gtfConfigKey !== key) {
    root.gtfConfigKey = key;
    const toggle = () => (document.fullscreenElement === root ? document.exitFullscreen()
                                                              : root.requestFullscreen());
    const fullscreen = { name: "Fullscreen", title: "Fullscreen", icon: FULLSCREEN_ICON,
                         click: () => toggle().catch(() => {}) };  // refused: nothing happens
    const config = JSON.parse(key);
    root.gtfConfig = { ...config,
      modeBarButtonsToAdd: [fullscreen, ...(config.modeBarButtonsToAdd || [])] };
  }
  return root.gtfConfig;
}

// The figure as Streamlit's element hands it to plotly.js: its theme's template, as wide as its
// column, the title in bold with Streamlit's theme.
function themed(data, theme) {
  const figure = JSON.parse(data.figure);
  const layout = figure.layout || {};
  layout.template = theme[data.theme].template;
  delete layout.width;
  if (data.theme === "streamlit" && "title" in layout && layout.title != null) {
    const title = typeof layout.title === "object" ? layout.title : { text: layout.title };
    const text = typeof title.text === "string" ? title.text : "";
    layout.title = { ...title, text: "<b>" + text + "</b>" };
  }
  return { data: figure.data || [], layout, frames: figure.frames || [] };
}

function later(root, job) {
  root.gtfJob = (root.gtfJob || Promise.resolve()).then(job);
  return root.gtfJob;
}

// Draws the latest figure; draws queue up, so that an older figure never lands after a newer.
function draw(root) {
  later(root, async () => {
    const [Plotly, theme] = await Promise.all([
      import(gtfModuleUrl(root.gtfData)).then((module) => module.default),
      import(gtfModuleUrl({ ...root.gtfData, module: root.gtfData.themeModule }))
        .then((module) => module.default)]);
    const data = root.gtfData;  // the latest, once the modules are there
    if (root.gtfDrawn === data || root.gtfDisposed) return;
    root.gtfPlotly = Plotly;
    const plot = root.querySelector(".gtf-chart-plot");
    const figure = themed(data, theme);
    figure.layout.height = chartHeight(root);
    await Plotly.react(plot, { ...figure, config: chartConfig(root, data) });
    root.gtfDrawn = data;
    unpicture(root);  // (also one given since this draw began: a widget back at its default)
    const error = root.querySelector(".gtf-chart-error");
    if (error) error.remove();
  }).catch((err) => {
    if (root.gtfDisposed) return;
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

// A chart with a picture (utils/chart_snapshots.py) has it as its place's background until
// plotly.js has drawn the chart: then the picture goes (a chart's background may be clear).
function unpicture(root) {
  root.gtfPictured = false;
  const place = root.closest('[data-testid="stElementContainer"]');
  if (place) place.style.backgroundImage = "none";
}

// As whenNearScreen, once the page is at rest: a chart shown as its picture is drawn after the
// rest of the page.
function whenNearScreenAtRest(element, job) {
  let done = false, watch = null;
  pageAtRest().then(() => { if (!done) watch = whenNearScreen(element, job); });
  return { disconnect: () => { done = true; if (watch) watch.disconnect(); } };
}

function mount(root) {
  const start = () => {
    if (root.gtfInView) return;
    root.gtfInView = true;
    visible.disconnect();
    draw(root);
  };
  root.gtfStart = start;
  const visible = (root.gtfPictured ? whenNearScreenAtRest : whenNearScreen)(root, start);
  // A learner reaching for a chart still shown as its picture has it drawn at once.
  if (root.gtfPictured) root.addEventListener("pointerenter", start, { once: true });
  // Plotly follows the window's size, not its container's (the sidebar opening, fullscreen).
  const resized = new ResizeObserver(() => {
    if (!root.gtfDrawn || !root.isConnected || root.clientWidth === 0) return;  // hidden: a tab
    later(root, () => root.gtfDisposed ? undefined : root.gtfPlotly.relayout(
      root.querySelector(".gtf-chart-plot"), { height: chartHeight(root), width: root.clientWidth })
    ).catch(() => {});
  });
  resized.observe(root);
  root.addEventListener("fullscreenchange", () => {
    root.style.height = chartHeight(root) + "px";
  });
  // plotly.js's 3D camera takes every wheel event over its canvas (preventDefault, even with
  // scrollZoom off): a learner scrolling down the page would be stopped at the chart, zooming
  // it. Caught here, before it reaches the canvas, the wheel scrolls the page; in fullscreen,
  // where there is no page to scroll, it zooms. A figure that asks for scrollZoom keeps it.
  root.addEventListener("wheel", (event) => {
    if (document.fullscreenElement !== root && !root.gtfScrollZoom) {
      event.stopPropagation();
    }
  }, { capture: true });
  // Streamlit calls this when the element goes, and at once for a call that a newer one
  // superseded before it returned: only a chart no longer in the page is disposed of, after
  // whatever draw is under way (a 3D chart keeps a WebGL context and a render loop).
  root.gtfCleanup = () => setTimeout(() => {
    if (root.isConnected) return;
    root.gtfDisposed = true;
    visible.disconnect();
    resized.disconnect();
    later(root, () => {
      if (root.gtfPlotly) root.gtfPlotly.purge(root.querySelector(".gtf-chart-plot"));
    }).catch(() => {});
  }, 0);
}

export default function (component) {
  const { data, parentElement } = component;
  const root = parentElement.querySelector(".gtf-chart");
  if (!root) return undefined;
  root.gtfData = data;
  root.gtfScrollZoom = Boolean(JSON.parse(data.config).scrollZoom);  // (config: JSON text)
  root.style.height = chartHeight(root) + "px";  // its place, before plotly.js is even loaded
  // Pictured (its place's style shows the figure's picture) until drawn: a drawn chart's
  // place gives the picture up at once (a widget brought back to its default).
  if (data.snapshot && root.gtfDrawn) unpicture(root);
  else if (data.snapshot && !root.gtfInView) root.gtfPictured = true;
  if (!root.gtfCleanup) mount(root);
  else if (root.gtfInView) draw(root);
  else if (root.gtfPictured && !data.snapshot) root.gtfStart();  // a widget moved: drawn now
  return root.gtfCleanup;
}
"""

_component = st.components.v2.component(NAME, html=_HTML, css=_CSS, js=_JS,
                                        isolate_styles=False)


def shared_chunk() -> str | None:
    """The name of the module both bundles import (plotly.js's core and the 2D traces), None if
    static/ does not hold exactly one: its name holds its content's hash, so it is preloaded by
    that name (utils/preload.py)."""
    found = sorted(p.name for p in static_modules.STATIC.glob("gtf_plotly_shared.*.js"))
    return found[0] if len(found) == 1 else None


@cache
def resolved_theme() -> dict[str, Any]:
    """static/gtf_chart_theme.js's content: per theme ("streamlit", "none") the placeholder
    colours' values and the resolved template; "config", plotly.js's config."""
    text = (static_modules.STATIC / THEME_MODULE).read_text()
    return json.loads(text.split("export default ", 1)[1].rstrip().removesuffix(";"))


def theme_module_text(resolved: dict[str, Any]) -> str:
    """static/gtf_chart_theme.js for `resolved` (see `resolved_theme`)."""
    return ("// Streamlit's chart theme as its element resolves it, written by "
            "`python -m tests.chart_twins --write`.\n"
            f"export default {json.dumps(resolved, indent=1, sort_keys=True)};\n")


@cache
def _streamlit_template() -> dict[str, Any]:
    return pio.templates["streamlit"].to_plotly_json()


def _trace_types(figure: go.Figure) -> set[str]:
    return {trace.type for trace in figure.data} | {
        trace.type for frame in figure.frames or () for trace in frame.data or ()}


def module_for(figure: go.Figure) -> str:
    """The bundle that can draw `figure` (the smaller where both can)."""
    return MODULE if _trace_types(figure) <= TRACES else MODULE_3D


def chart_spec(figure: go.Figure, theme: Theme = "streamlit") -> str | None:
    """The figure's JSON as our element gets it: Streamlit's placeholder colours swapped for the
    theme's, wherever they are (Plotly Express writes the template's colours into the traces),
    as Streamlit's front end does (our element's JavaScript does the rest: the template, the
    width, the title). None if our element cannot draw it as Streamlit would: a trace type
    neither bundle has, or a template that is not Streamlit's own."""
    if theme not in ("streamlit", None):
        raise ValueError(f'theme must be "streamlit" or None, not {theme!r}')
    if not _trace_types(figure) <= TRACES | TRACES_3D:
        return None
    if figure.layout.template.to_plotly_json() != _streamlit_template():
        return None  # another template, or Streamlit's with changes: Streamlit merges its own in
    colours = resolved_theme()["streamlit" if theme == "streamlit" else "none"]["colors"]
    return PLACEHOLDER.sub(lambda match: colours.get(match[0], match[0]),
                           pio.to_json(figure, validate=False))


def plotly_config(config: dict[str, Any] | None) -> dict[str, Any]:
    """plotly.js's config as Streamlit's element sets it, with a figure's own: its lists are
    added to Streamlit's (the fullscreen button is added in JavaScript)."""
    merged = {**resolved_theme()["config"], **(config or {})}
    for name in _CONFIG_LISTS:
        if config and name in config and name in resolved_theme()["config"]:
            merged[name] = [*resolved_theme()["config"][name], *config[name]]
    return merged


def _call_site_key(caller: FrameType) -> str | None:
    """A key for a chart drawn without one: the file and line that draws it, numbered when that
    line draws several in a run (a section's {figure} directives all come from one line)."""
    ctx = get_script_run_ctx()
    used = getattr(getattr(ctx, "shared", None), "widget_user_keys_this_run", None)
    if used is None:  # not in a script run, or a Streamlit that keeps its keys elsewhere
        return None
    where = Path(caller.f_code.co_filename)
    where = where.relative_to(ROOT) if where.is_relative_to(ROOT) else Path(where.name)
    base = key = f"gtf_chart:{where.as_posix()}:{caller.f_lineno}"
    n = 1
    while key in used:
        n += 1
        key = f"{base}#{n}"
    return key


def plotly_chart(figure: go.Figure | DrawnChart, *, width: Literal["stretch"] = "stretch",
                 theme: Theme = "streamlit", key: str | None = None,
                 config: dict[str, Any] | None = None) -> None:
    """Draw `figure` as st.plotly_chart(figure, width="stretch", theme=theme, key=key,
    config=config) would, with our element where it can (see the module's docstring). A
    DrawnChart, one drawn before (its own theme and config), is drawn again as it was.

    A new figure from the same place updates the chart in place, as a keyed one does: without a
    `key`, the place that draws it is its key. (Streamlit's element, keyless, makes a new chart
    for every new figure: for a slider's every step, a blank frame and the page below it moving.)
    """
    if isinstance(figure, DrawnChart):
        draw(figure, key=key or _call_site_key(sys._getframe(1)))
        return
    spec = chart_spec(figure, theme) if width == "stretch" else None
    if spec is None:
        st.plotly_chart(figure, width=width, theme=theme, key=key, config=config)
        return
    drawn = DrawnChart(spec, figure.layout.height or DEFAULT_HEIGHT_PX,
                       "streamlit" if theme == "streamlit" else "none", plotly_config(config),
                       module_for(figure))
    for collected in getattr(_collecting, "lists", ()):
        collected.append(drawn)
    draw(drawn, key=key or _call_site_key(sys._getframe(1)))


@dataclass(frozen=True)
class DrawnChart:
    """What our element draws a chart from: the figure as JSON (`chart_spec`), its height, the
    theme's name, plotly.js's config and the bundle that can draw it. JSON-ready (`vars()`), so
    a chart can be kept in a file and drawn again without the code that made it
    (utils/first_view_charts.py)."""

    figure: str
    height: int
    theme: str
    config: dict[str, Any]
    module: str


def draw(chart: DrawnChart, key: str | None) -> None:
    """Our element, drawing `chart`."""
    from utils import chart_snapshots  # (it imports this module)

    # A chart on a first screen shows its picture until it is drawn, if it has one (see
    # utils/chart_snapshots.py): a style for its place, sent first.
    snapshot = chart_snapshots.name_for(chart)
    pictured = key is not None and snapshot in chart_snapshots.available()
    if pictured:
        st.html(chart_snapshots.picture_style(snapshot, key))
    # The element's height, given to Streamlit too: it keeps the place before our code runs.
    data = component_data.plain({
        "figure": chart.figure, "theme": chart.theme, "height": chart.height,
        "config": component_data.as_json(chart.config),
        "themeModule": static_modules.versioned_name(THEME_MODULE),
        "snapshotName": snapshot, "snapshot": pictured,
        **static_modules.address_data(chart.module)})
    _component(key=key, height=chart.height, data=data)


# Per thread (a session's script runs in its own), the lists `collecting()` fills.
_collecting = threading.local()


@contextlib.contextmanager
def collecting() -> Iterator[list[DrawnChart]]:
    """Every chart our element draws from a figure inside, in this thread, in order (not one
    drawn again from a DrawnChart, nor Streamlit's own element's). (utils/first_view_charts.py
    adds a widget's kept texts to the same list while it records.)"""
    collected: list[DrawnChart] = []
    if not hasattr(_collecting, "lists"):
        _collecting.lists = []
    _collecting.lists.append(collected)
    try:
        yield collected
    finally:
        innermost = _collecting.lists.pop()
        assert innermost is collected, "collecting() blocks closed out of order"
