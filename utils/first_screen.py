"""Roughly where a section's blocks start on the page: which are on a learner's first screen.

A fresh browser does one thing at a time, so a page's first view should not spend it on what is
below the screen: the front-end code only a chart or an editor further down needs is fetched
once the page is drawn (utils/preload.py), and such elements are drawn when they come near the
screen (utils/static_modules.py). What the first screen holds decides what is fetched at once.

An estimate from the source alone (the server knows no screen): lines of prose at a wide
layout's width, lines of code, a typical height for each directive's output. Misjudging a block
costs time, never content: a module fetched later is fetched by the element that needs it.
"""

from __future__ import annotations

import math

from utils import literate

# A laptop's browser window, less its bars: what a learner sees before scrolling.
FIRST_SCREEN_PX = 1000
# The section's title, its tools and the chapter's header above the first block.
HEADER_PX = 280
# Prose at the wide layout on such a screen: characters per line, and line heights (px).
CHARS_PER_LINE = 110
PROSE_LINE_PX, CODE_LINE_PX = 30, 21
PARAGRAPH_GAP_PX, CODE_BLOCK_PADDING_PX = 22, 40
# A directive's output, typically (a chart is 450 px tall by default; an exercise is its task,
# a few lines of editor and its buttons).
DIRECTIVE_PX = {"figure": 470, "widget": 520, "exercise": 420, "question": 70, "fact": 70}
OTHER_DIRECTIVE_PX = 0  # given, site-only, notebook-only, chapter-contents: text, or nothing


def _prose_px(prose: literate.Prose) -> int:
    height = 0
    for text, language in prose.pieces():
        if language is not None:  # a fenced code block
            height += text.count("\n") * CODE_LINE_PX + CODE_LINE_PX + CODE_BLOCK_PADDING_PX
            continue
        for paragraph in text.split("\n\n"):
            if paragraph.strip():
                lines = math.ceil(len(paragraph.strip()) / CHARS_PER_LINE)
                height += lines * PROSE_LINE_PX + PARAGRAPH_GAP_PX
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
