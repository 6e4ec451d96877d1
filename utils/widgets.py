"""Page building blocks: the exercise block, chapter headers, questions, the answers panel.

A page is prose plus calls to these. `exercise(id)` draws one exercise: title, difficulty,
importance and time, the task, an editor holding the learner's code, a Run button that sends the
code to utils.runner, the verdict with the check's message and printed output, hints one at a
time, and the reference solution read from solutions/.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import StopException

from utils import (answers, browser_store, codegen, learner_state, page_icons, registry,
                   sources)
from utils.code_block import code_block
from utils.code_editor import code_editor
from utils.markdown_table import markdown_table
from utils.runner import (PREVIOUS_RUN_CAPTION, PREVIOUS_RUN_PATIENCE_S, after_previous_run,
                          never_started, queue_message, run)
from utils.site_config import colab_url
from utils.status import Status, icon_of, label_of

COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"


def status_icon(status: Status | None) -> str:
    return icon_of(status)


def chapter_header(stem: str, section_key: str) -> None:
    """Title of the section, where to work on it, and the chapter's answers panel in the sidebar."""
    ch = registry.chapter(stem)
    titles = dict(ch.sections)
    st.title(titles[section_key])
    st.caption(
        f"Chapter {ch.number} · {ch.title} — work here in the browser, or locally in "
        f"`exercises/{stem}.py`, or in [Colab]({colab_url(stem)}).")
    answers_panel(stem)


def answers_panel(stem: str) -> None:
    """Download everything typed for this chapter as a runnable file; upload a file back.
    Filled only while it is open (opening it reruns the page): a closed expander's elements are
    drawn all the same, and these two cost every section page's first view the code of
    Streamlit's download button and file uploader (a dozen modules), though hardly anyone opens
    the panel. Filled lazily, a fresh browser's main thread did 0.1-0.2 s less work per page."""
    panel = st.sidebar.expander("Your answers for this chapter", icon=page_icons.ANSWERS_PANEL,
                                key=f"answers_panel:{stem}", on_change="rerun")
    if not panel.open:
        return
    with panel:
        # Built when clicked, from the live code table: this panel is drawn above the exercises,
        # before this run has stored the code just submitted, so data built now would lag a run.
        table = learner_state.code_table()
        progress = learner_state.chapter_progress(stem)
        st.download_button(
            "Download as a .py file",
            lambda: answers.answers_file(stem, learner_state.codes_by_name(stem, table),
                                         progress),
            file_name=f"{stem}_answers.py", mime="text/x-python", width="stretch",
            on_click="ignore",
            help="The chapter's exercise file with your code in place of the stubs (and, in its "
                 "last line, your verdicts and review schedule). Put it in the exercises/ folder "
                 "of a clone of the course and run it with python to check everything locally; "
                 "upload it back here later.")
        upload = st.file_uploader("Upload a file back", type=["py"], key=f"upload:{stem}",
                                  help="Exercises whose code in the file is still the untouched "
                                       "stub keep what you typed here.")
        if upload is not None and st.session_state.get(f"uploaded:{stem}") != upload.file_id:
            st.session_state[f"uploaded:{stem}"] = upload.file_id
            try:
                found = answers.parse_answers(stem, upload.getvalue().decode("utf-8", "replace"))
            except ValueError as err:
                st.error(str(err))
            else:
                for name, text in found.items():
                    learner_state.replace_code(registry.get(f"{stem}.{name}"), text)
                st.success(f"Loaded {len(found)} exercise(s): {', '.join(found) or 'none found'}.")
                try:
                    progress_back = answers.parse_progress(upload.getvalue().decode("utf-8",
                                                                                    "replace"))
                except ValueError as err:
                    st.warning(str(err))
                else:
                    if progress_back:
                        learner_state.merge_progress(progress_back)
                        st.caption("Your verdicts and review schedule from the file are back too.")


def meta_caption(ex: registry.Exercise) -> str:
    return codegen.meta_line(ex) + (" · bonus" if ex.bonus else "")


def exercise(exercise_id: str) -> None:
    """Draw one exercise block (see the module docstring). Its "From memory" toggle turns it into
    the practice ladder's rung without hints: a fresh stub in its own editor, hints and solution
    hidden, the same checks, and a status of its own. Where the chapter has a new specification
    for it (a variant: other data for the same checks), a second toggle turns it into that rung:
    the variant's summary, a fresh stub, hints hidden, the checks run on the variant's data."""
    ex = registry.get(exercise_id)
    specs = learner_state.new_specs(ex)
    with st.container(border=True):
        # Filled before the editor, and again after it: a run it submits may change the status
        # (left empty until then, the title vanished for as long as the run took).
        title = st.empty()
        st.caption(meta_caption(ex))
        st.markdown(ex.task)
        # The rungs' toggles are exclusive: turning one on turns the others off.
        keys = [f"practice:{ex.id}"] + [f"variant:{ex.id}:{spec.variant}" for spec in specs]
        toggles = st.columns(2) if specs else [st.container()]
        from_memory = toggles[0].toggle(
            "From memory" + _rung_status(learner_state.practice(ex)), key=keys[0],
            on_change=_only_rung, args=(keys[0], keys),
            help="Do it again without hints: a fresh stub, hints and solution hidden, the same "
                 "checks. Your first answer stays as it is; this attempt has its own status.")
        target: registry.Exercise | learner_state.Practice = \
            learner_state.practice(ex) if from_memory else ex
        for spec, key in zip(specs, keys[1:]):  # one toggle per variant (one so far)
            if toggles[1].toggle(f"New specification: {spec.spec.title}{_rung_status(spec)}",
                                 key=key,
                                 on_change=_only_rung, args=(key, keys),
                                 help="Do it again on a second dataset: the same checks, run on "
                                      "the new data, with hints hidden. It has its own code and "
                                      "status."):
                target = spec
        if isinstance(target, learner_state.NewSpec):
            with st.container(border=True):
                st.markdown(f"**New specification: {target.spec.title}.** {target.spec.summary}")
        drawn_title = exercise_title(target)
        title.markdown(drawn_title)
        _editor(target)
        # Again only if a run just submitted changed the status: sent again unchanged, the title
        # was one more element for the browser to draw, per exercise on every run.
        if (new_title := exercise_title(target)) != drawn_title:
            title.markdown(new_title)
        _verdict(target)
        if target is not ex:
            st.caption("Hints and solution are hidden on this rung. Turn its toggle off to see "
                       "them (and your first answer) again.")
        else:
            _hints_and_solution(ex)


def _rung_status(attempt: learner_state.Practice) -> str:
    """" · ✅" after a rung's toggle once it has a verdict, so it shows with the toggle off (a
    reload turns every toggle off; the attempt's code and status are kept)."""
    done = learner_state.status(attempt)
    return "" if done is None else f" · {status_icon(done)}"


_UNDO_RESET = "gtf_undo_reset:"  # session state: what a reset threw away, per exercise


def _only_rung(turned: str, keys: list[str]) -> None:
    if st.session_state.get(turned):
        for key in keys:
            if key != turned:
                st.session_state[key] = False


def exercise_title(ex: registry.Exercise | learner_state.Practice) -> str:
    rung = ""
    if isinstance(ex, learner_state.NewSpec):
        rung = f" (new specification: {ex.spec.title})"
    elif isinstance(ex, learner_state.Practice):
        rung = " (from memory)"
    return (f"#### {status_icon(learner_state.status(ex))} Exercise: `{ex.name}` — "
            f"{ex.title}{rung}")


def _even_if_replaced(show: Callable[..., None]) -> Callable[..., None]:
    """`show` (a caption while a run waits), except that a run pressed for survives a newer
    rerun: Run pressed under another exercise meanwhile starts a rerun in a new script thread,
    and Streamlit stops this one at its next Streamlit call, which here would drop the run the
    learner asked for. It goes on instead, unseen, and its verdict is posted to the learner
    state (learner_state.record_result), which the newer run shows."""
    def call(*args: Any) -> None:
        try:
            show(*args)
        except StopException:
            pass
    return call


def watch_for_verdicts() -> None:
    """While a run that a newer one replaced may still post its verdict (see
    learner_state.RunBook), look every second, and run the page again when it arrives, so the
    exercise shows it without the learner doing anything. Call at the end of the app's run."""
    book = learner_state.run_book()
    if book.arrived:  # taken in during this run, maybe after its exercise was drawn
        book.arrived = False
        st.rerun()
    if book.pending():
        _verdict_watch(book)


@st.fragment(run_every=1.0)
def _verdict_watch(book: learner_state.RunBook) -> None:
    if book.has_posted() or not book.pending():
        st.rerun(scope="app")


NEWER_ELSEWHERE = (
    "Another open tab of this site has saved other code for this exercise since this tab read "
    "it. Reload this page to bring that code here (it replaces what this editor shows). Editing "
    "or running the code below instead keeps this tab's version; other open tabs are then told "
    "the same.")


def _editor(ex: registry.Exercise | learner_state.Practice) -> None:
    browser_store.watch(ex.id)
    notice = st.empty()  # filled once this run knows whether the learner just ran this code
    ran = code_editor(learner_state.code(ex), key=learner_state.editor_key(ex),
                      label=f"Your code for {ex.name}",
                      run_label=f"Run the checks on {ex.name}",
                      on_leave=functools.partial(learner_state.set_code, ex), draft_key=ex.id,
                      restored=browser_store.restored(),
                      check_token=browser_store.unchecked(),
                      drafts_void=learner_state.drafts_void(ex))
    newer = browser_store.newer_elsewhere(ex.id)
    if ran is not None and newer is not None:
        learner_state.claim_code(ex.id, newer)  # running it keeps it, even unchanged
    elif newer is not None:
        notice.warning(NEWER_ELSEWHERE, icon=page_icons.NEWER_ELSEWHERE)
    if ran is not None:
        learner_state.set_code(ex, ran)
        book = learner_state.run_book()  # kept by this run even if a newer one replaces it
        ticket = book.issue(ex.id)
        waiting = st.empty()  # the queue position, while the run waits for a worker
        try:
            with st.spinner(f"Running the checks for `{ex.name}`…"):
                result = after_previous_run(
                    lambda: run(learner_state.base_exercise(ex).id, ran,
                                on_wait=_even_if_replaced(
                                    lambda place, s: waiting.caption(queue_message(place, s))),
                                variant=getattr(ex, "variant", None)),
                    patience_s=PREVIOUS_RUN_PATIENCE_S,
                    while_waiting=_even_if_replaced(
                        lambda: waiting.caption(PREVIOUS_RUN_CAPTION)),
                    wanted=lambda: book.wanted(ex.id, ticket))
                if not never_started(result):
                    learner_state.record_result(book, ex, ticket, result)
        finally:
            book.done(ex.id, ticket)
        waiting.empty()
        if never_started(result):  # the server's reason, not a verdict on the code: shown once
            st.warning(result.message, icon=page_icons.SERVER_BUSY)
    left, right = st.columns([1, 3])
    _reset_or_undo(ex, left)
    variant = getattr(ex, "variant", None)
    option = "" if variant is None else f", variant={variant!r}"
    checks = "; ".join(f"tests.{name}({ex.name}{option})" for name in ex.check_names)
    flag = "" if variant is None else (f", or `python exercises/{ex.chapter}.py --variant "
                                       f"{variant}`")
    right.caption(f"Run with the button or Ctrl+Enter (Esc, then Tab, leaves the editor). "
                  f"Locally: `{checks}`{flag}")


def _reset_or_undo(ex: registry.Exercise | learner_state.Practice, place) -> None:
    """Reset to the stub; until the learner runs the exercise again, "Undo the reset" in its
    place brings back the code (and the verdict) the reset threw away, over anything typed
    since (a learner who typed a little and then saw the reset was a mistake wants it back)."""
    stub = sources.stub_source(learner_state.base_exercise(ex))
    undo_key = f"{_UNDO_RESET}{ex.id}"
    before = st.session_state.get(undo_key)
    if before is not None and learner_state.result(ex) is None:
        if place.button("Undo the reset", key=f"undo-reset:{ex.id}", icon=page_icons.UNDO_RESET,
                        help="Bring back the code you had before the reset."):
            learner_state.put_back(ex, st.session_state.pop(undo_key))
            st.rerun()
        return
    st.session_state.pop(undo_key, None)
    if place.button("Reset to the stub", key=f"reset:{ex.id}", icon=page_icons.RESET,
                    help="Throw away your code for this exercise and start again "
                         "(you can undo it until you run the exercise again)."):
        st.session_state[undo_key] = learner_state.exercise_state(ex)
        learner_state.replace_code(ex, stub)
        learner_state.clear_result(ex)
        st.rerun()


def _verdict(ex: registry.Exercise | learner_state.Practice) -> None:
    result = learner_state.result(ex)
    if result is None:
        if learner_state.status(ex):  # restored from the browser: no details kept
            st.caption(f"Your last run, in an earlier visit or another tab: "
                       f"{label_of(learner_state.status(ex))}.")
        return
    timing = f"(ran in {result.duration_s:.2f} s)"
    icon = status_icon(result.status)  # the same icon as the exercise's title
    if result.status == Status.PASSED:
        st.success(f"**Passed** {timing}. {result.message}", icon=icon)
    elif result.status == Status.NOT_IMPLEMENTED:
        st.info(result.message, icon=icon)
    elif result.status == Status.TIMEOUT:
        st.warning(f"**Stopped** — {result.message}", icon=icon)
    else:
        label = "Not yet" if result.status == Status.FAILED else "Error"
        st.error(f"**{label}** {timing} — here is what the check found:", icon=icon)
        code_block(result.message, "text", wrap_lines=True)
    if result.stdout.strip():
        with st.expander("What your code printed", expanded=result.status != Status.PASSED):
            code_block(result.stdout, "text")


def _hints_and_solution(ex: registry.Exercise) -> None:
    for i, hint in enumerate(ex.hints, start=1):
        with st.expander(f"Hint {i} of {len(ex.hints)}"):
            st.markdown(hint)
    # Filled in when opened (Streamlit reruns the page then): every exercise's answer, sent and
    # drawn on every run of every page, for an answer a learner opens late, if ever. (When it was
    # Streamlit's st.code, its highlighter cost a fresh browser 0.2-0.7 s per page too.)
    solution = st.expander("Solution", key=f"solution:{ex.id}", on_change="rerun")
    if solution.open:
        with solution:
            st.caption(f"From `solutions/{ex.chapter}.py`. Try the hints first: writing it "
                       "yourself is where the learning happens.")
            code_block(sources.solution_source(ex))


def compute_button(label: str, key: str) -> bool:
    """A button for a demo that takes a few seconds: once pressed, it stays "on" for the session,
    so the results stay on the page through later reruns (sliders, other exercises)."""
    if st.button(label, key=key, type="primary"):
        st.session_state[f"demo_on:{key}"] = True
    return bool(st.session_state.get(f"demo_on:{key}"))


def question(prompt: str, answer: str) -> None:
    """A check-your-understanding question with a revealable answer."""
    st.markdown(f"**{prompt}**")
    with st.expander("Show an answer"):
        st.markdown(answer)


def key_fact(cue: str, fact: str) -> None:
    """A fact the chapter marks as worth remembering: shown in full (it is not a quiz here), and
    a review card on the Review page, with the cue on the front."""
    with st.container(border=True):
        st.markdown(f"🔑 **Key fact: {cue}**")
        st.markdown(fact)


def colab_badge(stem: str) -> None:
    st.markdown(f"[![Open in Colab]({COLAB_BADGE})]({colab_url(stem)})")


def chapter_contents(stem: str) -> None:
    """The overview's practical part: the sections with their time, where to work, and your
    progress (the introduction and objectives are the overview's own prose)."""
    from utils.navigation import section_page  # here: navigation builds st.Page objects

    st.subheader("Sections")
    ch = registry.chapter(stem)
    for i, (key, title) in enumerate(ch.sections[1:], start=1):
        minutes = sum(ex.minutes[1] for ex in ch.exercises if ex.section == key)
        budget = f" — about {minutes} minutes of exercises" if minutes else ""
        st.page_link(section_page(stem, key), label=f"{i}. {title}{budget}")
    st.subheader("Where to work")
    st.markdown(
        f"Solve the exercises in the editors on each page, or in `exercises/{stem}.py` on your "
        f"machine (`python exercises/{stem}.py` checks them all), or in the Colab notebook, "
        f"which carries this chapter's whole lesson:")
    colab_badge(stem)
    st.markdown("Each exercise's code runs with the reference solutions of the earlier exercises "
                "available, so you can skip one you are stuck on and come back to it.")
    st.subheader("Your progress in this chapter")
    st.markdown(markdown_table(chapter_progress_table(stem)))
    chunks(stem)


def chunks(stem: str) -> None:
    """The practice ladder's "chunks" view: the chapter as a list of one-line pieces, to rebuild
    from memory (each exercise's "From memory" toggle), with how each attempt went."""
    from utils.navigation import section_page

    ch = registry.chapter(stem)
    with st.expander("The chapter in chunks: rebuild it from memory"):
        st.markdown(
            "Once you have done the chapter with its lessons and hints, close them and rebuild "
            "it from this list alone. Each line is one exercise; open it, turn on **From "
            "memory**, and write it from a fresh stub.")
        titles = dict(ch.sections)
        for ex in ch.exercises:
            memory = learner_state.status(learner_state.practice(ex))
            st.page_link(section_page(stem, ex.section),
                         label=f"{status_icon(memory)} `{ex.name}`: {ex.title} "
                               f"({titles[ex.section]})")
        for variant in ch.variants:
            st.markdown(f"**New specification: {variant.title}.** {variant.summary}\n\n"
                        f"Turn on its toggle in these exercises: "
                        f"{', '.join(f'`{name}`' for name in variant.exercises)}.")


def chapter_progress_table(stem: str) -> list[dict[str, str]]:
    """Rows for a progress overview: one per exercise with its status."""
    ch = registry.chapter(stem)
    titles = dict(ch.sections)
    rows = []
    for ex in ch.exercises:
        memory = learner_state.status(learner_state.practice(ex))
        rows.append({"": status_icon(learner_state.status(ex)), "exercise": ex.name,
                     "section": titles[ex.section], "title": ex.title,
                     "status": label_of(learner_state.status(ex)),
                     "from memory": _rung_cell(memory)})
        covered = {spec.variant: spec for spec in learner_state.new_specs(ex)}
        for variant in ch.variants:  # a column per variant; blank where it doesn't apply
            rows[-1][f"new specification: {variant.key}"] = (
                _rung_cell(learner_state.status(covered[variant.key]))
                if variant.key in covered else "")
    return rows


def _rung_cell(status: Status | None) -> str:
    """A practice rung's cell in the progress table."""
    return "not tried" if status is None else f"{status_icon(status)} {label_of(status)}"
