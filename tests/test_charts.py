"""Our chart element (utils/charts.py): its plotly.js bundle, which figures it takes, and, in
Chromium, that it gives plotly.js what Streamlit's element gives it for the same figure."""

from __future__ import annotations

import hashlib
import json
import re

import plotly.express as px
import plotly.graph_objects as go
import pytest
from plotly.offline import get_plotlyjs_version

from tests import chart_twins
from tests.browser_harness import needs_chromium
from utils import charts, preload
from utils.site_config import ROOT

SOURCES = ROOT / "frontend" / "chart"
STATIC = ROOT / "static"


def test_the_bundles_are_built_from_the_committed_sources():
    digest = hashlib.sha256()
    for name in ("chart.js", "chart3d.js", "build.mjs", "package-lock.json"):
        digest.update((SOURCES / name).read_bytes())
    shared = charts.shared_chunk()
    for module in (charts.MODULE, charts.MODULE_3D):
        text = (STATIC / module).read_text()
        assert f"sources sha256 {digest.hexdigest()}" in text.splitlines()[0], (
            f"static/{module} is older than frontend/chart/: run `npm ci && node build.mjs` "
            "there and commit the bundles")
        # ES modules exporting plotly.js's API, both importing the one shared chunk.
        assert re.search(r"export\{\w+ as default\}", text) and f'from"./{shared}"' in text


def test_the_bundles_are_the_plotly_js_that_python_plotly_writes_for():
    lock = json.loads((SOURCES / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/plotly.js"]["version"] == get_plotlyjs_version()


def test_the_bundles_register_the_traces_the_element_takes():
    def registered(source: str) -> set[str]:
        return set(re.findall(r'from "plotly\.js/lib/(\w+)"', (SOURCES / source).read_text()))

    assert registered("chart.js") - {"core"} | {"scatter"} == charts.TRACES
    assert registered("chart3d.js") == charts.TRACES_3D
    assert charts.module_for(go.Figure(go.Heatmap(z=[[1]]))) == charts.MODULE
    assert charts.module_for(go.Figure(go.Surface(z=[[1, 2], [3, 4]]))) == charts.MODULE_3D


def test_every_bundled_package_has_its_licence_beside_the_bundles():
    notices = (STATIC / "gtf_plotly.LICENSES.txt").read_text()
    lock = json.loads((SOURCES / "package-lock.json").read_text())
    for name in ["plotly.js", "@plotly/d3", "buffer"]:
        assert f"{name} {lock['packages'][f'node_modules/{name}']['version']} (" in notices
    assert "esbuild" not in notices  # a build tool, not in the bundle


def _drawn_data(figure: go.Figure) -> dict:
    data = {}
    original = charts._component
    try:
        charts._component = lambda **kwargs: data.update(kwargs["data"])
        charts.plotly_chart(figure)
    finally:
        charts._component = original
    return data


def test_the_page_preloads_the_chunk_the_charts_import():
    data = _drawn_data(go.Figure(go.Scatter(x=[1], y=[2])))
    digest = hashlib.sha256((STATIC / charts.MODULE).read_bytes()).hexdigest()[:12]
    assert data["module"] == f"gtf_plotly.js?v={digest}"  # a new bundle, a new address
    # The entry module imports the shared chunk from beside itself: the preload asks for the
    # chunk by that address (the chunk's name changes with its content).
    assert preload.module_file(preload.CHART) == data["moduleFromEntry"] + charts.shared_chunk()
    theme_digest = hashlib.sha256((STATIC / charts.THEME_MODULE).read_bytes()).hexdigest()[:12]
    assert data["themeModule"] == f"gtf_chart_theme.js?v={theme_digest}"
    assert preload.module_file(preload.CHART_THEME) == data["moduleFromEntry"] + data["themeModule"]


def test_a_figure_gets_the_themes_colours_wherever_they_are():
    figure = px.scatter(x=[1, 2], y=[3, 4], color=["a", "b"], title="Two points")
    spec = json.loads(charts.chart_spec(figure))
    colours = charts.resolved_theme()["streamlit"]["colors"]
    assert not charts.PLACEHOLDER.search(json.dumps(spec))
    # Plotly Express writes the template's colours into the traces themselves.
    assert spec["data"][0]["marker"]["color"] == colours["#000001"]
    assert spec["layout"]["template"]["layout"]["colorway"][:2] == [colours["#000001"],
                                                                   colours["#000002"]]
    plain = json.loads(charts.chart_spec(figure, theme=None))
    assert plain["data"][0]["marker"]["color"] == "#636efa"  # plotly.js's own first colour


def test_the_theme_module_is_what_the_twins_script_writes():
    """`python -m tests.chart_twins --write` writes it with charts.theme_module_text; the site
    reads it back with charts.resolved_theme."""
    assert charts.theme_module_text(charts.resolved_theme()) == \
        (STATIC / charts.THEME_MODULE).read_text()


def test_the_theme_is_streamlits_or_none():
    with pytest.raises(ValueError, match="theme"):
        charts.chart_spec(go.Figure(), theme="dark")


def test_a_figures_config_adds_to_streamlits():
    config = charts.plotly_config({"modeBarButtonsToRemove": ["zoom2d"], "staticPlot": True})
    assert config["modeBarButtonsToRemove"] == ["lasso2d", "select2d", "sendChartToCloud",
                                                "zoom2d"]
    assert config["staticPlot"] is True and config["displaylogo"] is False


def _changed_template() -> go.Figure:
    figure = go.Figure(go.Scatter(x=[1], y=[2]))
    figure.layout.template.layout.xaxis.showline = True
    return figure


@pytest.mark.parametrize("figure", [
    go.Figure(go.Parcoords(dimensions=[{"values": [1, 2]}])),  # in neither bundle
    go.Figure(go.Scatter(x=[1], y=[2]), layout={"template": "plotly_dark"}),  # not Streamlit's
    go.Figure(go.Scatter(x=[1], y=[2]), layout={"template": "streamlit+presentation"}),
    _changed_template(),  # Streamlit's front end would merge its theme into it
    go.Figure(go.Scatter(x=[1], y=[2]), frames=[go.Frame(data=[go.Parcoords()])]),
], ids=["parcoords", "other template", "combined template", "changed template",
        "parcoords in a frame"])
def test_what_the_element_cannot_draw_as_streamlit_would_is_left_to_streamlit(figure, monkeypatch):
    assert charts.chart_spec(figure) is None
    drawn = []
    monkeypatch.setattr(charts.st, "plotly_chart", lambda *a, **k: drawn.append(k))
    monkeypatch.setattr(charts, "_component", lambda **k: pytest.fail("our element drew it"))
    charts.plotly_chart(figure, theme=None, key="k")
    assert drawn == [{"width": "stretch", "theme": None, "key": "k", "config": None}]


def test_a_chart_reserves_its_height():
    data = _drawn_data(go.Figure(go.Bar(x=[1], y=[2]), layout={"height": 280, "width": 300}))
    assert data["height"] == 280
    assert _drawn_data(go.Figure(go.Bar(x=[1], y=[2])))["height"] == charts.DEFAULT_HEIGHT_PX


@needs_chromium
def test_our_element_gives_plotly_js_what_streamlits_gives_it(tmp_path):
    """Streamlit's element and ours, side by side, the same figures: the same traces, layout,
    template, title, size and config. When Streamlit's theme changes, `python -m
    tests.chart_twins --write` brings static/gtf_chart_theme.js up to date."""
    with chart_twins.twins_page(tmp_path) as page:
        for i in range(chart_twins.N_FIGURES):
            theirs, ours = chart_twins.drawn(page, "st", i), chart_twins.drawn(page, "ours", i)
            assert ours["data"] == theirs["data"], i
            assert ours["template"] == theirs["template"], i
            assert ours["layout"] == theirs["layout"], i  # all but the title and the size
            # Streamlit bolds a title once per draw of its element: <b><b>…</b></b> looks alike.
            bold = re.compile(r"</?b>")
            assert (bold.sub("", (ours["title"] or {}).get("text", ""))
                    == bold.sub("", (theirs["title"] or {}).get("text", ""))), i
            assert ours["height"] == theirs["height"], i
            assert abs(ours["width"] - theirs["width"]) <= 1, i
            assert ours["config"] == theirs["config"], i


@needs_chromium
def test_a_chart_is_drawn_near_the_screen_in_its_place_updated_in_place_and_when_opened(tmp_path):
    with chart_twins.twins_page(tmp_path, draw_all=False) as page:
        page.locator(".st-key-twin_ours_0 .main-svg").first.wait_for(timeout=30_000)  # on screen
        ours = page.locator("[class*=st-key-twin_ours_] .gtf-chart")
        # Within the margin below the screen (1000 px high): drawn once the page is at rest (its
        # first screen drawn), before the learner gets there.
        for _ in range(100):
            page.wait_for_timeout(100)
            tops = ours.evaluate_all("(charts) => charts.map((e) => e.getBoundingClientRect().top)")
            drawn = ours.evaluate_all(
                "(charts) => charts.map((e) => !!e.querySelector('.main-svg'))")
            near = [i for i, top in enumerate(tops)
                    if 1000 < top < 1000 + charts.DRAW_MARGIN_PX - 100]
            if near and all(drawn[i] for i in near):
                break
        assert near and all(drawn[i] for i in near), (tops, drawn)
        page.wait_for_timeout(1000)
        drawn = ours.evaluate_all("(charts) => charts.map((e) => !!e.querySelector('.main-svg'))")
        # Far below: not drawn yet, its place kept at the figure's height.
        last = ours.nth(len(tops) - 1)
        assert tops[-1] > 1000 + charts.DRAW_MARGIN_PX and not drawn[-1], (tops, drawn)
        assert last.bounding_box()["height"] == 350
        # Where it is on the page: from the top of the page's content (which scrolls).
        where = ("(e) => e.getBoundingClientRect().top - document.querySelector("
                 "'[data-testid=stMainBlockContainer]').getBoundingClientRect().top")
        top = last.evaluate(where)
        last.scroll_into_view_if_needed()
        last.locator(".main-svg").first.wait_for(timeout=30_000)
        # Drawn where its place was, as tall: nothing moved.
        assert last.evaluate(where) == top and last.bounding_box()["height"] == 350

        # A chart given a new figure is updated, not drawn anew (plotly.js keeps its id): with a
        # key, and without one (its place is its key), also two drawn from one line.
        plots = [page.locator(f".st-key-{name} .gtf-chart-plot")
                 for name in ["keyed", "keyless_0", "keyless_1"]]
        plots[-1].scroll_into_view_if_needed()
        points = "(e) => [e._fullLayout._uid, e.data[0].y.length]"
        before = []
        for plot in plots:
            plot.locator(".main-svg").first.wait_for(timeout=30_000)
            before.append(plot.evaluate(points))
        assert [n for _, n in before] == [2, 2, 3]
        page.get_by_role("button", name="Add a point").click()
        page.wait_for_function("() => document.querySelector('.st-key-keyless_1 .gtf-chart-plot')"
                               ".data[0].y.length > 3", timeout=30_000)
        assert [plot.evaluate(points) for plot in plots] == [[uid, n + 1] for uid, n in before]

        # A chart in a closed expander is drawn when it is opened.
        inside = page.get_by_test_id("stExpander").locator(".gtf-chart")
        assert inside.locator(".main-svg").count() == 0
        page.get_by_text("A chart inside").click()
        inside.locator(".main-svg").first.wait_for(timeout=30_000)
        assert inside.bounding_box()["width"] > 500  # as wide as its column, once shown
        assert page.locator(".gtf-chart-error").count() == 0


@needs_chromium
def test_a_3d_chart_that_asks_for_scroll_zoom_keeps_the_wheel(tmp_path):
    # (The site's 3D charts leave the wheel to the page: tests/test_browser.py.)
    with chart_twins.twins_page(tmp_path) as page:
        chart = page.locator(".st-key-zoomable .gtf-chart")
        chart.scroll_into_view_if_needed()
        canvas = chart.locator(".gl-container canvas").first
        canvas.wait_for(timeout=60_000)
        camera_js = "(e) => JSON.stringify(e._fullLayout.scene._scene.getCamera())"
        plot = chart.locator(".js-plotly-plot")
        camera = plot.evaluate(camera_js)
        box = canvas.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.wheel(0, 300)
        page.wait_for_function(f"() => ({camera_js})(document.querySelector("
                               f"'.st-key-zoomable .js-plotly-plot')) !== {camera!r}",
                               timeout=10_000)


def test_pages_draw_their_charts_through_our_element():
    """A page calling st.plotly_chart itself would load Streamlit's 4.7 MB plotly.js again."""
    callers = [str(path.relative_to(ROOT)) for folder in ("pages", "utils")
               for path in (ROOT / folder).rglob("*.py")
               if "st.plotly_chart(" in path.read_text() and path.name != "charts.py"]
    assert not callers, f"use utils.charts.plotly_chart in {callers}"
