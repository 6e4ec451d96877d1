"""Download all answers as a file and upload it back, without losing work."""

import subprocess
import sys

import pytest

from utils import answers, registry, sources
from utils.site_config import ROOT

STEM = "part1_ray_tracing"
CHAPTER = registry.chapter(STEM)


def _typed_answers() -> dict[str, str]:
    first, second = CHAPTER.exercises[:2]
    return {
        first.name: "HELPER = 3  # typed next to the answer\n\n" + sources.solution_source(first),
        second.name: sources.stub_source(second).replace("raise NotImplementedError()",
                                                         "return (1 +  # unfinished"),
    }


def test_round_trip_keeps_helpers_and_unfinished_code():
    typed = _typed_answers()
    back = answers.parse_answers(STEM, answers.answers_file(STEM, typed))
    assert back == {name: code.strip("\n") for name, code in typed.items()}


def test_uploading_the_fresh_exercise_file_changes_nothing():
    pristine = (ROOT / "exercises" / f"{STEM}.py").read_text()
    assert answers.parse_answers(STEM, pristine) == {}


def test_a_plain_file_gives_back_its_definitions():
    ex = CHAPTER.exercises[0]
    text = "import torch as t\n\n" + sources.solution_source(ex) + "\n\nprint('hi')\n"
    assert answers.parse_answers(STEM, text) == {ex.name: sources.solution_source(ex)}


def test_a_plain_file_with_a_syntax_error_says_where():
    try:
        answers.parse_answers(STEM, "def make_rays_1d(:\n")
    except ValueError as err:
        assert "line 1" in str(err)
    else:
        raise AssertionError("no error")


def test_downloaded_file_runs_its_checks(tmp_path):
    ex = CHAPTER.exercises[0]
    path = ROOT / "exercises" / "_test_download.py"
    path.write_text(answers.answers_file(STEM, {ex.name: sources.solution_source(ex)}))
    try:
        out = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                             timeout=120)
    finally:
        path.unlink()
    assert f"✓ passed               {ex.name}" in out.stdout


def test_downloaded_file_outside_the_repository_says_what_to_do(tmp_path):
    path = tmp_path / "answers.py"
    path.write_text(answers.answers_file(STEM, {}))
    out = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=60)
    assert out.returncode != 0 and "exercises/ folder of a clone" in out.stderr


def test_progress_travels_with_the_answers_file_and_comes_back():
    import json

    from utils import learner_state, review_schedule
    from utils.cards import chapter_cards
    from utils.status import Status

    ex = registry.chapter(STEM).exercises[0]
    attempt = learner_state.practice(ex)
    card = chapter_cards(STEM)[0]
    learner_state.set_review_state(review_schedule.empty_state())
    state = dict(review_schedule.empty_state(), chapters=[STEM])
    from datetime import datetime, timezone
    learner_state.set_review_state(review_schedule.rate(state, card.id, "good",
                                                        datetime.now(timezone.utc)))
    learner_state._table(learner_state._STATUS).clear()  # bare-mode state is shared by tests
    learner_state._table(learner_state._STATUS).update({ex.id: Status.PASSED,
                                                       attempt.id: Status.FAILED,
                                                       "micrograd.Value": Status.PASSED})
    progress = learner_state.chapter_progress(STEM)
    assert progress["status"] == {ex.id: "passed", attempt.id: "failed"}  # this chapter's only
    text = answers.answers_file(STEM, {}, progress)
    assert json.loads(json.dumps(answers.parse_progress(text))) == progress
    assert answers.parse_answers(STEM, text) == {}  # the progress cell defines nothing

    learner_state._table(learner_state._STATUS).clear()
    learner_state.set_review_state(review_schedule.empty_state())
    learner_state.merge_progress(answers.parse_progress(text))
    assert learner_state.status(ex) == Status.PASSED
    assert learner_state.status(attempt) == Status.FAILED
    assert list(learner_state.review_state()["cards"]) == [card.id]
    assert learner_state.review_state()["chapters"] == [STEM]
    learner_state.set_review_state(review_schedule.empty_state())
    learner_state._table(learner_state._STATUS).clear()

    broken = text.replace(answers.PROGRESS_MARKER + "{", answers.PROGRESS_MARKER + "{{")
    with pytest.raises(ValueError, match="progress line"):
        answers.parse_progress(broken)
    assert answers.parse_progress(answers.answers_file(STEM, {})) is None


def test_a_demo_runs_code_pasted_with_its_exercise_decorator():
    """The exercise's own run accepts code copied with its `@exercise(...)` line (its namespace
    is the solutions module's), so the demos that run the whole answers file must too."""
    from utils.runner.namespace import answers_namespace

    ex = CHAPTER.exercises[0]
    decorated = ("@exercise(title='t', difficulty=1, importance=1, minutes=(1, 2), task='t', "
                 "hints=('h',))\n" + sources.solution_source(ex))
    code = answers.reference_file(STEM, {ex.name: decorated})
    namespace = answers_namespace(STEM)
    exec(compile(code, "answers.py", "exec"), namespace)
    assert callable(namespace[ex.name])
