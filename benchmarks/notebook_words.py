"""How much of each chapter's lesson its notebook carries: words on the site's pages against words
in the notebook's Markdown cells, per chapter.

    python -m benchmarks.notebook_words            # every chapter
    python -m benchmarks.notebook_words part1_ray_tracing

A page's words are the text Streamlit would show on it, read from AppTest (prose, captions, info
boxes, titles, tasks, hints, questions and answers; not code, not the editors' contents). The
notebook's words are those of exercises/<chapter>.ipynb's Markdown cells. Target: the notebook
has at least 90 % of the page's words. Also prints the baseline: the worksheet (exercises/<chapter>.py).
"""

from __future__ import annotations

import json
import re
import sys

from tests.browser_site import open_page
from utils import registry
from utils.site_config import ROOT

WORD = re.compile(r"[A-Za-z0-9']+")
TEXT_ELEMENTS = ("title", "header", "subheader", "markdown", "caption", "info", "success",
                 "warning", "error")


def words(text: str) -> int:
    return len(WORD.findall(text))


def page_words(path: str) -> int:
    app = open_page(path, timeout=300)
    total = 0
    for kind in TEXT_ELEMENTS:
        total += sum(words(str(element.value)) for element in app.get(kind))
    total += sum(words(str(e.label)) for e in app.get("expander"))
    # The sidebar's menu and answers panel are the site's frame, not the lesson.
    total -= sum(words(str(e.value)) for kind in TEXT_ELEMENTS for e in app.sidebar.get(kind))
    return total


def notebook_words(stem: str) -> int:
    notebook = json.loads((ROOT / "exercises" / f"{stem}.ipynb").read_text())
    return sum(words("".join(cell["source"])) for cell in notebook["cells"]
               if cell["cell_type"] == "markdown")


def worksheet_words(stem: str) -> int:
    text = (ROOT / "exercises" / f"{stem}.py").read_text()
    return sum(words(line[1:]) for line in text.splitlines() if line.startswith("#"))


def main(stems: list[str]) -> None:
    print(f"{'chapter':<22}{'page':>8}{'notebook':>10}{'ratio':>8}{'worksheet (baseline)':>24}")
    for ch in registry.CHAPTERS:
        if stems and ch.stem not in stems:
            continue
        on_pages = sum(page_words(str(s.path.relative_to(ROOT))) for s in ch.section_sources())
        in_notebook = notebook_words(ch.stem)
        print(f"{ch.stem:<22}{on_pages:>8}{in_notebook:>10}{in_notebook / on_pages:>8.0%}"
              f"{worksheet_words(ch.stem):>24}")


if __name__ == "__main__":
    main(sys.argv[1:])
