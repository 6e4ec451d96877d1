"""The chapters' check-your-understanding questions as review cards.

Every `{question}` block of every available chapter's sections is a card: its prompt is the
front, its answer the back. A card's id is its chapter, section and a hash of its prompt's text,
so it stays the same across releases as long as the question does (an edited prompt is a new
card, whose review history starts again).
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass

from utils import registry


@dataclass(frozen=True)
class QuestionCard:
    """One question of one section, as a card."""

    id: str  # "<chapter stem>/<section key>/<12 hex digits>"
    stem: str
    chapter: str  # "4.2 · makemore 2: an MLP"
    section_key: str
    section: str  # the section's title
    prompt: str  # Markdown with $...$ math, as in the section source
    answer: str


def card_id(stem: str, section_key: str, prompt: str) -> str:
    """A stable id: whitespace in the prompt does not change it, a changed word does."""
    normal = re.sub(r"\s+", " ", prompt).strip()
    return f"{stem}/{section_key}/{hashlib.sha1(normal.encode()).hexdigest()[:12]}"


@functools.lru_cache(maxsize=None)
def chapter_cards(stem: str) -> tuple[QuestionCard, ...]:
    """A chapter's cards, in the order its sections ask them."""
    ch = registry.chapter(stem)
    label = f"{ch.number} · {ch.title}"
    cards = []
    for source in ch.section_sources():
        for block in source.directives("question"):
            prompt, answer = block.question_parts
            cards.append(QuestionCard(card_id(stem, source.key, prompt), stem, label, source.key,
                                      source.title, prompt, answer))
    return tuple(cards)


@functools.lru_cache(maxsize=1)
def all_cards() -> dict[str, QuestionCard]:
    """Every available chapter's cards by id, chapters in the path's order."""
    return {card.id: card for ch in registry.CHAPTERS if ch.available
            for card in chapter_cards(ch.stem)}
