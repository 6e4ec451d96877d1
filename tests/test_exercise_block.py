"""The exercise block's icon, verdict and reset agree; the sidebar menu always shows where you are.

AppTest cannot submit code through the editor (see the editor probe), so a run's result is put
in the learner state the way the Run button's path does, and the block is drawn after it.
"""

import io
from contextlib import redirect_stdout

from streamlit.testing.v1 import AppTest

from tests.app_code import code_blocks

from utils import check_runner, registry
from utils.navigation import entry_path, menu_entries
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
    next(b for b in app.button if b.label == "Undo the reset").click()  # the verdict comes back
    app.run()
    assert _title(app).startswith("#### ✅ ") and "Passed" in app.success[0].value


def _code_app():
    import streamlit as st

    from utils import learner_state, registry, widgets

    ex = registry.get("part1_ray_tracing.intersect_ray_1d")
    typed = st.session_state.pop("test_typed", None)
    if typed is not None:  # what the editor's leave callback does
        learner_state.set_code(ex, typed)
    widgets.exercise(ex.id)
    st.session_state["test_code_now"] = learner_state.code(ex)


def test_a_reset_can_be_undone_until_the_exercise_is_run_again():
    from utils import sources

    stub = sources.stub_source(registry.get(EX_ID))
    app = AppTest.from_function(_code_app, default_timeout=60).run()
    app.session_state["test_typed"] = "def intersect_ray_1d(ray, segment):\n    return True\n"
    app.run()
    next(b for b in app.button if b.label == "Reset to the stub").click()
    app.run()
    assert app.session_state["test_code_now"] == stub
    assert not [b for b in app.button if b.label == "Reset to the stub"]
    next(b for b in app.button if b.label == "Undo the reset").click()
    app.run()
    assert "return True" in app.session_state["test_code_now"]
    assert not [b for b in app.button if b.label == "Undo the reset"]

    # Reset, type a little, then undo: the code from before the reset comes back.
    next(b for b in app.button if b.label == "Reset to the stub").click()
    app.run()
    app.session_state["test_typed"] = stub + "# new typing\n"
    app.run()
    next(b for b in app.button if b.label == "Undo the reset").click()
    app.run()
    assert "return True" in app.session_state["test_code_now"]


def test_a_verdict_survives_the_script_thread_that_posted_it_being_stopped(monkeypatch):
    """Run pressed on another exercise while a run is going: Streamlit stops the old script
    thread at its next interrupt point (reading session state is one), after the run; its
    verdict stays posted for the live thread, which takes it in at its next read."""
    import streamlit as st

    from utils import learner_state
    from utils.runner import RunResult

    ex = registry.get(EX_ID)
    book = learner_state.RunBook()
    ticket = book.issue(ex.id)

    class StoppedThread:  # what session state is to a replaced thread
        def get(self, key, default=None):
            raise RuntimeError("stopped")

        setdefault = get

    with monkeypatch.context() as stopped:
        stopped.setattr(st, "session_state", StoppedThread())
        try:
            learner_state.record_result(book, ex, ticket, RunResult("failed", "behind", "", 0.1))
        except RuntimeError:
            pass
    assert book.has_posted()
    st.session_state[learner_state._RUN_BOOK] = book
    try:
        assert learner_state.status(ex) == Status.FAILED
        assert learner_state.result(ex).message == "behind" and not book.pending()
    finally:
        learner_state.clear_result(ex)
        del st.session_state[learner_state._RUN_BOOK]


def test_only_the_newest_run_of_an_exercise_gives_its_verdict():
    """Three clicks on Run, or a reset (an undo, an upload) during a run: a verdict is kept only
    for the code the learner last asked about, and a superseded run stops waiting."""
    import streamlit as st

    from utils import learner_state, runner, sources
    from utils.runner import RunResult

    ex = registry.get(EX_ID)
    book = learner_state.run_book()
    try:
        first, second = book.issue(ex.id), book.issue(ex.id)
        book.post(ex.id, first, RunResult("passed", "v1", "", 0.1))
        assert not book.has_posted() and book.pending()
        book.post(ex.id, second, RunResult("failed", "v2", "", 0.1))
        assert learner_state.result(ex).message == "v2" and not book.pending()

        third = book.issue(ex.id)
        learner_state.replace_code(ex, sources.stub_source(ex))  # a reset during the run
        learner_state.clear_result(ex)
        learner_state.record_result(book, ex, third, RunResult("passed", "v3", "", 0.1))
        assert learner_state.result(ex) is None and learner_state.status(ex) is None

        gave_up = runner.after_previous_run(
            lambda: runner._refusal(runner.ALREADY_RUNNING_MESSAGE), patience_s=60,
            wanted=lambda: book.wanted(ex.id, third))
        assert gave_up.message == runner.SUPERSEDED_MESSAGE and runner.never_started(gave_up)
    finally:
        learner_state.clear_result(ex)
        st.session_state.pop(learner_state._RUN_BOOK, None)


def _restored_app():
    import streamlit as st

    from utils import learner_state, registry, sources, widgets

    ex = registry.get("part1_ray_tracing.intersect_ray_1d")
    if "test_restored" not in st.session_state:  # an earlier visit's code and status, no result
        st.session_state["test_restored"] = True
        learner_state.restore({"code": {ex.id: sources.solution_source(ex)},
                               "status": {ex.id: "passed"}})
    widgets.exercise(ex.id)


def test_undoing_a_reset_brings_back_a_status_kept_from_an_earlier_visit():
    app = AppTest.from_function(_restored_app, default_timeout=60).run()
    assert _title(app).startswith("#### ✅ ")
    next(b for b in app.button if b.label == "Reset to the stub").click()
    app.run()
    assert _title(app).startswith("#### · ")
    next(b for b in app.button if b.label == "Undo the reset").click()
    app.run()
    assert _title(app).startswith("#### ✅ ")


def _passed_app():
    import streamlit as st

    from utils import learner_state, registry, widgets
    from utils.runner import RunResult

    ex = registry.get("part1_ray_tracing.intersect_ray_1d")
    if "test_passed" not in st.session_state:
        st.session_state["test_passed"] = True
        learner_state.set_result(ex, RunResult("passed", "all checks passed", "", 0.1))
    widgets.exercise(ex.id)


def test_a_run_the_server_refused_is_shown_but_is_not_the_verdict(monkeypatch):
    """A busy server (or the learner's previous run still going) says so, and the exercise
    keeps the verdict of its last real run."""
    import utils.runner as runner
    from utils import widgets

    app = AppTest.from_function(_passed_app, default_timeout=60).run()
    assert _title(app).startswith("#### ✅ ")
    monkeypatch.setattr(widgets, "code_editor", lambda *args, **kwargs: "def f(): pass")
    monkeypatch.setattr(widgets, "run",
                        lambda *args, **kwargs: runner._refusal(runner.BUSY_MESSAGE))
    app.run()
    assert _title(app).startswith("#### ✅ ") and "Passed" in app.success[0].value
    assert any(runner.BUSY_MESSAGE in w.value for w in app.warning)
    assert runner.never_started(runner._refusal(runner.ALREADY_RUNNING_MESSAGE))
    assert not runner.never_started(runner._refusal("Your code is 200,000 characters long"))


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
        paths = [entry_path(stem, key) for _, stem, key in rows if key is not None]
        assert page_path in paths, (page_path, rows)
        chapters = [ch for ch in registry.CHAPTERS if ch.available]
        longest = max(len(ch.sections) for ch in chapters)
        assert len(rows) <= 2 + len(chapters) + longest, rows


def test_the_menu_is_one_piece_of_links_with_the_current_page_marked():
    """The sidebar menu is one element (utils/navigation.py): a link per entry, relative to the
    page (wherever the site is served), labels escaped, and the page you are on marked."""
    import html
    import re

    from utils.navigation import menu_html

    link = re.compile(r'<a class="gtf-menu-link" href="([^"]*)"( aria-current="page")?>')
    for here, marked in [(section_path("part4_backprop", "graph"), None), ("", "./"),
                         ("review", "review")]:
        page = menu_html(here)
        rows = [row for row in menu_entries(here) if row[2] is not None]
        links = link.findall(page)
        assert [href for href, _ in links] == [entry_path(stem, key) or "./"
                                               for _, stem, key in rows]
        assert [href for href, current in links if current] == [marked or here]
        assert all(html.escape(label) in page for label, _, _ in menu_entries(here))
        assert page.count("<nav") == 1 and page.count("<script>") == 1


def _practice_app():
    import streamlit as st

    from utils import learner_state, registry, widgets
    from utils.runner import RunResult

    ex = registry.get("part1_ray_tracing.intersect_ray_1d")
    pending = st.session_state.pop("test_practice_status", None)
    if pending:
        learner_state.set_result(learner_state.practice(ex),
                                 RunResult(pending, f"the {pending} message", "", 0.1))
    widgets.exercise(ex.id)


def test_from_memory_has_its_own_stub_status_and_no_hints_and_leaves_the_first_answer_alone():
    from utils import learner_state, sources

    ex = registry.get(EX_ID)
    app = AppTest.from_function(_practice_app, default_timeout=60).run()
    hints = [e.label for e in app.expander if e.label.startswith("Hint")]
    assert hints and any(e.label == "Solution" for e in app.expander)
    app.toggle(key=f"practice:{EX_ID}").set_value(True).run()
    assert "(from memory)" in _title(app) and _title(app).startswith("#### · ")
    assert not [e for e in app.expander if e.label.startswith("Hint") or e.label == "Solution"]
    app.session_state["test_practice_status"] = "passed"
    app.run()
    assert _title(app).startswith("#### ✅ ") and "(from memory)" in _title(app)
    app.toggle(key=f"practice:{EX_ID}").set_value(False).run()
    assert _title(app).startswith("#### · ")  # the first attempt's status is its own
    codes = app.session_state["gtf_code"]
    assert f"{EX_ID}@practice" not in codes or codes[f"{EX_ID}@practice"] == \
        sources.stub_source(ex)
    statuses = app.session_state["gtf_status"]
    assert statuses[f"{EX_ID}@practice"] == Status.PASSED and EX_ID not in statuses
    assert learner_state.PRACTICE_SUFFIX == "@practice"


def test_a_practice_attempt_survives_the_browser_store():
    import json

    from utils import learner_state

    saved = json.loads(json.dumps({"code": {f"{EX_ID}@practice": "def x(): pass",
                                            "gone.thing@practice": "lost"},
                                   "status": {f"{EX_ID}@practice": "passed"}}))
    learner_state.restore(saved)
    attempt = learner_state.practice(registry.get(EX_ID))
    assert learner_state.code(attempt) == "def x(): pass"
    assert learner_state.status(attempt) == Status.PASSED
    assert "gone.thing@practice" not in learner_state.code_table()


VARIANT_EX = "micrograd.train_step"


def _new_spec_app():
    import streamlit as st

    from utils import learner_state, registry, widgets
    from utils.runner import RunResult

    ex = registry.get("micrograd.train_step")
    pending = st.session_state.pop("test_spec_status", None)
    if pending:
        (spec,) = learner_state.new_specs(ex)
        learner_state.set_result(spec, RunResult(pending, f"the {pending} message", "", 0.1))
    widgets.exercise(ex.id)
    widgets.chunks("micrograd")
    st.dataframe(widgets.chapter_progress_table("micrograd"))


def test_a_new_specification_shows_its_summary_and_keeps_its_own_status():
    app = AppTest.from_function(_new_spec_app, default_timeout=60).run()
    key = f"variant:{VARIANT_EX}:circles"
    assert app.toggle(key=key).label == "New specification: Two circles instead of two moons"
    app.toggle(key=key).set_value(True).run()
    assert "(new specification: Two circles instead of two moons)" in _title(app)
    assert any("make_circles" in m.value for m in app.markdown)
    assert not [e for e in app.expander if e.label.startswith("Hint") or e.label == "Solution"]
    app.session_state["test_spec_status"] = "passed"
    app.run()
    assert _title(app).startswith("#### ✅ ")
    assert app.toggle(key=key).label.endswith(" · ✅")  # shown with the toggle off, too
    assert any("variant='circles'" in c.value and "--variant circles" in c.value
               for c in app.caption)  # the local check of this rung
    statuses = app.session_state["gtf_status"]
    assert statuses[f"{VARIANT_EX}@circles"] == Status.PASSED and VARIANT_EX not in statuses
    table = app.dataframe[0].value
    row = table[table["exercise"] == "train_step"].iloc[0]
    assert row["new specification: circles"].endswith("passed")
    assert table[table["exercise"] == "MLP"].iloc[0]["new specification: circles"] == ""
    app.toggle(key=f"practice:{VARIANT_EX}").set_value(True).run()  # the rungs are exclusive
    assert not app.toggle(key=key).value and "(from memory)" in _title(app)
    app.toggle(key=key).set_value(True).run()
    assert not app.toggle(key=f"practice:{VARIANT_EX}").value
    app.toggle(key=key).set_value(False).run()
    assert _title(app).startswith("#### · ") and "new specification" not in _title(app)


def test_a_new_specification_attempt_survives_the_browser_store_and_the_answers_file():
    from utils import learner_state

    ex = registry.get(VARIANT_EX)
    learner_state.restore({"code": {f"{VARIANT_EX}@circles": "def train_step(): pass",
                                    f"{VARIANT_EX}@spirals": "no such variant"},
                           "status": {f"{VARIANT_EX}@circles": "failed"}})
    (spec,) = learner_state.new_specs(ex)
    assert learner_state.code(spec) == "def train_step(): pass"
    assert learner_state.status(spec) == Status.FAILED
    assert f"{VARIANT_EX}@spirals" not in learner_state.code_table()
    progress = learner_state.chapter_progress("micrograd")
    assert progress["status"][f"{VARIANT_EX}@circles"] == "failed"
    for table in (learner_state._CODE, learner_state._STATUS):  # bare-mode state is shared
        learner_state._table(table).pop(f"{VARIANT_EX}@circles", None)


def test_the_solution_is_drawn_once_opened():
    # The Solution expander is lazy (utils/widgets.py): closed, it holds nothing; opened, the
    # reference's code from solutions/.
    from utils import sources

    app = AppTest.from_function(_block_app, default_timeout=60).run()
    solution = next(e for e in app.expander if e.label == "Solution")
    assert not code_blocks(solution)
    app.session_state[f"solution:{EX_ID}"] = True
    app.run()
    solution = next(e for e in app.expander if e.label == "Solution")
    assert code_blocks(solution) == [sources.solution_source(registry.get(EX_ID)).rstrip("\n")]


def _header_app():
    from utils import widgets

    widgets.chapter_header("part1_ray_tracing", "rays_and_segments")


def test_the_answers_panel_is_filled_once_opened():
    # Closed, the panel holds no download button and no uploader (a closed expander's elements
    # would be drawn, and their front-end code loaded, on every section page); opened, both.
    app = AppTest.from_function(_header_app, default_timeout=60).run()
    assert not app.exception
    panel = next(e for e in app.sidebar.expander if e.label == "Your answers for this chapter")
    assert not panel.get("download_button") and not panel.get("file_uploader")
    app.session_state["answers_panel:part1_ray_tracing"] = True
    app.run()
    panel = next(e for e in app.sidebar.expander if e.label == "Your answers for this chapter")
    assert [b.label for b in panel.get("download_button")] == ["Download as a .py file"]
    assert [u.label for u in panel.get("file_uploader")] == ["Upload a file back"]
