"""Open one page of the whole site (navigation included) under Streamlit's AppTest, and tell
what on it Streamlit would show as raw LaTeX."""

import re

from streamlit.util import calc_hash
from streamlit.testing.v1 import AppTest

from utils.site_config import ROOT, section_path

SECTION_SOURCE = re.compile(r"pages/(\w+)/\d+_(\w+)\.md")


def open_page(page: str, timeout: float = 300) -> AppTest:
    """The app, switched to `page` and run: "pages/home.py", a section by its source,
    "pages/part4_backprop/2_graph.md", or a callable page by its URL path ("review")."""
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=timeout)
    section = SECTION_SOURCE.fullmatch(page)
    # A section's page is a callable (utils/navigation.py), which AppTest.switch_page (files
    # only) cannot find; a session picks a page by the hash of its URL path, as here. Set before
    # the first run, it opens the page in one run, as a deep link does.
    if section:
        app._page_hash = calc_hash(section_path(section[1], section[2]))
    elif "/" not in page:
        app._page_hash = calc_hash(page)
    else:
        app.run()
        app.switch_page(page)
    return app.run()


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
