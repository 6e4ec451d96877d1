"""The path: six stages in the seed's order, every available chapter in exactly one, numbered by
its place; the next step is the first exercise on the path not yet passed; the home page says it."""

from __future__ import annotations

from tests.browser_site import open_page
from utils import registry
from utils.learning_path import (STAGES, chapter_minutes, describe_minutes, next_step,
                                 stage_chapters)
from utils.status import Status


def test_every_chapter_sits_in_one_stage_in_path_order() -> None:
    assert [s.number for s in STAGES] == [1, 2, 3, 4, 5, 6]
    assert [s.name for s in STAGES][2:4] == ["Backpropagation: micrograd",
                                             "Language models: makemore"]
    placed = [ch.stem for s in STAGES for ch in stage_chapters(s.number)]
    assert placed == [ch.stem for ch in registry.CHAPTERS if ch.available]
    for stage in STAGES:
        numbers = [ch.number for ch in stage_chapters(stage.number)]
        assert all(n.split(".")[0] == str(stage.number) for n in numbers)


def test_minutes_add_up_the_exercises_and_read_well() -> None:
    ch = registry.chapter("micrograd")
    low, high = chapter_minutes(ch)
    assert low == sum(ex.minutes[0] for ex in ch.exercises if not ex.bonus) and high >= low
    assert describe_minutes(20, 45) == "20-45 min"
    assert describe_minutes(100, 250) == "about 2-4 h"


def test_the_next_step_is_the_first_unpassed_exercise_on_the_path() -> None:
    first = next_step(lambda ex: None)
    assert first.chapter.number == "1" and first.exercise == first.chapter.exercises[0]
    passed_all_of_stage_1_to_3 = {ex.id for s in (1, 2, 3) for ch in stage_chapters(s)
                                  for ex in ch.exercises}
    step = next_step(lambda ex: Status.PASSED if ex.id in passed_all_of_stage_1_to_3 else None)
    assert step.chapter.stage == 4
    assert next_step(lambda ex: Status.PASSED) is None


def test_the_home_page_shows_the_stages_and_where_to_go_next() -> None:
    app = open_page("pages/home.py")
    assert not app.exception
    shown = " ".join(m.value for m in app.markdown) + " ".join(s.value for s in app.subheader)
    assert "Where to go next" in shown
    for stage in STAGES:
        if stage_chapters(stage.number):
            assert f"Stage {stage.number} · {stage.name}" in shown
