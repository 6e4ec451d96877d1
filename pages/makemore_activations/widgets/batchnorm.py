"""Widgets for chapter 4.3's sections 4-5: "Diagnose my network" trains Karpathy's deep network
with the learner's BatchNorm1d and measures it with their activation_stats, gradient_stats and
update_ratios in the sandbox (utils/demos/makemore_activations/batchnorm.py), and draws it next
to the saved healthy run; `diagnostic_cases` shows two saved runs side by side. Session-state
keys start with "mm3_bn_".
"""

from __future__ import annotations

import streamlit as st

from utils import charts
from utils.demo_widgets import describe_learner_code, validated_learner_demo
from utils.demos.makemore_activations.batchnorm import GAINS, RATES, USES, validated_run
from utils.experiments.makemore_activations import batchnorm as experiments
from utils.figures.makemore_activations import batchnorm as figures

__all__ = ["diagnostic_cases", "diagnose_my_network"]

STEM = "makemore_activations"
OWN_KEY = "mm3_bn_own"
KIND_LABELS = {"activations": "tanh outputs", "gradients": "their gradients",
               "weight gradients": "weight gradients", "update ratios": "update ratios"}


def _kind_and_when(key: str, when: str = "init") -> tuple[str, str]:
    cols = st.columns([3, 2])
    kind = cols[0].radio("plot", list(KIND_LABELS), format_func=KIND_LABELS.get,
                         horizontal=True, key=f"{key}_kind")
    when = cols[1].radio("histograms", ("init", "end"), index=("init", "end").index(when),
                         horizontal=True,
                         format_func=lambda w: "at initialisation" if w == "init" else
                         f"after {experiments.DIAG_STEPS:,} steps", key=f"{key}_when",
                         disabled=kind == "update ratios")
    return kind, when


def diagnostic_cases() -> None:
    """Two saved runs side by side: the healthy network against a broken one."""
    cases = {k: c["label"] for k, c in experiments.CASES.items() if k != "healthy"}
    broken = st.selectbox("compare the healthy network with", list(cases),
                          index=list(cases).index("no_gain"), format_func=cases.get,
                          key="mm3_bn_case")
    kind, when = _kind_and_when("mm3_bn_cases")
    charts.plotly_chart(figures.case_figure("healthy", broken, kind, when), width="stretch",
                        key="mm3_bn_cases_chart")


def diagnose_my_network() -> None:
    """Settings, the button, and the learner's run beside the saved healthy one."""
    describe_learner_code(STEM, USES)
    cols = st.columns(3)
    batchnorm = cols[0].toggle("batch norm", value=True, key="mm3_bn_toggle")
    gain = cols[1].select_slider("gain", GAINS, value=5 / 3, format_func=lambda g: f"{g:.3g}",
                                 key="mm3_bn_gain")
    lr = cols[2].select_slider("learning rate", RATES, value=0.1, key="mm3_bn_lr")
    settings = {"batchnorm": bool(batchnorm), "gain": float(gain), "lr": float(lr),
                "steps": experiments.DIAG_STEPS}
    st.caption(f"Karpathy's deep network (five tanh layers of 100 units) built by the chapter's "
               f"`deep_network` with your `BatchNorm1d`, trained {experiments.DIAG_STEPS:,} "
               "steps on minibatches of 32 from Karpathy's seed, measured with your three stats "
               "functions. A few seconds.")
    if st.button("Diagnose my network", type="primary", key="mm3_bn_button"):
        shown = validated_learner_demo(STEM, "diagnose_network",
                                       lambda data: validated_run(data, settings["steps"]),
                                       failure="Your run can't be drawn",
                                       spinner="Training and measuring in the sandbox…",
                                       **settings)
        if shown is not None:
            st.session_state[OWN_KEY] = (settings, shown)
    kept = st.session_state.get(OWN_KEY)
    if kept is None:
        st.info("Press **Diagnose my network** to run your code; until then, the saved "
                "healthy run.")
        healthy = experiments.bn_runs()["diagnostics"]["healthy"]
        charts.plotly_chart(figures.diagnostics_figure({healthy["label"]: healthy}, "activations"),
                            width="stretch", key="mm3_bn_own_ref")
        return
    used, own = kept
    if used != settings:
        st.caption("Your last run used other settings: press the button to run with these.")
    kind, when = _kind_and_when("mm3_bn_own", when="end")
    healthy = experiments.bn_runs()["diagnostics"]["healthy"]
    mine = (f"yours: {'batch norm' if used['batchnorm'] else 'no batch norm'}, gain "
            f"{used['gain']:.3g}, rate {used['lr']:g}")
    charts.plotly_chart(figures.diagnostics_figure({mine: own, "reference: " + healthy["label"]:
                                                    healthy}, kind, when),
                        width="stretch", key="mm3_bn_own_chart")
    dev = own.get("dev")
    st.caption(f"Your network's dev loss after {used['steps']:,} steps: "
               + (f"{dev:.3f}" if dev is not None else "not finite (training diverged)")
               + f"; the healthy reference's: {healthy['dev']:.3f}.")
