"""The code blocks (utils/code_block.py) an AppTest run drew, as the text a learner reads."""

from __future__ import annotations

import html
import re

_CODE = re.compile(r'data-testid="gtfCode"><pre><code>(.*?)</code></pre>', re.DOTALL)


def code_blocks(node) -> list[str]:
    """The text of every code block under `node` (an AppTest, or a block of it), in order."""
    texts = []
    for element in node.get("html"):
        for body in _CODE.findall(element.proto.body):
            texts.append(html.unescape(re.sub(r"<[^>]+>", "", body)))
    return texts
