"""Draw a section's page from its literate source (utils/literate.py).

The header (title, where to work, the answers panel), then each block in order: prose through
st.markdown, an exercise through the exercise block, a figure from its expression, a widget from
`pages/<chapter>/widgets.py`, a question with its revealable answer. Where the chapter's modules
are not imported yet, figures and widgets are drawn last, each in a place kept for it, which
shows what was kept of its first view meanwhile; a chapter whose first view needs no torch
draws them from what was kept, without waiting (see render_section).
"""

from __future__ import annotations

import sys
from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from utils import charts, first_screen, first_view_charts, literate, registry, sources, widgets
from utils.code_block import code_block
from utils.preload import CHART, CHART_THEME, EDITOR, preload

# What each directive's output may need of the front end's lazily loaded code (a widget may draw
# charts, an exercise has an editor, its toggles and its reset button). Streamlit's own chart
# module (4.7 MB) is left to load when a rare chart needs it (utils/charts.py); code is
# highlighted on the server (utils/code_block.py). Streamlit's modules are named as its build
# names their files (utils/preload.py; tests/test_first_screen.py checks each is found).
_FRONT_END_MODULES = {"figure": [CHART, CHART_THEME], "widget": [CHART, CHART_THEME],
                      "exercise": [EDITOR, "Checkbox", "Button"]}
# Prose with math in it ($...$): Streamlit's math typesetting.
MATH_MODULES = ["rehype-katex"]
# The header's answers panel (widgets.answers_panel), on every section page, is filled once the
# learner opens it: its modules are asked for once the page is at rest, with what is below the
# first screen, so that it opens without waiting for them.
HEADER_MODULES = ["DownloadButton", "FileUploader"]


def figure_namespace(stem: str) -> dict[str, Any]:
    """What a {figure} or {widget} body sees; the notebook's setup cell imports the same names."""
    figures = registry.chapter_module(stem, "figures")
    return {"figures": figures} if figures else {}


def _front_end_modules(blocks: tuple[literate.Block, ...]) -> tuple[list[str], list[str]]:
    """The front-end modules the section's blocks need: (those on the learner's first screen
    need, to fetch at once; those only blocks further down need, to fetch once it is drawn)."""
    now: set[str] = set()
    later: set[str] = set()
    for top, block in zip(first_screen.estimated_tops(blocks), blocks):
        if isinstance(block, literate.Directive):
            modules = _FRONT_END_MODULES.get(block.name, [])
        else:
            modules = MATH_MODULES if any(
                language is None and "$" in text for text, language in block.pieces()) else []
        (now if first_screen.on_first_screen(top) else later).update(modules)
    return sorted(now), sorted(later - now)


def preload_section(stem: str, key: str) -> None:
    """Ask the browser for the front-end modules the section will draw with (utils/preload.py).
    Called before the session's first run waits for the browser store's answer
    (streamlit_app.py): the browser, idle meanwhile, has them by the time the page comes."""
    now, later = _front_end_modules(registry.chapter(stem).section_source(key).blocks)
    preload(now, later=later + [name for name in HEADER_MODULES if name not in now])


# Directives drawn from the chapter's own modules (utils/figures/<chapter>.py, the chapter's
# widgets), and which module each needs.
_FROM_CHAPTER_MODULES = {"figure": "figures", "widget": "widgets"}
# A waiting place's height: a Plotly figure's default, so that the text below moves little.
PLACEHOLDER_HEIGHT_PX = 450
# Shown only while torch is not imported: a server that started seconds ago (its warm-up imports
# torch 3 s after the first page, whatever the app's memory). (Not every chapter's modules
# import torch: micrograd's do not.)
LOADING_NOTE = ("Loading: the server has just started and is importing this chapter's code, "
                "once. What goes here appears in a few seconds.")
# Under a widget's charts drawn ahead of time (utils/first_view_charts.py), same moment.
CONTROLS_NOTE = ("Drawn ahead of time: this widget's controls appear in a few seconds, once the "
                 "server, which has just started, has imported this chapter's code.")


def render_section(stem: str, key: str) -> None:
    """Draw the section, block by block. Where the chapter's modules are not imported yet (a
    freshly started server, or a small app's first page of the chapter: importing them, PyTorch
    first, takes seconds), its figures and widgets are drawn last instead, each into a place kept
    for it, so that the text and the exercises reach the learner first. Meanwhile a place shows
    what was kept of its first view (utils/first_view_charts.py): a figure's chart, final for
    this run, or a widget's first chart until the live widget takes its place.

    A chapter whose first view needs no torch (chapter.toml's first_view_without_torch: its
    widgets import none and draw their default state from kept charts) draws its figures and
    widgets from kept charts instead, unless one of them has none: after the text on the page's
    first run in the session, in order on later runs."""
    chapter = registry.chapter(stem)
    source = chapter.section_source(key)
    widgets.chapter_header(stem, key)
    directives = [(index, block) for index, block in enumerate(source.blocks)
                  if isinstance(block, literate.Directive) and block.name in _FROM_CHAPTER_MODULES]
    if chapter.first_view_without_torch:
        # Its widgets import no torch; its figures module is imported when a widget computes:
        # until then, its kept charts are what can be drawn quickly.
        missing = bool(directives) and not _imported(stem, "figures")
    else:
        missing = not all(_imported(stem, _FROM_CHAPTER_MODULES[block.name])
                          for _, block in directives)
    # Kept charts are drawn in any run whose modules are missing: a rerun while the warm-up
    # imports torch, of a page whose figures are all kept, keeps them where they are.
    drawn_ahead = first_view_charts.kept(stem, key, source.blocks) if missing else {}
    # (Every figure needs its kept chart and every widget its entry, if empty (no chart on its
    # first view): a widget without one would import torch before the text below it is sent.)
    from_kept = missing and chapter.first_view_without_torch and all(
        _charts_ahead(block, drawn_ahead.get(index)) if block.name == "figure"
        else index in drawn_ahead for index, block in directives)
    # Text first, figures and widgets in places after it: where the chapter's code must be
    # imported; and where they are drawn from kept charts, on the page's first run in the session
    # (nothing is on the page yet for a place to drop, and the text need not wait for the charts
    # above it: drawn in order, chapter 2's last text came 0.5-0.9 s later on three of its pages).
    # Later runs draw such a page in order, each figure and widget in a container where the
    # first run's place ended as one, so that their charts are updated in place.
    waiting = missing and (not from_kept or _first_run_of_page(stem, key))
    kept: list[tuple[DeltaGenerator, int, literate.Directive]] = []
    for index, block in enumerate(source.blocks):
        if isinstance(block, literate.Prose):
            for text, language in block.pieces():
                if language is None:
                    st.markdown(text)
                else:
                    code_block(text, language)
        elif block.name in _FROM_CHAPTER_MODULES:
            # A place ends every run as a container: a warm rerun's container takes the place of
            # the last run's and keeps what it drew until it is drawn again (a chart is updated,
            # not redrawn). An empty place, sent first, would drop it.
            if not waiting:
                with st.container():
                    _render_chapter_directive(stem, key, index, block,
                                              drawn_ahead.get(index) if from_kept else None)
                continue
            place = st.empty()
            # Importing torch is most of the wait: while it lasts, a place with nothing kept for
            # it says why it is empty.
            if "torch" not in sys.modules and not from_kept \
                    and not _charts_ahead(block, drawn_ahead.get(index)):
                with place.container(border=True, height=PLACEHOLDER_HEIGHT_PX):
                    st.caption(LOADING_NOTE)
            kept.append((place, index, block))
        else:
            _render_directive(stem, block)
    # The text is all sent (charts sent in the page's order held the text below them back:
    # micrograd's training page's last text came at 3.3 s instead of 2.5 s, 3 fresh servers
    # each). Now the charts kept for the places, then the live figures and widgets.
    live = []
    for place, index, directive in kept:
        ahead = _charts_ahead(directive, drawn_ahead.get(index))
        if directive.name == "figure" and ahead:
            # The figure's chart as the live figure draws it (the check keeps them equal), with
            # its key, at the same path as a warm run's: the next run updates it in place.
            with place.container():
                _render_directive(stem, directive, drawn=ahead[0],
                                  chart_key=_figure_key(stem, key, index))
            continue
        if ahead and not from_kept:  # (else the widget, served its kept charts, comes at once)
            # One block in the place: the live widget then takes its path, and no element of it
            # is left behind under a shorter live widget (a block sent again keeps the children
            # its run has sent).
            with place.container(), st.container():
                first_view_charts.draw(stem, key, index, ahead)
                st.caption(CONTROLS_NOTE)
        live.append((place, index, directive))
    for place, index, directive in live:
        try:
            # Imported before the place is replaced: a new container keeps the waiting box's
            # note in the browser but not its height, and the text below would jump meanwhile.
            registry.chapter_module(stem, _FROM_CHAPTER_MODULES[directive.name])
            with place.container():
                _render_chapter_directive(stem, key, index, directive,
                                          drawn_ahead.get(index) if from_kept else None)
        except Exception as error:  # noqa: BLE001 - shown in its place; the others still drawn
            with place.container():
                st.exception(error)


def _first_run_of_page(stem: str, key: str) -> bool:
    """Whether this is the session's first run of the section's page (and notes that it ran)."""
    ran = f"gtf_section_ran:{stem}/{key}"
    first = ran not in st.session_state
    st.session_state[ran] = True
    return first


def _charts_ahead(directive: literate.Directive,
                  drawn: list[first_view_charts.Drawn] | None) -> list[charts.DrawnChart]:
    """What a place shows of its directive's kept charts while the chapter's code imports: a
    figure's chart, a widget's first (`widget_charts_ahead`), if small enough."""
    if not drawn:
        return []
    shown = first_view_charts.charts_of(drawn)[:1] if directive.name == "figure" \
        else widget_charts_ahead(drawn)
    return shown if shown and small_enough_ahead(shown[0]) else []


def widget_charts_ahead(drawn: list[first_view_charts.Drawn]) -> list[charts.DrawnChart]:
    """Of a widget's kept charts, those its place shows while the chapter's code imports: its
    first, if it is 2D. A widget's later charts are often in tabs or columns that a place drawn
    ahead does not have (5.3's landscapes: a heatmap, and a surface in a second tab), and a 3D
    chart costs the browser more than the wait it would fill (on 2 cores, drawing 5.3's surface
    ahead delayed the page's run by 1.4 s: the run waits for the browser's answer)."""
    drawn_charts = first_view_charts.charts_of(drawn)
    return drawn_charts[:1] if drawn_charts and drawn_charts[0].module == charts.MODULE else []


# A bigger chart (micrograd's 1.1 MB boundary animation) waits for the live run: the browser
# would spend the wait taking it in, and take it in again from the live run.
AHEAD_MAX_CHARS = 256_000


def small_enough_ahead(chart: charts.DrawnChart) -> bool:
    return len(chart.figure) <= AHEAD_MAX_CHARS


def _imported(stem: str, kind: str) -> bool:
    """Whether the module is imported, and not still being imported by another thread (the
    warm-up, or another session's first page of the chapter)."""
    name = registry.chapter_module_name(stem, kind)
    if name is None:
        return True
    module = sys.modules.get(name)
    # (importlib puts a module in sys.modules before running it, its spec marked _initializing.)
    return module is not None and not getattr(module.__spec__, "_initializing", False)


def _render_chapter_directive(stem: str, key: str, index: int, directive: literate.Directive,
                              drawn: list[first_view_charts.Drawn] | None = None) -> None:
    """A figure or a widget, the section's `index`th block (whose charts a recording keeps); from
    `drawn`, its kept charts, if given: a figure's chart, or the charts (and texts) a widget is
    `served`."""
    figure = first_view_charts.charts_of(drawn)[0] if drawn and directive.name == "figure" \
        else None
    with first_view_charts.directive(stem, key, index, directive), first_view_charts.serving(
            drawn if directive.name == "widget" else None):
        _render_directive(stem, directive, drawn=figure, chart_key=_figure_key(stem, key, index))


def _figure_key(stem: str, key: str, index: int) -> str:
    """A figure's chart's key: its section and place, whatever the order figures are drawn in."""
    return f"gtf_figure:{stem}/{key}:{index}"


def _render_directive(stem: str, directive: literate.Directive,
                      drawn: charts.DrawnChart | None = None,
                      chart_key: str | None = None) -> None:
    """Draw one directive; a figure from `drawn`, its chart kept for the first view, if given,
    as the chart `chart_key`."""
    name = directive.name
    if name == "exercise":
        widgets.exercise(f"{stem}.{directive.argument}")
    elif name == "given":
        code_block(sources.given_source(stem, directive.argument))
        st.caption(f"`{directive.argument}` is given: it is in your exercise file and notebook, "
                   "and the page's editors can use it.")
    elif name == "figure":
        # (eval: our own source, not a learner's.)
        figure = drawn or eval(directive.body, figure_namespace(stem))
        charts.plotly_chart(figure, width="stretch", key=chart_key)
    elif name == "widget":
        getattr(registry.chapter_module(stem, "widgets"), directive.argument)()
    elif name == "question":
        widgets.question(*directive.question_parts)
    elif name == "fact":
        widgets.key_fact(*directive.question_parts)
    elif name == "site-only":
        st.markdown(directive.body)
    elif name == "chapter-contents":
        widgets.chapter_contents(stem)
    # notebook-only: nothing on the page
