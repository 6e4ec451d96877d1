"""Roughly where a section's blocks start on the page: which are on a learner's first screen.

A fresh browser does one thing at a time, so a page's first view should not spend it on what is
below the screen: the front-end code only a chart or an editor further down needs is fetched
once the page is drawn (utils/preload.py), and such elements are drawn when they come near the
screen (utils/static_modules.py). What the first screen holds decides what is fetched at once.

An estimate from the source alone (the server knows no screen): lines of prose at a wide
layout's width, headings, formulas, table rows and lines of code, a typical height for each
directive's output. Misjudging a block costs time, never content: a module fetched later is
fetched by the element that needs it.
"""

from __future__ import annotations

import math

from utils import literate

# A laptop's browser window, less its bars: what a learner sees before scrolling.
FIRST_SCREEN_PX = 1000
# Fitted to where a browser (1300 x 1000) drew 195 anchors (charts, exercises, key facts) on
# every section page, weighting an estimate below its block three times one above it (which only
# fetches a module sooner than needed). The constants these replaced put the median anchor 78 px
# below where it was drawn, and a tenth of them 295 px or more: on 12 pages the first chart or
# exercise, drawn on the first screen, was estimated below it (7 charts drawn at 833-961 px,
# estimated at 1052-1228 px), so its module was fetched only once it asked. Now the median is 8 px
# and nine in ten are within 97 px; 4 such blocks, drawn at 912-961 px, are still estimated just
# below the first screen (1005-1092 px). tests/test_first_screen.py keeps a sample of them.

# The section's title, its tools and the chapter's header above the first block.
HEADER_PX = 209
# Prose at the wide layout on such a screen: characters per line, a line's height (Streamlit's
# 16 px at a line height of 1.6) and the space between paragraphs.
CHARS_PER_LINE = 120
PROSE_LINE_PX, PARAGRAPH_GAP_PX = 26, 14
# A heading (with the space Streamlit keeps above it), a display formula ($$ ... $$), a table's
# row (its header and separator lines count as rows).
HEADING_PX, DISPLAY_MATH_PX, TABLE_ROW_PX = 105, 41, 37
# A fenced code block (highlighted on the server, utils/code_block.py): per line, and its padding
# with the gap below it (fitted with the rest).
CODE_LINE_PX, CODE_BLOCK_PADDING_PX = 22, 48
# A directive's output, typically: a chart (Plotly's default is 450 px, many of ours are
# shorter), an exercise (its task, the editor and its buttons), a widget (its controls and
# chart), a key fact or a question (its prompt, the answer folded).
DIRECTIVE_PX = {"figure": 330, "widget": 541, "exercise": 717, "question": 197, "fact": 149}
OTHER_DIRECTIVE_PX = 0  # given, site-only, notebook-only, chapter-contents: text, or nothing


def _paragraph_px(paragraph: str) -> int:
    if paragraph.startswith("#"):
        return HEADING_PX
    if paragraph.startswith("$$"):
        return DISPLAY_MATH_PX
    if paragraph.startswith("|"):
        return (paragraph.count("\n") + 1) * TABLE_ROW_PX
    return math.ceil(len(paragraph) / CHARS_PER_LINE) * PROSE_LINE_PX + PARAGRAPH_GAP_PX


def _prose_px(prose: literate.Prose) -> int:
    height = 0
    for text, language in prose.pieces():
        if language is not None:  # a fenced code block
            height += len(text.splitlines()) * CODE_LINE_PX + CODE_BLOCK_PADDING_PX
            continue
        height += sum(_paragraph_px(paragraph.strip())
                      for paragraph in text.split("\n\n") if paragraph.strip())
    return height


def estimated_tops(blocks: tuple[literate.Block, ...]) -> list[int]:
    """Where each block starts on the page (px from its top), estimated."""
    tops, top = [], HEADER_PX
    for block in blocks:
        tops.append(top)
        if isinstance(block, literate.Prose):
            top += _prose_px(block)
        else:
            top += DIRECTIVE_PX.get(block.name, OTHER_DIRECTIVE_PX)
    return tops


def on_first_screen(top_px: int) -> bool:
    return top_px < FIRST_SCREEN_PX
