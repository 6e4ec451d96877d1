"""Math on the pages is delimited so that Streamlit renders it, not shown as raw LaTeX.

Streamlit's Markdown follows Pandoc's rule for inline math, measured in Chromium: `$x$` renders,
but not when the opening `$` is followed by a space (`$ x$`), the closing one is preceded by a
space (`$x = $`) or followed by a digit (`$x$5`); math that runs over a line break renders in
some paragraphs and not in others, so it counts as raw too. What it leaves alone is shown as
typed, with Markdown eating some backslashes (`\\,` becomes `,`). So after removing code, display
math and well-formed inline math, no `$` and no LaTeX command may be left.
"""

from __future__ import annotations

import re

import pytest

from tests.site import open_page
from utils import registry

CODE = re.compile(r"```.*?```|(`+).*?\1", re.DOTALL)
DISPLAY_MATH = re.compile(r"\$\$.+?\$\$", re.DOTALL)
INLINE_MATH = re.compile(r"(?<![\\$])\$(?=\S)[^$\n]+?(?<=[^\s\\])\$(?![\d$])")
RAW_LATEX = re.compile(r"(?<!\\)\$|\\[A-Za-z]+|\\[,;!{}_]")

CHAPTER = "part4_backprop"
PAGES = [f"pages/{CHAPTER}/{i}_{key}.py"
         for i, (key, _) in enumerate(registry.chapter(CHAPTER).sections)]


def raw_latex(markdown: str) -> list[str]:
    """The pieces of `markdown` that Streamlit would show as raw LaTeX."""
    text = INLINE_MATH.sub(" ", DISPLAY_MATH.sub(" ", CODE.sub(" ", markdown)))
    return [text[max(0, m.start() - 30):m.end() + 30] for m in RAW_LATEX.finditer(text)]


@pytest.mark.parametrize("markdown", [
    r"Start with $\partial L / \partial\,\text{end} = $ `end_grad`.",  # closing $ after a space
    r"a $ x$ b", r"costs $x$5", r"\frac{1}{2} outside math", r"$a$$b$ touching",
    "over two $a \\to\nb$ lines"])
def test_the_detector_finds_what_streamlit_leaves_raw(markdown):
    assert raw_latex(markdown)


@pytest.mark.parametrize("markdown", [
    r"$\partial L / \partial\,\text{end}$: `end_grad`", r"a$x$b, ($\beta$) and $x$-th",
    "one\n$$\n\\frac{a}{b}\n$$\ntwo", r"`$\delta$` is code", r"it costs \$5"])
def test_the_detector_accepts_what_streamlit_renders(markdown):
    assert not raw_latex(markdown)


def test_the_chapters_tasks_and_hints_have_no_raw_latex():
    for ex in registry.chapter(CHAPTER).exercises:
        for text in (ex.task, *ex.hints):
            assert not raw_latex(text), (ex.id, raw_latex(text))


@pytest.mark.parametrize("page", PAGES)
def test_the_chapters_pages_have_no_raw_latex(page):
    app = open_page(page, timeout=120)
    texts = [e.value for e in [*app.markdown, *app.caption, *app.info, *app.warning]]
    texts += [e.label for e in app.expander]
    found = {text[:60]: raw_latex(text) for text in texts if raw_latex(text)}
    assert not found, found
    # Plotly shows $...$ as typed unless MathJax is loaded, which Streamlit doesn't do.
    for chart in app.get("plotly_chart"):
        assert "$" not in chart.proto.spec, chart.proto.spec[:200]
