"""Widgets for chapter 6's sections 3-5: section 4's "check my engine's output", which judges the
JSON an autodiff engine in any language wrote for the spec's test vectors. The pasted text is
kept with the learner's code, so a reload loses nothing. Session-state keys start with "mini_".
"""

from __future__ import annotations

import json

import streamlit as st

from utils import learner_state
# (The test vectors import no torch; the check does, and is imported when it is pressed.)
from utils.experiments.mini_projects.autodiff import load_vectors

__all__ = ["engine_output_check"]

OUTPUT_KEY = "mini_engine_output"
VERDICT_KEY = "mini_engine_verdict"  # (the text checked, its verdicts): shown until it changes


def _keep_output() -> None:
    if not learner_state.set_page_input(OUTPUT_KEY, st.session_state[OUTPUT_KEY]):
        st.session_state["mini_engine_output_not_kept"] = True


def engine_output_check() -> None:
    """Download the test vectors; paste the engine's JSON output; get a verdict per case."""
    vectors = load_vectors()
    st.download_button("Download the test vectors (JSON)", json.dumps(vectors, indent=1),
                       file_name="autodiff_vectors.json", mime="application/json",
                       key="mini_vectors_download", on_click="ignore")
    kept = learner_state.page_input(OUTPUT_KEY)
    if kept and not st.session_state.get(OUTPUT_KEY):
        st.session_state[OUTPUT_KEY] = kept  # restored from the browser after a reload
    st.text_area("Your engine's output (JSON)", key=OUTPUT_KEY, height=220,
                 on_change=_keep_output,
                 placeholder='{"add": {"value": -0.5, "gradients": {"x": 1.0, "y": 1.0}}, ...}')
    if st.session_state.pop("mini_engine_output_not_kept", False):
        st.warning(f"That output is longer than {learner_state.MAX_PAGE_INPUT_CHARS:,} "
                   "characters: it is checked, but a reload won't keep it.")
    text = st.session_state.get(OUTPUT_KEY, "")
    if st.button("Check my engine's output", type="primary", key="mini_engine_check"):
        if not text.strip():
            st.info("Paste what your engine wrote for the test vectors first.")
            return
        from utils.checks.mini_projects.autodiff import engine_verdict

        try:
            st.session_state[VERDICT_KEY] = (text, engine_verdict(text))
        except ValueError as err:
            st.session_state.pop(VERDICT_KEY, None)
            st.error(str(err))
            return
    checked_text, found = st.session_state.get(VERDICT_KEY, (None, None))
    if found is None or checked_text != text:  # nothing checked yet, or edited since
        return
    wrong = [v for v in found if v.problem is not None]
    if not wrong:
        st.success(f"All {len(found)} cases are right: your engine agrees with the reference to "
                   "within 1e-9 on every value and gradient.")
    else:
        first = wrong[0]
        st.error(f'{len(found) - len(wrong)} of {len(found)} cases are right. First wrong case, '
                 f'"{first.name}" ({first.about}): {first.problem}')
    st.dataframe([{"case": v.name, "tests": v.about, "verdict": "✓" if v.problem is None
                   else "✗ " + v.problem} for v in found],
                 hide_index=True, width="stretch", key="mini_engine_table")
