"""The exercise block's icon, verdict and reset agree; the sidebar menu always shows where you are.

AppTest cannot submit code through the editor (see the editor probe), so a run's result is put
in the learner state the way the Run button's path does, and the block is drawn after it.
"""

import io
from contextlib import redirect_stdout

from streamlit.testing.v1 import AppTest

from utils import check_runner, registry
from utils.navigation import menu_entries
from utils.site_config import section_path
from utils.status import Status

EX_ID = "part1_ray_tracing.intersect_ray_1d"


def _block_app():
    import streamlit as st

    from utils import learner_state, registry, widgets
    from utils.runner import RunResult

    ex = registry.get("part1_ray_tracing.intersect_ray_1d")
    pending = st.session_state.pop("test_run_status", None)
    if pending:
        learner_state.set_result(ex, RunResult(pending, f"the {pending} message", "", 0.1))
    widgets.exercise(ex.id)


def _title(app: AppTest) -> str:
    return next(m.value for m in app.markdown if "Exercise:" in m.value)


def test_icon_and_verdict_follow_the_last_run_and_reset_clears_both():
    app = AppTest.from_function(_block_app, default_timeout=60).run()
    assert _title(app).startswith("#### · ") and not app.success and not app.error

    app.session_state["test_run_status"] = "passed"
    app.run()
    assert _title(app).startswith("#### ✅ ") and "Passed" in app.success[0].value

    app.session_state["test_run_status"] = "failed"  # a later wrong answer: no ✅ left over
    app.run()
    assert _title(app).startswith("#### ❌ ") and "Not yet" in app.error[0].value
    assert not app.success

    app.session_state["test_run_status"] = "error"  # the verdict box wears the title's icon
    app.run()
    assert _title(app).startswith("#### ⚠️ ") and app.error[0].icon == "⚠️"

    app.session_state["test_run_status"] = "passed"
    app.run()
    next(b for b in app.button if b.label == "Reset to the stub").click()
    app.run()
    assert _title(app).startswith("#### · ") and not app.success and not app.error


def test_a_passing_run_prints_nothing_of_the_checks_own():
    """"What your code printed" shows the learner's output only: the checks' success lines are
    not printed where the verdict is reported (the runner's child calls run_checks)."""
    from solutions import part1_ray_tracing as solutions

    ex = registry.get(EX_ID)
    out = io.StringIO()
    with redirect_stdout(out):
        result = check_runner.run_checks(ex, solutions.intersect_ray_1d)
    assert result.status == Status.PASSED
    assert out.getvalue() == ""


def test_sidebar_menu_shows_the_current_page_and_stays_short():
    """Every page's menu lists that page, the chapter's other sections, and every other chapter
    as one entry, so nothing collapses behind "View N more"."""
    every_path = ["", "review"] + [section_path(ch.stem, key) for ch in registry.CHAPTERS
                                   if ch.available for key, _ in ch.sections]
    for page_path in every_path:
        rows = menu_entries(page_path)
        paths = [key if stem is None else section_path(stem, key)  # Home "", Review "review"
                 for _, stem, key in rows if key is not None]
        assert page_path in paths, (page_path, rows)
        chapters = [ch for ch in registry.CHAPTERS if ch.available]
        longest = max(len(ch.sections) for ch in chapters)
        assert len(rows) <= 2 + len(chapters) + longest, rows
