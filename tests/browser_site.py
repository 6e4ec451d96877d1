"""Open one page of the whole site (navigation included) under Streamlit's AppTest, and tell
what on it Streamlit would show as raw LaTeX."""

import re

from utils.first_views import open_page  # noqa: F401 - the tests' way to open one page

# What Streamlit leaves as raw LaTeX: the rules are explained and tested in tests/test_page_math.py.
CODE = re.compile(r"```.*?```|(`+).*?\1", re.DOTALL)
DISPLAY_MATH = re.compile(r"\$\$.+?\$\$", re.DOTALL)
INLINE_MATH = re.compile(r"(?<![\\$])\$(?=\S)[^$\n]+?(?<=[^\s\\])\$(?![\d$])")
RAW_LATEX = re.compile(r"(?<!\\)\$|\\[A-Za-z]+|\\[,;!{}_]")


def _broken_display(math: str) -> bool:
    """Display math over several lines renders only with each `$$` on a line of its own: text
    beside a `$$` that opens or closes a multi-line display showed in Chromium as raw LaTeX
    (and swallowed the paragraphs after it)."""
    inner = math[2:-2]
    return "\n" in inner and not (inner.startswith("\n") and inner.endswith("\n"))


def raw_latex(markdown: str) -> list[str]:
    """The pieces of `markdown` that Streamlit would show as raw LaTeX."""
    no_code = CODE.sub(" ", markdown)
    broken = [m.group(0)[:60] for m in DISPLAY_MATH.finditer(no_code) if _broken_display(m.group(0))]
    text = INLINE_MATH.sub(" ", DISPLAY_MATH.sub(" ", no_code))
    return broken + [text[max(0, m.start() - 30):m.end() + 30] for m in RAW_LATEX.finditer(text)]
