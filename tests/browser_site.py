"""Open one page of the whole site (navigation included) under Streamlit's AppTest, and tell
what on it Streamlit would show as raw LaTeX."""

import re

from streamlit.testing.v1 import AppTest

from utils.site_config import ROOT


def open_page(page: str, timeout: float = 300) -> AppTest:
    """The app, switched to `page` (e.g. "pages/part4_backprop/2_graph.py") and run."""
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=timeout)
    app.run()
    app.switch_page(page)
    return app.run()


# What Streamlit leaves as raw LaTeX: the rules are explained and tested in tests/test_page_math.py.
CODE = re.compile(r"```.*?```|(`+).*?\1", re.DOTALL)
DISPLAY_MATH = re.compile(r"\$\$.+?\$\$", re.DOTALL)
INLINE_MATH = re.compile(r"(?<![\\$])\$(?=\S)[^$\n]+?(?<=[^\s\\])\$(?![\d$])")
RAW_LATEX = re.compile(r"(?<!\\)\$|\\[A-Za-z]+|\\[,;!{}_]")


def raw_latex(markdown: str) -> list[str]:
    """The pieces of `markdown` that Streamlit would show as raw LaTeX."""
    text = INLINE_MATH.sub(" ", DISPLAY_MATH.sub(" ", CODE.sub(" ", markdown)))
    return [text[max(0, m.start() - 30):m.end() + 30] for m in RAW_LATEX.finditer(text)]
