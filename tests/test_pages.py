"""Every page runs under Streamlit's AppTest without an exception, within a time budget."""

import re
import time

import pytest

from tests.site import open_page
from utils import registry
from utils.site_config import ROOT

PAGES = ["pages/home.py"] + [
    f"pages/{ch.stem}/{i}_{key}.py"
    for ch in registry.CHAPTERS if ch.available for i, (key, _) in enumerate(ch.sections)
]


def test_every_section_has_a_page_file_and_no_stray_pages():
    on_disk = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").rglob("*.py"))
    assert on_disk == sorted(PAGES)


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_without_exception(page):
    started = time.perf_counter()
    app = open_page(page, timeout=120)
    assert not app.exception, [e.value for e in app.exception]
    assert app.title, f"{page} shows no title"
    print(f"{page}: {time.perf_counter() - started:.2f} s")


@pytest.mark.parametrize("page, button", [
    ("pages/part2_cnns/2_training.py", "train_mlp"),
    ("pages/part2_cnns/3_convolutions.py", "train_convnet"),
    ("pages/part3_optimization/2_sweeps.py", "run_sweep"),
])
def test_training_demos_train_and_plot(page, button):
    app = open_page(page)
    charts_before = len(app.get("plotly_chart"))
    app.button(key=button).click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert len(app.get("plotly_chart")) >= charts_before + 2
    # The progress bar ends on the result's accuracy.
    assert any("accuracy" in str(p.proto.text) for p in app.get("progress"))


def test_feature_extraction_demo_trains_a_head():
    app = open_page("pages/part2_cnns/4_resnets.py")
    app.button(key="train_head").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert any("test accuracy" in str(p.proto.text) for p in app.get("progress"))


CONTROL_CHARACTERS = "\x07\x08\x0b\x0c\t\r"  # what "\a", "\b", "\v", "\f", "\t" become in a
# non-raw string: the usual trace of LaTeX (\frac, \beta, \text...) written without r"..."


def test_registry_text_has_no_mangled_latex():
    for ex in registry.EXERCISES.values():
        for text in (ex.task, ex.title, *ex.hints):
            assert not any(c in text for c in CONTROL_CHARACTERS), (ex.id, text[:80])


@pytest.mark.parametrize("page", PAGES)
def test_page_text_has_no_mangled_latex(page):
    app = open_page(page, timeout=120)
    for element in [*app.markdown, *app.caption, *app.info]:
        assert not any(c in element.value for c in CONTROL_CHARACTERS), element.value[:80]


def inline_math_across_lines(text: str) -> list[str]:
    """Inline $...$ formulas that contain a line break: Streamlit shows those as raw LaTeX
    (display $$...$$ blocks may span lines)."""
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    text = re.sub(r"`[^`\n]*`", "", text)
    text = re.sub(r"\$\$.*?\$\$", "", text, flags=re.S)
    return [span for span in re.findall(r"(?<!\\)\$(.*?)(?<!\\)\$", text, flags=re.S)
            if "\n" in span]


def test_inline_math_helper_finds_a_broken_formula():
    assert inline_math_across_lines("size: $1 \\to\n64$, then") == ["1 \\to\n64"]
    assert not inline_math_across_lines("$a$ and\n$b$, `$x` and $$\na\n$$")


def test_registry_text_keeps_inline_math_on_one_line():
    for ex in registry.EXERCISES.values():
        for text in (ex.task, *ex.hints):
            assert not inline_math_across_lines(text), (ex.id, text[:80])


@pytest.mark.parametrize("page", [p for p in PAGES if p.startswith("pages/part2_cnns/")])
def test_inline_math_stays_on_one_line(page):
    app = open_page(page, timeout=120)
    for element in [*app.markdown, *app.caption, *app.info]:
        assert not inline_math_across_lines(element.value), element.value[:120]


def test_the_training_page_shows_the_given_evaluate():
    from utils import sources

    app = open_page("pages/part2_cnns/2_training.py", timeout=120)
    assert sources.source_of("part2_cnns", "evaluate") in [block.value for block in app.code]
