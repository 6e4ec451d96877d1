"""Widgets for chapter 4.2's sections 4-5: "Run the range test with my code" and "Sample from my
model", both running the learner's code in the sandbox (utils/demos/makemore_mlp/tuning.py).
Neither draws a chart before its button is pressed, and the chapter's code (torch) is imported
only then. Session-state keys start with "mm2_tune_".
"""

from __future__ import annotations

import streamlit as st

from types import ModuleType

from utils import charts
from utils.demo_widgets import describe_learner_code, validated_learner_demo
from utils.demos import makemore_mlp_settings as chapter_settings

__all__ = ["my_range_test", "my_samples"]

STEM = "makemore_mlp"
SWEEP_KEY = "mm2_tune_sweep"
SAMPLES_KEY = "mm2_tune_samples"


def _experiments() -> ModuleType:
    from utils.experiments.makemore_mlp import tuning

    return tuning


def _figures() -> ModuleType:
    from utils.figures.makemore_mlp import tuning

    return tuning


def _demos() -> ModuleType:
    from utils.demos.makemore_mlp import tuning

    return tuning


def my_range_test() -> None:
    """The learner's range test, drawn over the reference's."""
    describe_learner_code(STEM, uses=("lr_range_test",))
    steps = chapter_settings.SWEEP_STEPS
    st.caption(f"{steps} steps of your `lr_range_test` with exponents "
               f"`torch.linspace({chapter_settings.SWEEP_LO:g}, {chapter_settings.SWEEP_HI:g}, "
               f"{steps})`, "
               "on the same fresh model (2-d embeddings, 100 units, Karpathy's seed) and the same "
               "training contexts as the reference sweep.")
    if st.button("Run the range test with my code", type="primary", key="mm2_tune_sweep_btn"):
        shown = validated_learner_demo(STEM, "range_test",
                                       lambda data: _demos().validated_range_test(data, steps),
                                       failure="Your range test can't be drawn",
                                       spinner="Running your range test in the sandbox…",
                                       steps=steps)
        if shown is not None:
            st.session_state[SWEEP_KEY] = shown
    yours = st.session_state.get(SWEEP_KEY)
    if yours is None:
        st.info("Press the button to run your own `lr_range_test` here.")
        return
    sweep = _experiments().tuning_results()["lr_sweep"]
    charts.plotly_chart(_figures().lr_sweep_figure(sweep, yours, "Your range test over the "
                                                              "reference's"),
                        width="stretch", key="mm2_tune_sweep_chart")


def my_samples() -> None:
    """Names from the learner's sample_mlp, beside the reference's."""
    choice = st.radio("sample from", chapter_settings.TRAIN_STEPS, horizontal=True,
                      key="mm2_tune_model",
                      format_func=lambda s: "the reference run's parameters" if s == 0 else
                      f"a model your code trains for {s:,} steps")
    uses = ("sample_mlp",) if choice == 0 else ("sample_mlp", "init_mlp", "train_mlp",
                                                "split_loss")
    describe_learner_code(STEM, uses=uses)
    if choice:
        st.caption("Your `init_mlp` (10-d embeddings, 200 units, Karpathy's seed) and "
                   f"`train_mlp` (rate 0.1, batches of 32) train a model for {choice:,} steps "
                   "first: a few seconds. The reference trained for 200,000.")
    settings = {"n": chapter_settings.N_SAMPLES, "seed": chapter_settings.SAMPLE_SEED,
                "train_steps": choice}
    if st.button("Sample from my model", type="primary", key="mm2_tune_samples_btn"):
        shown = validated_learner_demo(STEM, "sample_names",
                                       lambda data: _demos().validated_samples(data,
                                                                               settings["n"]),
                                       failure="Your names can't be shown",
                                       spinner="Sampling with your code in the sandbox…",
                                       **settings)
        if shown is not None:
            st.session_state[SAMPLES_KEY] = (settings, shown)
    kept = st.session_state.get(SAMPLES_KEY)
    if kept is None:
        st.info("Press the button to draw names with your own `sample_mlp`.")
        return
    if kept[0] != settings:
        st.caption("Your last names came from another model: press the button to sample "
                   "from this one.")
    used, data = kept
    experiments = _experiments()
    ref = experiments.sample_comparison()["mlp"]
    label = "yours, reference parameters" if used["train_steps"] == 0 else \
        f"yours, after {used['train_steps']:,} steps"
    charts.plotly_chart(_figures().samples_table({label: data["names"], "reference": ref},
                                              f"generator seeded {used['seed']}"),
                        width="stretch", key="mm2_tune_samples_chart")
    if used["train_steps"]:
        st.caption(f"Your model's dev loss after {used['train_steps']:,} steps: "
                   f"{data['dev_loss']:.3f} (the reference run's after 200,000: "
                   f"{experiments.sample_comparison()['mlp_dev_loss']:.3f}).")
    elif data["names"] == ref:
        st.success("Your names are the reference's, letter for letter: same parameters, same "
                   "seed, same draws.")
