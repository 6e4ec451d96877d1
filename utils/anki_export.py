"""The review cards as an Anki deck (.apkg), written with genanki.

One deck per chapter, named "Grokking the Fundamentals::<number> · <title>", so Anki shows them
as subdecks of one. A note's guid comes from the card's id, so importing a newer export updates
the notes instead of duplicating them. Math stays math: `$...$` and `$$...$$` become MathJax's
`\\(...\\)` and `\\[...\\]`, which Anki renders; the rest of the Markdown becomes HTML.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import tempfile

import genanki
from markdown_it import MarkdownIt

from utils.cards import QuestionCard, chapter_cards
from utils.site_config import page_url

DECK_ROOT = "Grokking the Fundamentals"
MODEL_ID = 1_766_310_021  # fixed forever: Anki matches notes' model by it
MODEL = genanki.Model(
    MODEL_ID, "Grokking the Fundamentals question",
    fields=[{"name": "Prompt"}, {"name": "Answer"}, {"name": "Where"}, {"name": "Link"}],
    templates=[{
        "name": "Question",
        "qfmt": '{{Prompt}}<div class="where">{{Where}}</div>',
        "afmt": '{{FrontSide}}<hr id="answer">{{Answer}}'
                '<div class="where"><a href="{{Link}}">the section on the site</a></div>',
    }],
    css=".card { font-family: sans-serif; font-size: 18px; text-align: left; }\n"
        ".where { margin-top: 1em; font-size: 13px; color: #777; }\n"
        "code { font-size: 16px; }",
)
_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")
_MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$", re.DOTALL)


def to_html(markdown: str) -> str:
    """Markdown with $-math as HTML with MathJax delimiters (math kept out of the Markdown
    parser, which would read its underscores and asterisks as emphasis)."""
    spans: list[str] = []

    def hold(match: re.Match) -> str:
        display, inline = match.group(1), match.group(2)
        spans.append(r"\[" + display + r"\]" if display is not None else r"\(" + inline + r"\)")
        return f"MATHSPAN{len(spans) - 1}END"

    rendered = _MARKDOWN.render(_MATH.sub(hold, markdown))
    return re.sub(r"MATHSPAN(\d+)END", lambda m: html.escape(spans[int(m.group(1))], quote=False),
                  rendered)


def _deck_id(stem: str) -> int:
    return int(hashlib.sha1(f"gtf-deck:{stem}".encode()).hexdigest()[:8], 16)


def note_for(card: QuestionCard) -> genanki.Note:
    return genanki.Note(model=MODEL, guid=genanki.guid_for(card.id), tags=[card.stem],
                        fields=[to_html(card.front), to_html(card.answer),
                                html.escape(f"{card.chapter} · {card.section}"),
                                page_url(card.stem, card.section_key)])


def deck_bytes(stems: list[str]) -> bytes:
    """An .apkg file with one deck per chapter in `stems`."""
    decks = []
    for stem in stems:
        cards = chapter_cards(stem)
        if not cards:
            continue
        deck = genanki.Deck(_deck_id(stem), f"{DECK_ROOT}::{cards[0].chapter}")
        for card in cards:
            deck.add_note(note_for(card))
        decks.append(deck)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "deck.apkg")
        genanki.Package(decks).write_to_file(path)
        with open(path, "rb") as f:
            return f.read()
