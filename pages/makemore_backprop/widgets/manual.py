"""Chapter 4.4's widget for section 2: "Compare my gradients" runs the code in the learner's four
stage editors (passed or not: a table of what is still wrong is the point) in the sandbox on the
section's batch, and draws Karpathy's exact / approximate / max-diff table against autograd.
Until then, on a fresh server's first page, the reference's float32 table is the chart kept for it
(utils/first_view_charts.py), so that the page need not import the chapter's code (torch).
Session-state keys start with "mm4_cmp_".
"""

from __future__ import annotations

import ast
from types import ModuleType

import streamlit as st

from utils import charts, first_view_charts, learner_state, registry
from utils.answers import reference_file
from utils.demos.makemore_backprop_settings import STAGES
from utils.runner import (PREVIOUS_DEMO_PATIENCE_S, PREVIOUS_RUN_CAPTION, after_previous_run,
                          queue_message, run_demo)
from utils.status import Status

__all__ = ["compare_my_gradients"]

STEM = "makemore_backprop"
OWN_KEY = "mm4_cmp_own"
STAGE_NAMES = tuple(stage for stage, _, _ in STAGES)
DEFAULT_DTYPE = "float32"


def _figures() -> ModuleType:
    from utils.figures.makemore_backprop import manual

    return manual


def _editor_code() -> tuple[dict[str, str], list[str]]:
    """The four stages' code as typed (untouched stubs left out, so they stay stubs), and the
    stages whose code doesn't parse."""
    typed = learner_state.codes_by_name(STEM)
    codes, broken = {}, []
    for name in STAGE_NAMES:
        if name not in typed:
            continue
        try:
            ast.parse(typed[name])
        except SyntaxError as err:
            broken.append(f"{name} (line {err.lineno}: {err.msg})")
            continue
        codes[name] = typed[name]
    return codes, broken


def _stub_file(codes: dict[str, str]) -> str:
    """The chapter with the reference everywhere but the four stages: the learner's code where
    they typed some, the stub (which says "not written yet") where they didn't."""
    from utils import sources
    stubs = {ex.name: sources.stub_source(ex) for ex in registry.chapter(STEM).exercises
             if ex.name in STAGE_NAMES}
    return reference_file(STEM, {**stubs, **codes})


def _run(code: str, dtype: str) -> dict | None:
    waiting = st.empty()
    with st.spinner("Running your four functions in the sandbox…"):
        result = after_previous_run(
            lambda: run_demo(f"{STEM}.compare_my_gradients", code, {"dtype": dtype},
                             on_wait=lambda place, s: waiting.caption(queue_message(place, s))),
            patience_s=PREVIOUS_DEMO_PATIENCE_S,
            while_waiting=lambda: waiting.caption(PREVIOUS_RUN_CAPTION))
    waiting.empty()
    if result.status != Status.PASSED:
        st.error(result.message)
        return None
    from utils.demos.makemore_backprop.manual import validated_comparison
    try:
        return validated_comparison(result.data)
    except ValueError as err:
        st.error(f"Your comparison can't be drawn: {err}.")
        return None


def compare_my_gradients() -> None:
    """The dtype, the button, and the learner's table (the reference's until they press it)."""
    codes, broken = _editor_code()
    caption = st.empty()  # filled once the button's run is known: it describes the table shown
    dtype = st.radio("dtype", (DEFAULT_DTYPE, "float64"), horizontal=True, key="mm4_cmp_dtype")
    if st.button("Compare my gradients", type="primary", key="mm4_cmp_button"):
        if broken:
            st.warning(f"Not run, because the code doesn't parse: {'; '.join(broken)}. "
                       "Those stages are shown as not written.")
        shown = _run(_stub_file(codes), dtype)
        if shown is not None:
            st.session_state[OWN_KEY] = (dtype, shown)
    kept = st.session_state.get(OWN_KEY)
    if codes:
        caption.caption(f"Runs the code in your editors for {', '.join(codes)} (passed or not) "
                        "in the sandbox; a stage you haven't started shows as not written yet.")
    elif kept is None:
        caption.caption("You haven't written any of the four stages yet: the table below is the "
                        "reference solutions'.")
    else:
        caption.caption("You haven't written any of the four stages yet, so your table shows "
                        "each as not written yet.")
    if kept is None:
        first_view_charts.chart(dtype == DEFAULT_DTYPE,
                                lambda: _figures().reference_gradient_table(dtype),
                                key="mm4_cmp_ref")
        return
    if kept[0] != dtype:
        st.caption(f"Your last comparison ran in {kept[0]}: press the button to run it in "
                   f"{dtype}.")
    charts.plotly_chart(_figures().gradient_table(kept[1], "Your gradients against autograd's"),
                        width="stretch", key="mm4_cmp_fig")
