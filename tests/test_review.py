"""Spaced repetition: every chapter's questions are cards with stable ids; the schedule brings a
card back later the better it was answered, starts at most NEW_PER_DAY new cards a day, survives
the browser store's round trip; the Review page reviews a card; the Anki export opens as a
collection with one note per card."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import tempfile
import zipfile
from datetime import datetime, timedelta, timezone


from tests.browser_site import open_page
from utils import learner_state, registry, review_schedule
from utils.anki_export import deck_bytes, to_html
from utils.cards import all_cards, card_id, chapter_cards

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)


def test_every_question_and_key_fact_of_every_chapter_is_a_card_with_a_unique_stable_id() -> None:
    cards = all_cards()
    sources = [source for ch in registry.CHAPTERS if ch.available
               for source in ch.section_sources()]
    questions = sum(len(source.directives("question")) for source in sources)
    facts = sum(len(source.directives("fact")) for source in sources)
    assert len(cards) == questions + facts and questions > 100
    assert sum(card.kind == "fact" for card in cards.values()) == facts
    assert all(card.prompt and card.answer for card in cards.values())
    card = next(iter(cards.values()))
    assert card_id(card.stem, card.section_key, "  " + card.prompt.replace(" ", "\n ")) == card.id
    assert card_id(card.stem, card.section_key, card.prompt + " (edited)") != card.id


def test_a_good_answer_comes_back_later_than_a_bad_one_and_new_cards_are_rationed() -> None:
    state = dict(review_schedule.empty_state(), chapters=["micrograd"])
    total = len(chapter_cards("micrograd"))
    queue = review_schedule.due_cards(state, NOW)
    assert len(queue) == min(total, review_schedule.NEW_PER_DAY)
    first = queue[0].id
    gaps = review_schedule.intervals(state, first, NOW)
    assert gaps["again"] < gaps["hard"] <= gaps["good"] < gaps["easy"]
    state = review_schedule.rate(state, first, "good", NOW)
    assert review_schedule.counts(state, NOW) == {
        "due": 0, "new": review_schedule.NEW_PER_DAY - 1, "seen": 1, "total": total}
    for card in review_schedule.due_cards(state, NOW):  # finish today's new cards
        state = review_schedule.rate(state, card.id, "easy", NOW)
    assert review_schedule.due_cards(state, NOW) == []
    tomorrow = NOW + timedelta(days=1)  # the first card (10 min) is due, and ten new ones again
    due = review_schedule.due_cards(state, tomorrow)
    assert due[0].id == first and len(due) == 1 + min(review_schedule.NEW_PER_DAY,
                                                       total - review_schedule.NEW_PER_DAY)


def test_the_schedule_survives_the_browser_store_and_bad_entries_are_dropped() -> None:
    state = dict(review_schedule.empty_state(), chapters=["micrograd", "gone_chapter"])
    first = review_schedule.due_cards(state, NOW)[0].id
    state = review_schedule.rate(state, first, "good", NOW)
    state["cards"]["micrograd/none/000000000000"] = {"due": "never"}
    learner_state.set_review_state(review_schedule.empty_state())
    learner_state.restore(json.loads(json.dumps({"review": state})))
    kept = learner_state.review_state()
    assert kept["chapters"] == ["micrograd"] and list(kept["cards"]) == [first]
    assert json.loads(json.dumps(learner_state.snapshot()))["review"] == kept
    learner_state.restore({"review": review_schedule.empty_state()})  # this session's state wins
    assert learner_state.review_state() == kept
    learner_state.set_review_state(review_schedule.empty_state())


def test_a_card_moved_to_another_section_of_its_chapter_keeps_its_history() -> None:
    # 5.3's first section was split in two: its RMSprop and Adam facts moved from "optimizers"
    # (a section that still exists) to "adaptive_optimizers".
    moved = [card for card in chapter_cards("part3_optimization")
             if card.section_key == "adaptive_optimizers" and card.kind == "fact"]
    assert len(moved) >= 2
    card, other = moved[:2]

    def former(c) -> str:
        return c.id.replace("/adaptive_optimizers/", "/optimizers/")

    def reviewed(c, rating: str, days: int) -> dict:
        state = review_schedule.rate(review_schedule.empty_state(), c.id, rating,
                                     NOW + timedelta(days=days))
        return state["cards"][c.id]

    entry, older, newer = reviewed(card, "good", 0), reviewed(other, "again", 0), \
        reviewed(other, "easy", 1)
    naive = dict(entry, due=entry["due"][:19], last_review=entry["last_review"][:19])
    kept = review_schedule.valid_state({"cards": {
        former(card): entry,
        card.id: naive,  # unreadable: the entry under the former id is kept
        other.id: older,
        former(other): newer,  # the later review wins, under whichever id it was kept
        "part3_optimization/a_former_section/" + other.id.split("/")[2]: older,
        "part3_optimization/optimizers/000000000000": entry,  # no card has this prompt
        "micrograd/x/" + card.id.split("/")[2]: entry,  # the prompt is another chapter's
        "part3_optimization/" + card.id.split("/")[2]: entry,  # not an id's shape
        "a/b/c/d": entry}})
    assert kept["cards"] == {card.id: entry, other.id: newer}
    assert review_schedule.valid_state({"cards": {card.id: naive}})["cards"] == {}


def test_the_review_page_reviews_a_card() -> None:
    at = open_page("review")
    assert not at.exception
    at.multiselect(key="review_chapters").select("micrograd").run()
    first = chapter_cards("micrograd")[0]
    assert any(first.prompt[:40] in m.value for m in at.markdown)
    at.button(key="review_show").click().run()
    assert any(first.answer[:40] in m.value for m in at.markdown)
    at.button(key="review_rate_good").click().run()
    assert not at.exception
    state = at.session_state["gtf_review"]
    assert list(state["cards"]) == [first.id]
    second = chapter_cards("micrograd")[1]
    assert any(second.prompt[:40] in m.value for m in at.markdown)


def test_math_becomes_mathjax_and_markdown_html() -> None:
    assert to_html("Loss $-\\ln p_{y}$, **bold**, $$a_1 * b_2$$") == (
        "<p>Loss \\(-\\ln p_{y}\\), <strong>bold</strong>, \\[a_1 * b_2\\]</p>\n")


def test_the_anki_deck_opens_with_one_note_per_card() -> None:
    stems = ["micrograd", "makemore_mlp"]
    package = zipfile.ZipFile(io.BytesIO(deck_bytes(stems)))
    assert "collection.anki2" in package.namelist()
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "collection.anki2")
        with open(path, "wb") as f:
            f.write(package.read("collection.anki2"))
        db = sqlite3.connect(path)
        try:
            notes = db.execute("select flds, tags from notes").fetchall()
            decks = json.loads(db.execute("select decks from col").fetchone()[0])
        finally:
            db.close()
    assert len(notes) == sum(len(chapter_cards(s)) for s in stems)
    names = {deck["name"] for deck in decks.values()}
    assert "Grokking the Fundamentals::3 · micrograd" in names or any(
        name.startswith("Grokking the Fundamentals::3 ") for name in names)
    prompt, answer, where, link = notes[0][0].split("\x1f")
    assert "\\(" in prompt + answer and link.startswith("https://") and "micrograd" in notes[0][1]


def test_a_key_fact_is_a_card_whose_front_is_its_cue(tmp_path) -> None:
    from utils import literate
    from utils.anki_export import note_for
    from utils.cards import QuestionCard

    path = tmp_path / "1_s.md"
    path.write_text("# S\n\n```{fact}\nThe derivative of $\\tanh$\n\n$1 - \\tanh^2 x$.\n```\n")
    (block,) = literate.read_section(path).directives("fact")
    cue, fact = block.question_parts
    card = QuestionCard("micrograd/s/x", "micrograd", "3 · micrograd", "s", "S", cue, fact, "fact")
    assert card.front == "**Key fact:** The derivative of $\\tanh$"
    front = note_for(card).fields[0]
    assert "Key fact" in front and r"\(\tanh\)" in front
