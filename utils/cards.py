"""The chapters' check-your-understanding questions as review cards.

Every `{question}` block of every available chapter's sections is a card: its prompt is the
front, its answer the back. So is every `{fact}` block, a key fact the chapter marks: its cue
("Key fact: the gradient of ...") is the front, the fact the back. A card's id is its chapter,
section and a hash of its prompt's text, so it stays the same across releases as long as the
question does (an edited prompt is a new card, whose review history starts again). A card that
moves to another section of its chapter keeps its history: `review_schedule.valid_state` finds
it by chapter and prompt.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass

from utils import registry


@dataclass(frozen=True)
class QuestionCard:
    """One question (or key fact) of one section, as a card."""

    id: str  # "<chapter stem>/<section key>/<12 hex digits>"
    stem: str
    chapter: str  # "4.2 · makemore 2: an MLP"
    section_key: str
    section: str  # the section's title
    prompt: str  # Markdown with $...$ math, as in the section source
    answer: str
    kind: str = "question"  # or "fact": the prompt is then a fact's cue

    @property
    def front(self) -> str:
        """What the card asks, as shown on the Review page and in Anki."""
        return f"**Key fact:** {self.prompt}" if self.kind == "fact" else self.prompt


def card_id(stem: str, section_key: str, prompt: str) -> str:
    """A stable id: whitespace in the prompt does not change it, a changed word does."""
    normal = re.sub(r"\s+", " ", prompt).strip()
    return f"{stem}/{section_key}/{hashlib.sha1(normal.encode()).hexdigest()[:12]}"


def chapter_and_prompt(card_id: object) -> tuple[str, str] | None:
    """(chapter stem, prompt hash) of a `card_id`, the same wherever in its chapter the card is;
    None for anything else."""
    parts = card_id.split("/") if isinstance(card_id, str) else []
    return (parts[0], parts[2]) if len(parts) == 3 else None


@functools.lru_cache(maxsize=None)
def chapter_cards(stem: str) -> tuple[QuestionCard, ...]:
    """A chapter's cards, questions and facts, in the order its sections show them."""
    ch = registry.chapter(stem)
    label = f"{ch.number} · {ch.title}"
    cards = []
    for source in ch.section_outlines():
        for block in source.directive_blocks:
            if block.name in ("question", "fact"):
                prompt, answer = block.question_parts
                cards.append(QuestionCard(card_id(stem, source.key, prompt), stem, label,
                                          source.key, source.title, prompt, answer, block.name))
    return tuple(cards)


@functools.lru_cache(maxsize=1)
def all_cards() -> dict[str, QuestionCard]:
    """Every available chapter's cards by id, chapters in the path's order."""
    return {card.id: card for ch in registry.CHAPTERS if ch.available
            for card in chapter_cards(ch.stem)}
