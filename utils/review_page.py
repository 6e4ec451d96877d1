"""The Review page (/review): spaced repetition of the chapters' check-your-understanding
questions, and their export as an Anki deck. The schedule (utils/review_schedule.py) is kept in
this browser with the learner's code (utils/learner_state.py, utils/browser_store.py).

A callable page, registered by utils/navigation.py, not a file under pages/: Streamlit would
serve a pages/review.py by itself (without the app's menu and browser store) for the first deep
link on a fresh server.
"""

from __future__ import annotations

from datetime import datetime, timezone

import streamlit as st

from utils import learner_state, page_icons, registry, review_schedule
from utils.caching import cache_data
from utils.cards import QuestionCard, all_cards, chapter_cards

REVEALED_KEY = "review_revealed"  # the id of the card whose answer is showing
CHAPTERS_KEY = "review_chapters"

INTRO = """
You forget most of what you read within days, unless you are asked for it again just as it
starts to fade. **Spaced repetition** does that asking: each question comes back after an
interval that grows every time you answer it well and shrinks when you don't. The cards here
are the chapters' *check your understanding* questions and the key facts (🔑) they mark; the
intervals come from
[FSRS](https://github.com/open-spaced-repetition/py-fsrs), the scheduler Anki uses. Answer in
your head (or on paper), then show the answer and say how it went.

Your reviews are kept in this browser with your code: no account, nothing on the server.
"""

ANKI = """
If you already live in Anki, export the cards as a deck instead: one subdeck per chapter,
the math rendered by Anki's MathJax, and each card linking back to its section. Importing a newer
export updates the cards you have rather than duplicating them (your Anki schedule is Anki's;
this page's schedule stays here).
"""


@cache_data(show_spinner=False)
def _deck(stems: tuple[str, ...]) -> bytes:
    # Imported here: genanki (and the YAML reader it brings) took a fresh server's first run of
    # any page 0.03 s to import, for the Review page's export alone (the navigation imports
    # this module).
    from utils.anki_export import deck_bytes

    return deck_bytes(list(stems))


def _chapter_labels() -> dict[str, str]:
    from utils.navigation import chapter_label  # here: navigation registers this page

    return {ch.stem: chapter_label(ch) for ch in registry.CHAPTERS
            if ch.available and chapter_cards(ch.stem)}


def _chapters_chosen() -> None:
    learner_state.set_review_state(dict(learner_state.review_state(),
                                        chapters=st.session_state[CHAPTERS_KEY]))


def _choose_chapters(labels: dict[str, str]) -> list[str]:
    # The kept state is the truth: the browser store restores it after the widget first ran empty.
    state = learner_state.review_state()
    if st.session_state.get(CHAPTERS_KEY) != state["chapters"]:
        st.session_state[CHAPTERS_KEY] = list(state["chapters"])
    return st.multiselect("Chapters to review", list(labels), format_func=labels.get,
                          key=CHAPTERS_KEY, on_change=_chapters_chosen,
                          placeholder="Choose the chapters you have read")


def _show_card(card: QuestionCard, state: dict, now: datetime) -> None:
    from utils.navigation import section_page

    with st.container(border=True):
        st.caption(f"{card.chapter} · {card.section}")
        st.markdown(card.front)
        if st.session_state.get(REVEALED_KEY) != card.id:
            if st.button("Show the answer", type="primary", key="review_show"):
                st.session_state[REVEALED_KEY] = card.id
                st.rerun()
            return
        st.divider()
        st.markdown(card.answer)
        st.page_link(section_page(card.stem, card.section_key), label="Read the section again",
                     icon=page_icons.READ_AGAIN)
        intervals = review_schedule.intervals(state, card.id, now)
        for column, (name, delta) in zip(st.columns(4), intervals.items()):
            label = f"{name.capitalize()} · {review_schedule.describe_interval(delta)}"
            if column.button(label, key=f"review_rate_{name}", width="stretch"):
                learner_state.set_review_state(review_schedule.rate(state, card.id, name, now))
                st.session_state.pop(REVEALED_KEY, None)
                st.rerun()


def _review(chosen: list[str]) -> None:
    if not chosen:
        st.info("Choose the chapters you have read: their cards join your reviews, at most "
                f"{review_schedule.NEW_PER_DAY} new ones a day.")
        return
    state = learner_state.review_state()
    now = datetime.now(timezone.utc)
    counts = review_schedule.counts(state, now)
    st.caption(f"{counts['due']} due now · {counts['new']} new today (at most "
               f"{review_schedule.NEW_PER_DAY} a day) · {counts['seen']} of {counts['total']} "
               "started")
    queue = review_schedule.due_cards(state, now)
    if queue:
        _show_card(queue[0], state, now)
        return
    upcoming = review_schedule.next_due(state)
    st.success("Nothing to review right now." + ("" if upcoming is None else (
        f" The next one is due in {review_schedule.describe_interval(upcoming - now)}.")))


def _anki_export(labels: dict[str, str]) -> None:
    st.header("Take them to Anki")
    st.markdown(ANKI)
    which = st.selectbox("Chapters", ["all"] + list(labels), key="review_export_which",
                         format_func=lambda s: f"All chapters ({len(all_cards())} cards)"
                         if s == "all" else f"{labels[s]} ({len(chapter_cards(s))} cards)")
    stems = tuple(labels) if which == "all" else (which,)
    st.download_button("Download the Anki deck (.apkg)", _deck(stems),
                       file_name="grokking-the-fundamentals.apkg" if which == "all"
                       else f"grokking-the-fundamentals-{which}.apkg",
                       mime="application/octet-stream", key="review_export", on_click="ignore")


def render_review_page() -> None:
    st.title("Review")
    st.markdown(INTRO)
    labels = _chapter_labels()
    _review(_choose_chapters(labels))
    _anki_export(labels)
