"""Draw a section's page from its literate source (utils/literate.py).

The header (title, where to work, the answers panel), then each block in order: prose through
st.markdown, an exercise through the exercise block, a figure from its expression, a widget from
`pages/<chapter>/widgets.py`, a question with its revealable answer.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from utils import charts, literate, registry, sources, widgets
from utils.code_block import code_block
from utils.preload import CHART, CHART_THEME, EDITOR, preload

# What each directive's output may need of the front end's lazily loaded code (a widget may draw
# charts, an exercise has an editor). Streamlit's own chart module (4.7 MB) is left to load when
# a rare chart needs it (utils/charts.py); code is highlighted on the server (utils/code_block.py).
_FRONT_END_MODULES = {"figure": [CHART, CHART_THEME], "widget": [CHART, CHART_THEME],
                      "exercise": [EDITOR]}


def figure_namespace(stem: str) -> dict[str, Any]:
    """What a {figure} or {widget} body sees; the notebook's setup cell imports the same names."""
    figures = registry.chapter_module(stem, "figures")
    return {"figures": figures} if figures else {}


def _front_end_modules(blocks: tuple[literate.Block, ...]) -> list[str]:
    modules = {module for block in blocks if isinstance(block, literate.Directive)
               for module in _FRONT_END_MODULES.get(block.name, [])}
    return sorted(modules)


def render_section(stem: str, key: str) -> None:
    source = registry.chapter(stem).section_source(key)
    widgets.chapter_header(stem, key)
    preload(_front_end_modules(source.blocks))
    for block in source.blocks:
        if isinstance(block, literate.Prose):
            for text, language in block.pieces():
                if language is None:
                    st.markdown(text)
                else:
                    code_block(text, language)
        else:
            _render_directive(stem, block)


def _render_directive(stem: str, directive: literate.Directive) -> None:
    name = directive.name
    if name == "exercise":
        widgets.exercise(f"{stem}.{directive.argument}")
    elif name == "given":
        code_block(sources.given_source(stem, directive.argument))
        st.caption(f"`{directive.argument}` is given: it is in your exercise file and notebook, "
                   "and the page's editors can use it.")
    elif name == "figure":
        figure = eval(directive.body, figure_namespace(stem))  # our own source, not a learner's
        charts.plotly_chart(figure, width="stretch")
    elif name == "widget":
        getattr(registry.chapter_module(stem, "widgets"), directive.argument)()
    elif name == "question":
        widgets.question(*directive.question_parts)
    elif name == "fact":
        widgets.key_fact(*directive.question_parts)
    elif name == "site-only":
        st.markdown(directive.body)
    elif name == "chapter-contents":
        widgets.chapter_contents(stem)
    # notebook-only: nothing on the page
