"""Math on the pages is delimited so that Streamlit renders it, not shown as raw LaTeX.

Streamlit's Markdown follows Pandoc's rule for inline math, measured in Chromium: `$x$` renders,
but not when the opening `$` is followed by a space (`$ x$`), the closing one is preceded by a
space (`$x = $`) or followed by a digit (`$x$5`); math that runs over a line break renders in
some paragraphs and not in others, so it counts as raw too. What it leaves alone is shown as
typed, with Markdown eating some backslashes (`\\,` becomes `,`). So after removing code, display
math and well-formed inline math, no `$` and no LaTeX command may be left.

Every page is checked with this detector in tests/test_pages.py (one page run serves all its
text checks).
"""

from __future__ import annotations

import pytest

from tests.browser_site import raw_latex
from utils import registry

@pytest.mark.parametrize("markdown", [
    r"Start with $\partial L / \partial\,\text{end} = $ `end_grad`.",  # closing $ after a space
    r"a $ x$ b", r"costs $x$5", r"\frac{1}{2} outside math", r"$a$$b$ touching",
    "over two $a \\to\nb$ lines", "text $$a = b,\nc = d$$ on", "$$\na = b\nc$$"])
def test_the_detector_finds_what_streamlit_leaves_raw(markdown):
    assert raw_latex(markdown)


@pytest.mark.parametrize("markdown", [
    r"$\partial L / \partial\,\text{end}$: `end_grad`", r"a$x$b, ($\beta$) and $x$-th",
    "one\n$$\n\\frac{a}{b}\n$$\ntwo", r"`$\delta$` is code", r"it costs \$5"])
def test_the_detector_accepts_what_streamlit_renders(markdown):
    assert not raw_latex(markdown)


def test_no_task_or_hint_has_raw_latex():
    for ex in registry.EXERCISES.values():
        for text in (ex.task, *ex.hints):
            assert not raw_latex(text), (ex.id, raw_latex(text))
