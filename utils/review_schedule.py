"""When each review card is due: the FSRS scheduler over the cards of the chapters a learner
chose to review, as plain data that utils.learner_state keeps in the browser.

The state is one JSON-able dict:

    {"chapters": ["micrograd", ...],            # whose cards are in the review
     "cards": {card id: fsrs Card.to_dict()},   # every card reviewed at least once
     "new": {"day": "2026-11-30", "count": 3}}  # new cards started on that (UTC) day

A card nobody has reviewed yet is "new". New cards join at most NEW_PER_DAY a day, in the path's
order, so that choosing five chapters doesn't pour a hundred cards into one session; a card
reviewed once comes back when FSRS says it is due.
"""

from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone
from typing import Any

from fsrs import Card, Rating, Scheduler

from utils.cards import QuestionCard, all_cards, chapter_and_prompt

NEW_PER_DAY = 10
RATINGS = {"again": Rating.Again, "hard": Rating.Hard, "good": Rating.Good, "easy": Rating.Easy}
# No fuzzing: FSRS spreads intervals randomly to keep cards learned together from staying
# together; for a few hundred cards the spread matters less than a schedule the tests can state.
SCHEDULER = Scheduler(enable_fuzzing=False)


def empty_state() -> dict[str, Any]:
    return {"chapters": [], "cards": {}, "new": {"day": "", "count": 0}}


def valid_state(saved: Any) -> dict[str, Any]:
    """What a browser kept, cleaned: unknown chapters and cards, and malformed entries, dropped;
    a card kept under the id of the section it was in before takes its current id."""
    state = empty_state()
    if not isinstance(saved, dict):
        return state
    known = all_cards()
    stems = {card.stem for card in known.values()}
    chapters, cards = saved.get("chapters"), saved.get("cards")
    state["chapters"] = [s for s in (chapters if isinstance(chapters, list) else [])
                         if isinstance(s, str) and s in stems]
    moved = _moved_card_ids(known)
    latest: dict[str, tuple[tuple[datetime, bool], dict]] = {}
    for saved_id, card in (cards if isinstance(cards, dict) else {}).items():
        card_id = saved_id if saved_id in known else moved.get(chapter_and_prompt(saved_id))
        if card_id is None or not isinstance(card, dict):
            continue
        try:
            reviewed = _last_review(card)
        except (KeyError, TypeError, ValueError):
            continue
        # A card kept under more than one id (its current one and a former section's) keeps
        # its latest review; on a tie, the entry under its current id.
        rank = (reviewed or _NEVER, saved_id == card_id)
        if card_id not in latest or rank > latest[card_id][0]:
            latest[card_id] = (rank, card)
    state["cards"] = {card_id: card for card_id, (_, card) in latest.items()}
    new = saved.get("new")
    if isinstance(new, dict) and isinstance(new.get("day"), str) and \
            isinstance(new.get("count"), int):
        state["new"] = {"day": new["day"], "count": new["count"]}
    return state


_NEVER = datetime.min.replace(tzinfo=timezone.utc)


def _last_review(saved: dict) -> datetime | None:
    """When a kept card was last reviewed; ValueError for an entry fsrs cannot read, or whose
    times have no time zone (comparing one with now would fail on the Review page)."""
    card = Card.from_dict(saved)
    if any(when is not None and when.tzinfo is None for when in (card.due, card.last_review)):
        raise ValueError("a card's times must carry a time zone")
    return card.last_review


def _moved_card_ids(known: dict[str, QuestionCard]) -> dict[tuple[str, str], str]:
    """Each card's current id by its chapter and prompt, so that a card a release moved to
    another section of its chapter (a section split in two) keeps its review history. (Were one
    prompt asked in two sections of a chapter, a former id would go to the later one.)"""
    return {key: card_id for card_id in known
            if (key := chapter_and_prompt(card_id)) is not None}


def _day(now: datetime) -> str:
    return now.astimezone(timezone.utc).date().isoformat()


def new_left_today(state: dict[str, Any], now: datetime) -> int:
    started = state["new"]["count"] if state["new"]["day"] == _day(now) else 0
    return max(0, NEW_PER_DAY - started)


def chapter_queue(state: dict[str, Any]) -> list[QuestionCard]:
    """The chosen chapters' cards, in the path's order."""
    chosen = set(state["chapters"])
    return [card for card in all_cards().values() if card.stem in chosen]


def due_cards(state: dict[str, Any], now: datetime) -> list[QuestionCard]:
    """What to review now: the cards due (soonest first), then today's new ones."""
    queue = chapter_queue(state)
    seen = [card for card in queue if card.id in state["cards"]]
    due = sorted((card for card in seen
                  if Card.from_dict(state["cards"][card.id]).due <= now),
                 key=lambda card: Card.from_dict(state["cards"][card.id]).due)
    new = [card for card in queue if card.id not in state["cards"]]
    return due + new[:new_left_today(state, now)]


def next_due(state: dict[str, Any]) -> datetime | None:
    """When the next reviewed card of the chosen chapters falls due (None if none)."""
    dues = [Card.from_dict(state["cards"][card.id]).due for card in chapter_queue(state)
            if card.id in state["cards"]]
    return min(dues) if dues else None


def counts(state: dict[str, Any], now: datetime) -> dict[str, int]:
    queue = chapter_queue(state)
    seen = [card for card in queue if card.id in state["cards"]]
    return {"due": sum(Card.from_dict(state["cards"][c.id]).due <= now for c in seen),
            "new": min(new_left_today(state, now), len(queue) - len(seen)),
            "seen": len(seen), "total": len(queue)}


def rate(state: dict[str, Any], card_id: str, rating: str, now: datetime) -> dict[str, Any]:
    """The state after reviewing `card_id` with `rating` ("again", "hard", "good", "easy")."""
    state = copy.deepcopy(state)
    saved = state["cards"].get(card_id)
    if saved is None:  # a new card starts today
        day = _day(now)
        count = state["new"]["count"] if state["new"]["day"] == day else 0
        state["new"] = {"day": day, "count": count + 1}
        card = Card(due=now)
    else:
        card = Card.from_dict(saved)
    card, _ = SCHEDULER.review_card(card, RATINGS[rating], review_datetime=now)
    state["cards"][card_id] = card.to_dict()
    return state


def intervals(state: dict[str, Any], card_id: str, now: datetime) -> dict[str, timedelta]:
    """For each rating, how long until the card would come back."""
    out = {}
    for name in RATINGS:
        after = rate(state, card_id, name, now)
        out[name] = Card.from_dict(after["cards"][card_id]).due - now
    return out


def describe_interval(delta: timedelta) -> str:
    """'1 min', '10 min', '3 h', '4 days', '2 months'."""
    seconds = max(0, round(delta.total_seconds()))
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))} min"
    if seconds < 86400:
        return f"{round(seconds / 3600)} h"
    days = round(seconds / 86400)
    if days < 60:
        return f"{days} day" + ("s" if days != 1 else "")
    return f"{round(days / 30)} months"
