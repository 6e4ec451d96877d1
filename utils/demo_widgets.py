"""Page pieces for demos that run a learner's whole chapter in the sandbox (their passed
exercises, the reference for the rest), with failures shown to the learner. Chapter 5.4 draws
graphs and trains its MLP this way (utils/engine_view.py); chapter 5.5 trains the learner's
autoencoders and GANs."""

from __future__ import annotations

from typing import Any, Callable, TypeVar

import streamlit as st

from utils import learner_state
from utils.runner import (PREVIOUS_DEMO_PATIENCE_S, PREVIOUS_RUN_CAPTION, after_previous_run,
                          queue_message, run_demo)
from utils.status import Status

T = TypeVar("T")


def describe_learner_code(stem: str, uses: tuple[str, ...] | None = None) -> None:
    """Say whose code the demo below will run. With `uses` (the exercises the demo calls), name
    only those: a list of every passed exercise of the chapter reads as if all of them were
    drawn."""
    _, own = learner_state.engine_file(stem)
    if uses is not None:
        theirs = [name for name in uses if name in own]
        rest = [name for name in uses if name not in own]
        if not theirs:
            st.caption(f"You have passed none of {', '.join(uses)} yet, so this runs the "
                       "reference solutions, in the sandbox like your exercises.")
        else:
            st.caption(f"Runs your {', '.join(theirs)}"
                       + (f" and the reference {', '.join(rest)}" if rest else "")
                       + ", in the sandbox like your exercises.")
        return
    if own:
        st.caption(f"Runs your code for the exercises of this chapter you have passed "
                   f"({', '.join(own)}) and the reference for the rest, in the sandbox like your "
                   "exercises.")
    else:
        st.caption("You have passed none of this chapter's exercises yet, so this runs the "
                   "reference solutions, in the sandbox like your exercises.")


def learner_demo(stem: str, demo: str, *, spinner: str = "Running your code in the sandbox…",
                 patience_s: float = PREVIOUS_DEMO_PATIENCE_S, **args: Any) -> Any | None:
    """Run `utils.demos.<stem>.<demo>` on the learner's chapter in the sandbox; its data, or
    None (with the message shown) if it failed.

    The control that asks for a demo stays on, so a rerun that interrupts one (Streamlit starts
    the page again when, say, the browser saves the learner's work) asks again while the first
    run is still going: then this waits for that run to end (up to `patience_s`) rather than show
    "your previous run has not finished"."""
    code, _ = learner_state.engine_file(stem)
    waiting = st.empty()  # the queue position, while the demo waits for a worker
    with st.spinner(spinner):
        result = after_previous_run(
            lambda: run_demo(f"{stem}.{demo}", code, args,
                             on_wait=lambda place, s: waiting.caption(queue_message(place, s))),
            patience_s=patience_s, while_waiting=lambda: waiting.caption(PREVIOUS_RUN_CAPTION))
    waiting.empty()
    if result.status != Status.PASSED:
        st.error(result.message)
        return None
    return result.data


def validated_learner_demo(stem: str, demo: str, validate: Callable[[Any], T], *, failure: str,
                           spinner: str = "Running your code in the sandbox…",
                           **args: Any) -> T | None:
    """`learner_demo`, then `validate(data)`: the validated value, or None with the message shown
    when the run failed or its data is not what the page can draw (`validate` raised ValueError;
    `failure` starts that message, e.g. "Your run can't be drawn")."""
    data = learner_demo(stem, demo, spinner=spinner, **args)
    if data is None:
        return None
    try:
        # (Under the same spinner: a widget that drew its first view without torch may import
        # the chapter's code only now, seconds on a server that has just started.)
        with st.spinner(spinner):
            return validate(data)
    except ValueError as err:
        st.error(f"{failure}: {err}.")
        return None
