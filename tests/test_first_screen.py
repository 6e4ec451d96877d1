"""What a page fetches at once and what it leaves until its first view is drawn."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from utils import (browser_store, first_screen, literate, navigation, preload, registry,
                   static_modules, store_code)
from utils.preload import CHART, CHART_THEME, EDITOR
from utils.section_view import (_FRONT_END_MODULES, HEADER_MODULES, MATH_MODULES,
                                _front_end_modules)
from utils.site_config import ROOT, section_path


def _blocks(*parts: str | tuple[str, str]) -> tuple[literate.Block, ...]:
    """Prose for a string, a directive for a (name, argument) pair."""
    return tuple(literate.Prose(part) if isinstance(part, str)
                 else literate.Directive(part[0], part[1], "", 1) for part in parts)


def test_the_tops_grow_with_the_prose_above():
    short, long = "One short paragraph.", "\n\n".join(["word " * 100] * 12)
    tops = first_screen.estimated_tops(_blocks(short, ("exercise", "f"), long, ("figure", "")))
    assert tops[0] == first_screen.HEADER_PX
    assert tops == sorted(tops) and len(set(tops)) == 4
    assert first_screen.on_first_screen(tops[1]) and not first_screen.on_first_screen(tops[3])
    code = "```python\n" + "x = 1\n" * 60 + "```"  # 60 lines of code: a screen's height
    below_code = first_screen.estimated_tops(_blocks(code, ("figure", "")))[1]
    assert not first_screen.on_first_screen(below_code)


def test_what_the_first_screen_needs_is_fetched_at_once_the_rest_once_it_is_drawn():
    long = "\n\n".join(["word " * 100] * 12)
    exercise = sorted([EDITOR, "Checkbox", "Button"])  # its editor, toggles and reset button
    now, later = _front_end_modules(_blocks("Intro.", ("exercise", "f"), long, ("figure", "")))
    assert now == exercise and later == sorted([CHART, CHART_THEME])
    # A module needed on the first screen and further down is fetched at once, only.
    now, later = _front_end_modules(_blocks("Intro.", ("widget", "w"), long, ("figure", ""),
                                            ("exercise", "f")))
    assert now == sorted([CHART, CHART_THEME]) and later == exercise
    assert _front_end_modules(_blocks("Only prose.")) == ([], [])
    # Math in prose needs Streamlit's typesetting; a dollar inside a code block does not.
    assert _front_end_modules(_blocks("The loss $L$.")) == (MATH_MODULES, [])
    assert _front_end_modules(_blocks("Code:\n\n```python\nx = '$'\n```\n")) == ([], [])
    assert _front_end_modules(_blocks("Intro.", long, "Below: $x$.")) == ([], MATH_MODULES)


def test_every_module_named_is_found_in_this_install():
    """Streamlit's module files are named by its build (<name>.<hash>.js): an upgrade that renames
    one would silently stop its preload."""
    names = set(HEADER_MODULES) | set(MATH_MODULES) | {
        name for modules in _FRONT_END_MODULES.values() for name in modules}
    assert {name: preload.module_file(name) for name in names if
            preload.module_file(name) is None} == {}


def test_the_script_asks_for_each_module_by_its_address():
    script = preload.preload_script(["./Checkbox.x.js"], ["../../app/static/gtf_editor.js"])
    assert 'const now = ["./Checkbox.x.js"], later = ["../../app/static/gtf_editor.js"];' in script
    assert "function pageAtRest()" in script and "__" + "NOW" not in script
    # While the browser store is asked, the modules wait for its answer, which the store's own
    # script announces by that name.
    assert "if (false && !window.__gtfStoreAnswered)" in script
    waiting = preload.preload_script(["./Checkbox.x.js"], [], wait_for_the_store=True)
    assert "if (true && !window.__gtfStoreAnswered)" in waiting
    assert f'addEventListener("{browser_store.ANSWERED_EVENT}"' in waiting
    assert f'new Event("{browser_store.ANSWERED_EVENT}")' in browser_store._JS


def test_a_sessions_first_run_preloads_before_it_waits_for_the_learners_work(monkeypatch):
    """The browser loads the page's modules while the server waits for the browser store's answer
    and runs the page again (streamlit_app.py): the preload comes before the question."""
    calls: list[str] = []
    real_preload, real_ask = preload.preload, browser_store.ask_first

    def recording_preload(prefixes, later=()):
        calls.append("preload " + " ".join(prefixes) + " later " + " ".join(later))
        real_preload(prefixes, later)

    def recording_ask():
        calls.append("ask")
        real_ask()

    import utils.section_view as section_view
    monkeypatch.setattr(section_view, "preload", recording_preload)
    monkeypatch.setattr(browser_store, "ask_first", recording_ask)
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    app._page_hash = calc_hash(section_path("part3_optimization", "optimizers"))
    app.run()
    assert not app.exception
    assert calls and calls[0].startswith("preload ") and calls[1] == "ask", calls
    # The answers panel's modules (it is filled once opened) once the page is at rest.
    assert all(name in calls[0].split(" later ")[1].split() for name in HEADER_MODULES), calls[0]
    # Home and Review are not sections: nothing to preload.
    assert navigation.section_at("") is None and navigation.section_at("review") is None
    assert navigation.section_at(section_path("micrograd", "value")) == ("micrograd", "value")


def test_the_estimate_puts_a_block_on_the_screen_a_browser_draws_it_on():
    """Where a browser (1300 x 1000) drew the first block with a chart and the first exercise of
    a few pages (measured December 2026; utils/first_screen.py is fitted to every page: these
    are among them). A block drawn on the first screen is estimated on it, or its module would
    be fetched only once it asks; one drawn a screen or more below it is estimated off it, or its
    module would be fetched before what the first screen needs. An estimate above where the
    block is drawn costs at most a module fetched sooner than needed; one below it is at most
    PX_BELOW below. When one of these pages changes above those blocks, measure them again (the
    block's top in the page, as the browser draws it: the fit's own data came from there)."""
    PX_BELOW = 150
    drawn = {("plotting_with_plotly", "hover"): (1994, 913),
             ("plotting_with_plotly", "heatmaps"): (957, 1614),
             ("neural_network_basics", "baseline"): (833, 1344),
             ("neural_network_basics", "tabular"): (772, 1728),
             ("neural_network_basics", "best_fit"): (1936, 877),
             ("micrograd", "derivatives"): (1914, 796),
             ("makemore_bigrams", "names"): (906, 2249),
             ("makemore_bigrams", "sampling"): (948, 2069),
             ("makemore_mlp", "learning_rate"): (1836, 836),
             ("makemore_backprop", "training"): (2263, 1133),
             ("makemore_wavenet", "batchnorm"): (851, 2107),
             ("part5_vaes_gans", "autoencoders"): (2522, 476)}
    for (stem, key), (chart_px, exercise_px) in drawn.items():
        blocks = registry.chapter(stem).section_source(key).blocks
        tops = first_screen.estimated_tops(blocks)
        for names, px in (({"figure", "widget"}, chart_px), ({"exercise"}, exercise_px)):
            estimate = next(top for top, block in zip(tops, blocks)
                            if isinstance(block, literate.Directive) and block.name in names)
            where = (stem, key, sorted(names), estimate, px)
            assert estimate <= px + PX_BELOW, where
            if px < first_screen.FIRST_SCREEN_PX:
                assert first_screen.on_first_screen(estimate), where
            if px >= 2 * first_screen.FIRST_SCREEN_PX:
                assert not first_screen.on_first_screen(estimate), where


def test_every_page_draws_the_preload_place_before_the_menu(monkeypatch):
    """Home and Review have nothing to preload, but draw its (hidden) place too: the menu after it
    then keeps its place in the sidebar from one page to the next, and is not drawn anew."""
    calls: list[list[str]] = []
    real_preload = preload.preload

    def recording(prefixes, later=()):
        calls.append(list(prefixes))
        real_preload(prefixes, later)

    monkeypatch.setattr(navigation, "preload", recording)
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    app.session_state[browser_store._RESTORED] = True
    app.run()  # Home
    assert not app.exception
    assert calls == [[]]
    place, menu = app.sidebar.children[0], app.sidebar.children[1]
    assert place.key == preload._PLACE
    assert "gtf-menu" in menu.proto.body  # the menu right after it, as on a section's page


def test_a_sessions_first_run_asks_for_the_store_code_before_the_question():
    """The browser store's component code is asked for at the top of a session's first run, in a
    place before the store's question (utils/store_code.py); once the work is restored, the place
    stays empty."""
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    app._page_hash = calc_hash(section_path("micrograd", "value"))
    app.run()
    assert not app.exception
    keys = [getattr(child, "key", None) for child in app.main.children.values()]
    assert keys.index(store_code._PLACE) < keys.index(browser_store._PLACE), keys
    place = app.main.children[keys.index(store_code._PLACE)]
    module = static_modules.streamlit_module(store_code.COMPONENT_MODULE)
    assert module and [module in html.proto.body for html in place.children.values()] == [True]
    app.session_state[store_code.RESTORED] = True
    app.run()
    keys = [getattr(child, "key", None) for child in app.main.children.values()]
    assert not app.main.children[keys.index(store_code._PLACE)].children
