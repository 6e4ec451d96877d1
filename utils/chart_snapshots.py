"""Pictures of the charts on a page's first screen, shown until plotly.js has drawn them.

    python -m utils.chart_snapshots --write   # static/snapshots/, from the kept first views

A chart on a page's first screen was the last thing a fresh browser drew: Streamlit draws our
chart's element a while after its place (0.9 s later on 4.1's sampling page, 2 cores), then
plotly.js (1.4 MB) is evaluated and the chart drawn; the 3D bunny of 5.1's mesh page, drawn on
the processor, took about 1 s more. Where a picture of the chart is at hand, its place shows it
from the start, as a background set by a style sent just before the chart (`picture_style`);
plotly.js draws the chart once the page is at rest (at once, when the learner reaches for it),
and the picture goes. So the page is complete as soon as its text is, and its charts become
interactive a moment later.

The pictures are of the charts kept for the first views (utils/first_view_charts.py) that a
section's first screen shows (utils/first_screen.py's estimate): the charts a fresh server's
first page draws, and a warm server's where its live chart is the same to the last bit (a
trained model's numbers can differ in their last bits from run to run: such a chart finds no
picture and is drawn as before). A picture is named by what it shows (`name_for`), so a chart
that changed finds no picture either, and the test (tests/test_chart_snapshots.py) says to take
them again. Each is a PNG as plotly.js exports
it, taken in Chromium from the chart as the site draws it at 1300 x 1000 (its text in a
fallback font: plotly.js's export leaves the page's web fonts out), and shown at the left of its
place, made smaller where the place is narrower (a wider place's chart, once drawn, fills it).
"""

from __future__ import annotations

import base64
import hashlib
import json
import sys
from functools import cache

from utils import charts, static_modules

FOLDER = "snapshots"  # in static/
DIRECTORY = static_modules.STATIC / FOLDER
VIEWPORT = {"width": 1300, "height": 1000}


def name_for(chart: charts.DrawnChart) -> str:
    """A picture's file name: a digest of everything that decides how the chart looks, the
    bundles that draw it and the theme's module (by their content's digest) and the size of the
    screen it was taken at included."""
    digest = hashlib.sha256(chart.figure.encode())
    digest.update(json.dumps([chart.height, chart.theme, chart.config,
                              static_modules.versioned_name(chart.module),
                              static_modules.versioned_name(charts.THEME_MODULE), VIEWPORT],
                             sort_keys=True).encode())
    return digest.hexdigest()[:20] + ".png"


@cache
def available() -> frozenset[str]:
    """The pictures there are (read once per process: they change only with a new version)."""
    return frozenset(p.name for p in DIRECTORY.glob("*.png")) if DIRECTORY.is_dir() \
        else frozenset()


# Marks the style that gives a chart's place its picture (benchmarks/cold_start.py finds them).
STYLE_MARK = "/* gtf-chart-picture */"


def picture_style(name: str, key: str) -> str:
    """A style giving the place of the chart with `key` its picture `name` as its background.
    (Streamlit sends a style-only st.html to a container of its own, not the page's: the
    elements after the chart keep their places whether it has a picture or not. The address is
    relative to the page's: every page of the site is at its top level, also under a path
    prefix. The name holds the content's digest: never a stale copy.)"""
    place = "." + static_modules.key_class(key)
    # (Until the chart's element is drawn, Streamlit shows a skeleton in its place: the picture
    # shows instead.)
    return (f'<style>{STYLE_MARK} {place} {{ background: url("app/static/{FOLDER}/{name}") '
            f'left top / contain no-repeat; }} {place} [data-testid="stSkeleton"] '
            f'{{ visibility: hidden; }}</style>')


def wanted() -> dict[str, tuple[str, charts.DrawnChart]]:
    """The pictures there should be: by name, the section ("<stem>/<key>") and the kept chart,
    for every directive whose kept charts a section's first screen shows (its first chart)."""
    from utils import first_screen, first_view_charts, registry

    found = {}
    for chapter in registry.CHAPTERS:
        for key, _ in chapter.sections:
            blocks = chapter.section_source(key).blocks
            tops = first_screen.estimated_tops(blocks)
            for index, drawn in first_view_charts.matching(chapter.stem, key, blocks).items():
                kept = first_view_charts.charts_of(drawn)
                if kept and first_screen.on_first_screen(tops[index]):
                    found[name_for(kept[0])] = (f"{chapter.stem}/{key}", kept[0])
    return found


# In the page: the element of the chart whose picture would be `name` (undefined if none yet);
# whether it is drawn; scrolled to; and its PNG, as plotly.js exports it, at its drawn size.
_ROOT_JS = """[...document.querySelectorAll('.gtf-chart')].find(
  (root) => root.gtfData && root.gtfData.snapshotName === name)"""
_DRAWN_JS = f"(name) => Boolean({_ROOT_JS}?.gtfDrawn)"
_SCROLL_JS = f"""(name) => {{
  const root = {_ROOT_JS};
  if (root) root.scrollIntoView();
  return Boolean(root);
}}"""
_TAKE_JS = f"""async (name) => {{
  const plot = {_ROOT_JS}.querySelector('.gtf-chart-plot');
  return await plot.parentElement.gtfPlotly.toImage(
    plot, {{format: 'png', width: plot.clientWidth, height: plot.clientHeight, scale: 1}});
}}"""


def write() -> None:
    """Take every wanted picture from the site in Chromium, each section on a freshly started
    server of its own (a first view: the kept charts), and remove those no longer wanted."""
    from playwright.sync_api import sync_playwright

    from tests.browser_harness import CHROMIUM, CHROMIUM_FLAGS, serving
    from utils.site_config import ROOT, section_path

    pictures = wanted()
    by_section: dict[str, list[str]] = {}
    for name, (section, _) in pictures.items():
        by_section.setdefault(section, []).append(name)
    DIRECTORY.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        for section, names in sorted(by_section.items()):
            with serving("streamlit_app.py", ROOT) as url:
                page = browser.new_context(viewport=VIEWPORT).new_page()
                page.goto(f"{url}/{section_path(*section.split('/'))}")
                for name in names:
                    page.wait_for_function(_SCROLL_JS, arg=name, timeout=60_000)
                    page.wait_for_function(_DRAWN_JS, arg=name, timeout=60_000)
                    data_url = page.evaluate(_TAKE_JS, name)
                    (DIRECTORY / name).write_bytes(base64.b64decode(data_url.split(",", 1)[1]))
                    print(f"{section}: static/snapshots/{name}", flush=True)
                page.context.close()
        browser.close()
    for stale in DIRECTORY.glob("*.png"):
        if stale.name not in pictures:
            stale.unlink()
            print(f"removed static/snapshots/{stale.name}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit(__doc__)
    write()
