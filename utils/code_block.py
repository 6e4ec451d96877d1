"""Code shown on a page (not edited): highlighted on the server, drawn as plain HTML.

Streamlit's st.code, and a fenced block in st.markdown, highlight in the browser with a 1.6 MB
module that defines about 300 languages as it loads: on a fresh page, 0.3-0.6 s of the browser's
main thread (profiled on chapter 5.4's and 5.5's sections, 2 cores) before the page is shown, for a
few lines of Python. Here Pygments does it once per block on the server, cached, and the browser
only draws the HTML, in the same colours as Streamlit's code blocks. The copy button works through
one listener for the whole page (`enable_copy_buttons`): HTML drawn by st.html cannot carry a
script.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

import streamlit as st
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import find_lexer_class, get_all_lexers
from pygments.style import Style
from pygments.token import (Comment, Keyword, Name, Number, Operator, Punctuation, String,
                            Token)

from utils.hidden_place import hidden_place

_TEXT, _BLUE, _GREY, _ORANGE = "#2f2d2b", "#1c83e1", "#808495", "#ed6f13"


class StreamlitLight(Style):
    """The colours of Streamlit's light code blocks (read from its highlighter in Chromium)."""

    background_color = "#fcfcfb"
    styles = {
        Token: _TEXT,
        Comment: f"italic {_GREY}",
        Keyword: _BLUE,
        Keyword.Constant: "#21c354",
        Name.Function: f"bold {_BLUE}",
        Name.Class: f"bold {_BLUE}",
        Name.Decorator: _ORANGE,
        Operator: _ORANGE,
        Operator.Word: _BLUE,
        Punctuation: _GREY,
        String: "#09ab3b",
        String.Interpol: _GREY,
        Number: "#29b09d",
    }


_FORMATTER = HtmlFormatter(style=StreamlitLight, nowrap=True)
# The token colours that differ from the text's, scoped to our blocks (Pygments' full style sheet
# also styles every <pre> of the page). One copy per block (2.5 KB): a block needs nothing else.
_TOKEN_CSS = "\n".join(
    re.sub(r"\s*/\*.*\*/", "", rule).lower()
    for rule in _FORMATTER.get_token_style_defs(".gtf-code pre")
    if "{ color: %s }" % _TEXT.upper() not in rule and ".hll " not in rule)
_CSS = _TOKEN_CSS + """
.gtf-code { position: relative; }
.gtf-code pre { margin: 0; padding: 1rem 2.5rem 1rem 1rem; border-radius: 0.5rem;
  background: #fcfcfb; color: #2f2d2b; font-family: "Source Code Pro", monospace;
  font-size: 0.875rem; line-height: 1.6; white-space: pre; overflow-x: auto; }
.gtf-code.gtf-code-wrap pre { white-space: pre-wrap; overflow-wrap: anywhere; }
.gtf-code-copy { position: absolute; top: 0.4rem; right: 0.4rem; padding: 0.15rem 0.45rem;
  border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem; background: white;
  color: rgba(47, 45, 43, 0.7); font-size: 0.75rem; cursor: pointer; opacity: 0; }
.gtf-code:hover .gtf-code-copy, .gtf-code-copy:focus { opacity: 1; }
"""
_CSS = re.sub(r"\n\s*", " ", _CSS)


def code_html(code: str, language: str = "python", wrap_lines: bool = False) -> str:
    """The block's HTML: `code` highlighted as `language` (plain text for "text", or a language
    Pygments does not know), with its copy button."""
    code = code.rstrip("\n")
    # "text" (a verdict's message, what the learner's code printed: up to 64 KiB, new at every
    # run) is only escaped, and not kept; the site's own code is highlighted once.
    body = html.escape(code, quote=False) if language == "text" else _highlighted(code, language)
    wrap = " gtf-code-wrap" if wrap_lines else ""
    return (f'<style>{_CSS}</style><div class="gtf-code{wrap}" data-testid="gtfCode">'
            f'<pre><code>{body}</code></pre>'
            '<button type="button" class="gtf-code-copy" title="Copy to clipboard">Copy'
            '</button></div>')


@lru_cache(maxsize=1)
def _lexer_names() -> dict[str, str]:
    """Pygments' own lexers by alias ("py" → "Python"). Not its plugins: looking a name up among
    those imports every installed package that offers one (IPython's imports jedi, which raises
    the interpreter's recursion limit for the whole server)."""
    return {alias: name for name, aliases, *_ in get_all_lexers(plugins=False)
            for alias in aliases}


@lru_cache(maxsize=512)
def _highlighted(code: str, language: str) -> str:
    name = _lexer_names().get(language.lower())
    if name is None:
        return html.escape(code, quote=False)
    # (stripnl=False: leading blank lines are shown, and copied, as written)
    return highlight(code, find_lexer_class(name)(stripnl=False), _FORMATTER).rstrip("\n")


def code_block(code: str, language: str = "python", wrap_lines: bool = False) -> None:
    """Draw `code` as st.code would, without the browser's highlighter."""
    st.html(code_html(code, language, wrap_lines))


# A script of the page's (st.html), not a component: a component's code is one more file for a
# fresh browser to fetch from the server, and one more element for Streamlit's component code.
_COPY_JS = """
(() => {
  if (window.__gtfCodeCopy) return;  // one listener per page, whatever the runs
  window.__gtfCodeCopy = true;
  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest(".gtf-code-copy");
    if (!button) return;
    const pre = button.parentElement.querySelector("pre");
    const said = (text) => {
      button.textContent = text;
      setTimeout(() => { button.textContent = "Copy"; }, 1500);
    };
    const select = () => {  // no clipboard for us: the code selected, for Ctrl+C
      const range = document.createRange();
      range.selectNodeContents(pre);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      said("Selected");
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(pre.textContent).then(() => said("Copied"), select);
    } else {
      select();
    }
  });
})();
"""

_PLACE = "gtf_code_copy_place"


def enable_copy_buttons() -> None:
    """Call once per run, before the page: listens for the code blocks' copy buttons."""
    with hidden_place(_PLACE):
        # (Our own script: nothing of the learner's in it.)
        st.html(f"<script>{_COPY_JS}</script>", unsafe_allow_javascript=True)
