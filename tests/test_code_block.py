"""Code blocks highlighted on the server (utils/code_block.py): the text is the code, exactly,
in Streamlit's colours; what is not code stays text; prose is cut at its fenced blocks."""

from __future__ import annotations

import re
import sys

from streamlit.testing.v1 import AppTest

from tests.app_code import code_blocks
from utils import literate
from utils.code_block import code_html

TRICKY = ('def f(a: int = 1) -> str:\n    """<b>&amp;</b>"""\n'
          '    return f"{a!r}" if a < 2 else "</code>"  # ok\n')


def _page(tricky: str):
    from utils.code_block import code_block

    code_block(tricky)
    code_block("Traceback: x < y & z", "text", wrap_lines=True)
    code_block("plain", "no-such-language")


def test_a_block_shows_the_code_exactly_as_written():
    app = AppTest.from_function(_page, default_timeout=30, args=(TRICKY,)).run()
    assert not app.exception
    assert code_blocks(app) == [TRICKY.rstrip("\n"), "Traceback: x < y & z", "plain"]


def test_python_is_coloured_as_streamlit_colours_it_and_text_is_not():
    block = code_html(TRICKY)
    assert 'class="k">def</span>' in block and 'class="nf">f</span>' in block
    assert ".gtf-code pre .k { color: #1c83e1 }" in block  # Streamlit's keyword blue
    assert ".gtf-code pre .nf { color: #1c83e1; font-weight: bold }" in block
    assert ".gtf-code pre .c1 { color: #808495; font-style: italic }" in block
    style = re.search(r"<style>(.*)</style>", block, re.DOTALL)[1]
    selectors = [sel.strip() for rule in re.findall(r"([^{}]+)\{", style)
                 for sel in rule.split(",")]
    assert len(selectors) > 20 and all(sel.startswith(".gtf-code") for sel in selectors)
    text = code_html("x < y", "text", wrap_lines=True)
    assert "<code>x &lt; y</code>" in text and "gtf-code-wrap" in text
    # Looked up among Pygments' own lexers only: its plugins' packages (IPython, and jedi,
    # which raises the recursion limit) are not imported for a name it does not know.
    limit, had_jedi = sys.getrecursionlimit(), "jedi" in sys.modules
    assert "<code>x &lt; y</code>" in code_html("x < y", "no-such-language")
    assert sys.getrecursionlimit() == limit and ("jedi" in sys.modules) == had_jedi
    assert "Copy" in block  # the copy button (its listener: tests/test_browser.py)


def test_prose_is_cut_at_its_fenced_code_blocks():
    prose = literate.Prose("Before `inline`.\n\n```python\nx = 1\n\n```\nAfter.\n```\nplain\n```\n")
    assert prose.pieces() == [("Before `inline`.\n\n", None), ("x = 1\n\n", "python"),
                              ("After.\n", None), ("plain\n", "text")]
    assert literate.Prose("Only prose.").pieces() == [("Only prose.", None)]


def test_leading_blank_lines_and_markup_are_shown_as_written():
    assert "<code>\n\n  out &lt;b&gt; &amp;</code>" in code_html("\n\n  out <b> &\n", "text")
    python = code_html("\n\nx = 1", "python")
    assert "<code>\n\n<span" in python


def test_prose_fences_are_cut_as_commonmark_reads_them():
    cut = literate.Prose("````markdown\n```python\nx\n```\n````\n~~~python title=a\ny\n~~~\n")
    assert cut.pieces() == [("```python\nx\n```\n", "markdown"), ("y\n", "python")]
    in_a_list = "- item\n\n  ```python\n  z\n  ```\n"
    assert literate.Prose(in_a_list).pieces() == [(in_a_list, None)]


def _has_code_block(markdown: str) -> bool:
    return any(token.type in ("fence", "code_block")
               for token in literate._MARKDOWN.parse(markdown))


def test_no_markdown_the_site_draws_holds_a_code_block():
    # Streamlit would load its 1.6 MB highlighter for it: code goes through utils/code_block.py
    # (prose is cut at its top-level fences; tasks, hints, questions, site-only notes have none).
    from utils import registry

    found = []
    for chapter in registry.CHAPTERS:
        if not chapter.available:
            continue
        for key, _title in chapter.sections:
            for block in chapter.section_source(key).blocks:
                if isinstance(block, literate.Prose):
                    texts = [text for text, language in block.pieces() if language is None]
                elif block.name in ("question", "fact", "site-only"):
                    texts = [block.body]
                else:
                    texts = []
                found += [f"{chapter.stem}/{key}" for text in texts if _has_code_block(text)]
        for ex in chapter.exercises:
            found += [ex.id for text in (ex.task, *ex.hints) if _has_code_block(text)]
    assert not found
