"""Page pieces for demos that run a learner's whole chapter in the sandbox (their passed
exercises, the reference for the rest), with failures shown to the learner. Chapter 4 draws
graphs and trains its MLP this way (utils/engine_view.py); chapter 5 trains the learner's
autoencoders and GANs."""

from __future__ import annotations

from typing import Any

import streamlit as st

from utils import learner_state
from utils.runner import queue_message, run_demo
from utils.status import Status


def describe_learner_code(stem: str) -> None:
    _, own = learner_state.engine_file(stem)
    if own:
        st.caption(f"Runs your code for the exercises of this chapter you have passed "
                   f"({', '.join(own)}) and the reference for the rest, in the sandbox like your "
                   "exercises.")
    else:
        st.caption("You have passed none of this chapter's exercises yet, so this runs the "
                   "reference solutions, in the sandbox like your exercises.")


def learner_demo(stem: str, demo: str, **args: Any) -> Any | None:
    """Run `utils.demos.<stem>.<demo>` on the learner's chapter in the sandbox; its data, or
    None (with the message shown) if it failed."""
    code, _ = learner_state.engine_file(stem)
    waiting = st.empty()  # the queue position, while the demo waits for a worker
    with st.spinner("Running your code in the sandbox…"):
        result = run_demo(f"{stem}.{demo}", code, args,
                          on_wait=lambda place, s: waiting.caption(queue_message(place, s)))
    waiting.empty()
    if result.status != Status.PASSED:
        st.error(result.message)
        return None
    return result.data
