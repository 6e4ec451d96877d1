"""What a learner has done in this browser session: code per exercise, last results, progress.

Kept in `st.session_state`, so it survives reruns and page switches; utils.browser_store mirrors
the code and progress to the browser's localStorage, so it also survives a reload.
"""

from __future__ import annotations

import copy
import threading
import time
from typing import Any

import streamlit as st

from utils import kept_work, registry, sources
from utils.status import Status

_CODE, _RESULT, _VERSION, _STATUS, _INPUTS, _REVIEW, _DRAFTS_VOID_AT = (
    "gtf_code", "gtf_result", "gtf_editor_version", "gtf_status", "gtf_page_inputs",
    "gtf_review", "gtf_drafts_void_at")
# The kept tables as this session last restored or sent them, and when each entry last changed
# (as far as this session knows: its own changes, and the stamps it restored): see `snapshot`.
_KEPT_VIEW, _KEPT_STAMPS = "gtf_kept_view", "gtf_kept_stamps"
# A page's free text (say, an engine's output pasted to be checked) is kept like code, but a
# browser's localStorage holds only about 5 MB for the whole site: longer text isn't kept.
MAX_PAGE_INPUT_CHARS = 200_000


PRACTICE_SUFFIX = "@practice"


class Practice:
    """An exercise done again from memory (the practice ladder's "without hints" rung): the same
    checks, with its own code, verdict and status, kept under `<exercise id>@practice`."""

    variant: str | None = None  # the checks run on the chapter's own data

    def __init__(self, exercise: registry.Exercise):
        self.exercise = exercise

    @property
    def id(self) -> str:
        return self.exercise.id + PRACTICE_SUFFIX

    def __getattr__(self, name: str) -> Any:  # name, title, check_names...: the exercise's
        return getattr(self.exercise, name)


class NewSpec(Practice):
    """The ladder's last rung: the exercise done again for a new specification (a variant in
    chapter.toml), whose checks run on the variant's data; kept under `<exercise id>@<key>`."""

    def __init__(self, exercise: registry.Exercise, variant: registry.Variant):
        super().__init__(exercise)
        self.spec = variant
        self.variant = variant.key

    @property
    def id(self) -> str:
        return f"{self.exercise.id}@{self.variant}"


def practice(ex: registry.Exercise) -> Practice:
    return Practice(ex)


def new_specs(ex: registry.Exercise) -> list[NewSpec]:
    """The exercise's new-specification attempts, one per variant that covers it."""
    return [NewSpec(ex, v) for v in registry.chapter(ex.chapter).variants_of(ex.name)]


def base_exercise(ex: registry.Exercise | Practice) -> registry.Exercise:
    """The exercise itself, for a practice attempt or the exercise."""
    return ex.exercise if isinstance(ex, Practice) else ex


def _base_id(ex_id: str) -> str:
    return ex_id.partition("@")[0]


def _known(ex_id: str) -> registry.Exercise | Practice | None:
    """The exercise (or attempt on a rung) a stored id belongs to, if it still exists."""
    base, _, rung = ex_id.partition("@")
    ex = registry.EXERCISES.get(base)
    if ex is None or not rung:
        return ex
    if rung == PRACTICE_SUFFIX[1:]:
        return Practice(ex)
    return next((spec for spec in new_specs(ex) if spec.variant == rung), None)


def _table(name: str) -> dict:
    _take_posted_results()
    if name not in st.session_state:
        st.session_state[name] = {}
    return st.session_state[name]


# Runs of exercises, in a plain object a replaced script thread can still use. Run pressed under
# another exercise while a run is going starts a rerun in a new thread (Streamlit's fast reruns),
# and Streamlit stops the old thread at its next interrupt point, which reading session state is;
# the old thread still finishes the run the learner asked for and posts its verdict here, and the
# session's next live read of its state takes it in. Each Run gets a ticket per exercise; a newer
# Run, a reset, an undo, an upload or a restore of that exercise supersedes it, so a verdict is
# kept only for the code the learner last asked about, and a superseded run stops waiting.
_RUN_BOOK = "gtf_run_book"


class RunBook:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._latest: dict[str, int] = {}
        self._running: set[tuple[str, int]] = set()
        self._posted: dict[str, Any] = {}
        # A verdict of another exercise's run was taken in during this script run: the page
        # may have drawn that exercise already, so it is run once more (widgets.py).
        self.arrived = False

    def issue(self, ex_id: str, *, running: bool = True) -> int:
        """A new ticket for `ex_id`, superseding every earlier one (and a posted verdict)."""
        with self._lock:
            ticket = self._latest.get(ex_id, 0) + 1
            self._latest[ex_id] = ticket
            self._posted.pop(ex_id, None)
            if running:
                self._running.add((ex_id, ticket))
            return ticket

    def wanted(self, ex_id: str, ticket: int) -> bool:
        with self._lock:
            return self._latest.get(ex_id) == ticket

    def post(self, ex_id: str, ticket: int, run_result: Any) -> None:
        with self._lock:
            self._running.discard((ex_id, ticket))
            if self._latest.get(ex_id) == ticket:
                self._posted[ex_id] = run_result

    def done(self, ex_id: str, ticket: int) -> None:
        """The run ended without a verdict to keep (refused, superseded, or an error)."""
        with self._lock:
            self._running.discard((ex_id, ticket))

    def has_posted(self) -> bool:
        return bool(self._posted)

    def take(self) -> dict[str, Any]:
        with self._lock:
            taken, self._posted = self._posted, {}
            return taken

    def pending(self) -> bool:
        """Whether a verdict may still arrive or is waiting to be taken in."""
        with self._lock:
            return bool(self._running or self._posted)


def run_book() -> RunBook:
    """This session's run book (read in a live script thread; a run keeps the object itself)."""
    return st.session_state.setdefault(_RUN_BOOK, RunBook())


def _take_posted_results(own: str | None = None) -> None:
    """Take in posted verdicts; `own`: the exercise whose run this thread has just finished."""
    book = st.session_state.get(_RUN_BOOK)
    if book is None or not book.has_posted():
        return
    # Session state before taking: in a replaced thread that is where Streamlit stops it, and
    # what was posted must stay posted for the live thread.
    results = st.session_state.setdefault(_RESULT, {})
    statuses = st.session_state.setdefault(_STATUS, {})
    for ex_id, run_result in book.take().items():
        results[ex_id] = run_result
        statuses[ex_id] = Status(run_result.status)
        book.arrived |= ex_id != own


def record_result(book: RunBook, ex: registry.Exercise, ticket: int, run_result: Any) -> None:
    """Keep a run's verdict, from the script thread that ran it, if no newer Run, reset, undo,
    upload or restore of the exercise superseded it; also when a newer run has replaced that
    thread (the next live read takes it in)."""
    book.post(ex.id, ticket, run_result)
    _take_posted_results(own=ex.id)


def code(ex: registry.Exercise) -> str:
    """The learner's current code for this exercise (the stub until they change it)."""
    return _table(_CODE).get(ex.id) or sources.stub_source(base_exercise(ex))


def set_code(ex: registry.Exercise, text: str) -> None:
    _table(_CODE)[ex.id] = text


def replace_code(ex: registry.Exercise, text: str, *, restoring: bool = False) -> None:
    """Put new text in the editor (reset, upload, undo, restore): the editor only reads its text
    when it mounts, so a new version number gives it a new key and it mounts again.

    A reset, an upload or an undo is the learner's choice of text, so the editor's draft in the
    browser (utils/code_editor.py) is thrown away when it mounts; a restore (`restoring`) brings
    back what the browser store kept, and a draft typed over that text comes back over it."""
    set_code(ex, text)
    run_book().issue(ex.id, running=False)  # a run of the code before has no verdict to give
    versions = _table(_VERSION)
    versions[ex.id] = versions.get(ex.id, 0) + 1
    if not restoring:
        _table(_DRAFTS_VOID_AT)[ex.id] = versions[ex.id]


def editor_key(ex: registry.Exercise) -> str:
    return f"editor:{ex.id}:{_table(_VERSION).get(ex.id, 0)}"


def drafts_void(ex: registry.Exercise) -> bool:
    """Whether the editor now mounting was given its text by a reset, an upload or an undo."""
    return _table(_DRAFTS_VOID_AT).get(ex.id) == _table(_VERSION).get(ex.id, 0)


def exercise_state(ex: registry.Exercise) -> tuple[str, Any, Status | None]:
    """The exercise's code, last result and status: what a reset throws away."""
    return code(ex), result(ex), status(ex)


def put_back(ex: registry.Exercise, state: tuple[str, Any, Status | None]) -> None:
    """Undo a reset: `state` is what `exercise_state` returned before it."""
    text, run_result, done = state
    replace_code(ex, text)
    if run_result is not None:
        _table(_RESULT)[ex.id] = run_result
    if done is not None:
        _table(_STATUS)[ex.id] = done


def result(ex: registry.Exercise) -> Any:
    return _table(_RESULT).get(ex.id)


def set_result(ex: registry.Exercise, run_result: Any) -> None:
    """Record a run: its verdict is the exercise's status, so the icon, the progress table and
    the verdict box always say the same thing (the last run's)."""
    _table(_RESULT)[ex.id] = run_result
    _table(_STATUS)[ex.id] = Status(run_result.status)


def clear_result(ex: registry.Exercise) -> None:
    """Forget the verdict and status (the code went back to the stub: nothing has been run)."""
    _table(_RESULT).pop(ex.id, None)
    _table(_STATUS).pop(ex.id, None)


def status(ex: registry.Exercise) -> Status | None:
    """The status of the last run of this exercise (kept across reloads), or None."""
    return _table(_STATUS).get(ex.id)


def passed_count(chapter: registry.Chapter) -> int:
    """How many of the chapter's exercises the learner has passed."""
    return sum(status(ex) == Status.PASSED for ex in chapter.exercises)


def code_table() -> dict[str, str]:
    """The session's code table itself (exercise id -> code), for work that runs outside the
    script run, e.g. a download prepared when it is clicked."""
    return _table(_CODE)


def codes_by_name(stem: str, table: dict[str, str] | None = None) -> dict[str, str]:
    """The learner's edited code for a chapter, by exercise name (untouched stubs left out)."""
    table = _table(_CODE) if table is None else table
    return {ex.name: table[ex.id] for ex in registry.chapter(stem).exercises if ex.id in table}


def page_input(key: str) -> str:
    """A page's kept free text under `key` ("" if none)."""
    return _table(_INPUTS).get(key, "")


def set_page_input(key: str, text: str) -> bool:
    """Keep a page's free text so a reload finds it; False (and nothing kept) if it is longer
    than MAX_PAGE_INPUT_CHARS, so the page can say it won't survive a reload."""
    if len(text) > MAX_PAGE_INPUT_CHARS:
        _table(_INPUTS).pop(key, None)
        return False
    _table(_INPUTS)[key] = text
    return True


def review_state() -> dict:
    """The learner's spaced-repetition state (utils/review_schedule.py describes it)."""
    from utils.review_schedule import empty_state  # here: it imports the registry's cards

    if _REVIEW not in st.session_state:
        st.session_state[_REVIEW] = empty_state()
    return st.session_state[_REVIEW]


def set_review_state(state: dict) -> None:
    st.session_state[_REVIEW] = state


def snapshot() -> dict[str, Any]:
    """What the browser keeps between visits, with `stamps`: when each entry last changed
    (utils/kept_work.py). Every open tab of the site saves into the same browser copy, which
    takes each entry from the tab that changed it last (utils/browser_store.py), so a tab's save
    does not bring back its older copy of what another tab changed since. A change is seen
    here: what differs from this session's previous snapshot (or from what it restored)."""
    tables = _kept_tables()
    stamps = _stamps()
    kept_work.restamp(stamps, st.session_state.get(_KEPT_VIEW) or {}, tables,
                      int(time.time() * 1000))
    st.session_state[_KEPT_VIEW] = tables
    return {**copy.deepcopy(tables), "stamps": copy.deepcopy(stamps)}


def _stamps() -> dict[str, Any]:
    """This session's stamps (cleaned, and kept so: changes to them are the session's)."""
    stamps = kept_work.valid_stamps(st.session_state.get(_KEPT_STAMPS))
    st.session_state[_KEPT_STAMPS] = stamps
    return stamps


def code_stamp(key: str) -> int:
    """When this session's code for `key` (an exercise's id) last changed, as far as it knows
    (its own change, or what it restored): 0 if never."""
    return _stamps()["code"].get(key, 0)


def code_changed_since_saved(key: str) -> bool:
    """Whether this session's code for `key` differs from what its last snapshot sent (or it
    restored): a change the next snapshot will stamp."""
    kept = (st.session_state.get(_KEPT_VIEW) or {}).get("code") or {}
    return _table(_CODE).get(key) != kept.get(key)


def claim_code(key: str, over: int) -> None:
    """Stamp this session's code for `key` later than `over` (another tab's stamp for it), so
    that the browser's copy takes this session's code, even unchanged, at the next save."""
    stamps = _stamps()["code"]
    stamps[key] = max(int(time.time() * 1000), over + 1, stamps.get(key, 0))


def _kept_tables() -> dict[str, Any]:
    return {"code": dict(_table(_CODE)), "status": dict(_table(_STATUS)),
            "inputs": dict(_table(_INPUTS)), "review": copy.deepcopy(review_state())}


def restore(saved: dict) -> None:
    """Merge what the browser kept; anything already typed in this session wins."""
    kept = _as_kept(saved)
    for ex_id, text in kept["code"].items():
        if ex_id not in _table(_CODE):
            replace_code(_known(ex_id), text, restoring=True)
    for ex_id, known in kept["status"].items():
        _table(_STATUS).setdefault(ex_id, known)
    for key, text in kept["inputs"].items():
        _table(_INPUTS).setdefault(key, text)
    if _table_of(saved, "review") is not None:
        set_review_state(_review_merged(review_state(), kept["review"]))
    # The browser's copy as this session holds it, and when each entry changed: the next
    # snapshot stamps only what differs from it (this session's own changes).
    st.session_state[_KEPT_VIEW] = kept
    st.session_state[_KEPT_STAMPS] = kept_work.latest(
        st.session_state.get(_KEPT_STAMPS) or kept_work.no_stamps(),
        kept_work.valid_stamps(_table_of(saved, "stamps")))


def _review_merged(mine: dict[str, Any], incoming: dict[str, Any]) -> dict[str, Any]:
    """This session's review state with another's (the browser's, an uploaded file's) taken in,
    this session's winning: its cards over the same cards, its chosen chapters first and the
    others' added, and the larger count of new cards started on the same day."""
    new = mine["new"]
    if not new["day"] or (incoming["new"]["day"] == new["day"]
                          and incoming["new"]["count"] > new["count"]):
        new = incoming["new"]
    chapters = mine["chapters"] + [s for s in incoming["chapters"] if s not in mine["chapters"]]
    return copy.deepcopy({"chapters": chapters, "cards": {**incoming["cards"], **mine["cards"]},
                          "new": new})


def _table_of(saved: Any, name: str) -> dict | None:
    """`saved[name]` if it is a table (a dict); None otherwise: storage other code wrote."""
    table = saved.get(name) if isinstance(saved, dict) else None
    return table if isinstance(table, dict) else None


def _valid_input(key: Any, text: Any) -> bool:
    return isinstance(key, str) and isinstance(text, str) and len(text) <= MAX_PAGE_INPUT_CHARS


def _as_kept(saved: Any) -> dict[str, Any]:
    """A browser copy's tables in the session's own form, cleaned: known exercises only (an
    entry of an exercise this site no longer has stays in the browser as it is), statuses
    parsed, page inputs within bounds, the review state validated."""
    from utils.review_schedule import valid_state

    code = {k: v for k, v in (_table_of(saved, "code") or {}).items()
            if _known(k) is not None and isinstance(v, str)}
    status = {k: Status.parse(v) for k, v in (_table_of(saved, "status") or {}).items()
              if _known(k) is not None and Status.parse(v) is not None}
    inputs = {k: v for k, v in (_table_of(saved, "inputs") or {}).items() if _valid_input(k, v)}
    return {"code": code, "status": status, "inputs": inputs,
            "review": valid_state(_table_of(saved, "review"))}


def chapter_progress(stem: str) -> dict:
    """What an answers file carries besides code: the chapter's verdicts (first attempts and
    attempts from memory) and the review schedule of its cards."""
    from utils.cards import chapter_cards

    ids = {ex.id for ex in registry.chapter(stem).exercises}
    statuses = {ex_id: str(st_.value) for ex_id, st_ in _table(_STATUS).items()
                if _base_id(ex_id) in ids}
    cards = {card.id for card in chapter_cards(stem)}
    review = review_state()
    return {"status": statuses,
            "review": {"chapters": [stem] if stem in review["chapters"] else [],
                       "cards": {k: v for k, v in review["cards"].items() if k in cards}}}


def merge_progress(progress: dict) -> None:
    """Take in an uploaded file's progress: verdicts and cards this session has not got yet."""
    from utils.review_schedule import valid_state

    for ex_id, saved_status in (progress.get("status") or {}).items():
        known = Status.parse(saved_status)
        if isinstance(ex_id, str) and _known(ex_id) is not None and known is not None:
            _table(_STATUS).setdefault(ex_id, known)
    set_review_state(_review_merged(review_state(), valid_state(progress.get("review"))))


def engine_file(stem: str) -> tuple[str, list[str]]:
    """The chapter as one runnable file: the learner's code for each exercise they have passed,
    the reference solution for the others. Returns the file and the names that are theirs."""
    from utils.answers import reference_file  # here: answers imports codegen, which is heavier

    table = _table(_CODE)
    theirs = {ex.name: table[ex.id] for ex in registry.chapter(stem).exercises
              if status(ex) == Status.PASSED and ex.id in table}
    return reference_file(stem, theirs), list(theirs)
