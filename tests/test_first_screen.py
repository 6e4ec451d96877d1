"""What a page fetches at once and what it leaves until its first view is drawn."""

from __future__ import annotations

from utils import first_screen, literate, registry
from utils.preload import CHART, CHART_THEME, EDITOR
from utils.section_view import _front_end_modules


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
    now, later = _front_end_modules(_blocks("Intro.", ("exercise", "f"), long, ("figure", "")))
    assert now == [EDITOR] and later == sorted([CHART, CHART_THEME])
    # A module needed on the first screen and further down is fetched at once, only.
    now, later = _front_end_modules(_blocks("Intro.", ("widget", "w"), long, ("figure", ""),
                                            ("exercise", "f")))
    assert now == sorted([CHART, CHART_THEME]) and later == [EDITOR]
    assert _front_end_modules(_blocks("Only prose.")) == ([], [])


def test_the_estimate_puts_a_block_above_where_a_browser_draws_it_and_on_the_right_screen():
    """Where a browser (1300 x 1000) drew the first chart and the first editor of a few pages
    (measured once). An estimate too low only fetches a module sooner than needed; too high, it
    would leave an element on the first screen waiting for its module. And an element drawn a
    screen or more below the first is estimated off it."""
    drawn = {("plotting_with_plotly", "hover"): (2118, 1204),
             ("neural_network_basics", "tabular"): (1029, 1994),
             ("micrograd", "derivatives"): (1914, 1063),
             ("makemore_backprop", "training"): (2263, 1501),
             ("part5_vaes_gans", "autoencoders"): (2606, 742)}
    for (stem, key), (chart_px, editor_px) in drawn.items():
        blocks = registry.chapter(stem).section_source(key).blocks
        tops = first_screen.estimated_tops(blocks)
        first = {name: next(top for top, block in zip(tops, blocks)
                            if isinstance(block, literate.Directive) and block.name in names)
                 for name, names in (("chart", {"figure", "widget"}), ("editor", {"exercise"}))}
        assert first["chart"] <= chart_px and first["editor"] <= editor_px, (stem, key, first)
        for name, px in (("chart", chart_px), ("editor", editor_px)):
            if px >= 2 * first_screen.FIRST_SCREEN_PX:
                assert not first_screen.on_first_screen(first[name]), (stem, key, name)

