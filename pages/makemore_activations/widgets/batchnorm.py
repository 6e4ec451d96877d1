"""Widgets for chapter 4.3's sections 4-5: "Diagnose my network" trains Karpathy's deep network
with the learner's BatchNorm1d and measures it with their activation_stats, gradient_stats and
update_ratios in the sandbox (utils/demos/makemore_activations/batchnorm.py), and draws it next
to the saved healthy run; `diagnostic_cases` shows two saved runs side by side. At their
defaults, on a fresh server's first page, both draw the charts kept for them
(utils/first_view_charts.py), so that the page need not import the chapter's code (torch).
Session-state keys start with "mm3_bn_".
"""

from __future__ import annotations

from types import ModuleType

import streamlit as st

from utils import charts, first_view_charts
from utils.demo_widgets import describe_learner_code, validated_learner_demo
from utils.demos.makemore_activations_settings import CASES, DIAG_STEPS, GAINS, RATES, USES

__all__ = ["diagnostic_cases", "diagnose_my_network"]

STEM = "makemore_activations"
OWN_KEY = "mm3_bn_own"
KIND_LABELS = {"activations": "tanh outputs", "gradients": "their gradients",
               "weight gradients": "weight gradients", "update ratios": "update ratios"}
DEFAULT_CASE = "no_gain"


def _figures() -> ModuleType:
    from utils.figures.makemore_activations import batchnorm

    return batchnorm


def _healthy_run() -> dict:
    from utils.experiments.makemore_activations import batchnorm

    return batchnorm.bn_runs()["diagnostics"]["healthy"]


def _healthy_alone() -> object:
    healthy = _healthy_run()
    return _figures().diagnostics_figure({healthy["label"]: healthy}, "activations")


def _validated_run(data: object, steps: int) -> dict:
    from utils.demos.makemore_activations.batchnorm import validated_run

    return validated_run(data, steps)


def _kind_and_when(key: str, when: str = "init") -> tuple[str, str]:
    cols = st.columns([3, 2])
    kind = cols[0].radio("plot", list(KIND_LABELS), format_func=KIND_LABELS.get,
                         horizontal=True, key=f"{key}_kind")
    when = cols[1].radio("histograms", ("init", "end"), index=("init", "end").index(when),
                         horizontal=True,
                         format_func=lambda w: "at initialisation" if w == "init" else
                         f"after {DIAG_STEPS:,} steps", key=f"{key}_when",
                         disabled=kind == "update ratios")
    return kind, when


def diagnostic_cases() -> None:
    """Two saved runs side by side: the healthy network against a broken one."""
    cases = {k: c["label"] for k, c in CASES.items() if k != "healthy"}
    broken = st.selectbox("compare the healthy network with", list(cases),
                          index=list(cases).index(DEFAULT_CASE), format_func=cases.get,
                          key="mm3_bn_case")
    kind, when = _kind_and_when("mm3_bn_cases")
    first_view_charts.chart((broken, kind, when) == (DEFAULT_CASE, "activations", "init"),
                            lambda: _figures().case_figure("healthy", broken, kind, when),
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
                "steps": DIAG_STEPS}
    st.caption(f"Karpathy's deep network (five tanh layers of 100 units) built by the chapter's "
               f"`deep_network` with your `BatchNorm1d`, trained {DIAG_STEPS:,} "
               "steps on minibatches of 32 from Karpathy's seed, measured with your three stats "
               "functions. A few seconds.")
    if st.button("Diagnose my network", type="primary", key="mm3_bn_button"):
        shown = validated_learner_demo(STEM, "diagnose_network",
                                       lambda data: _validated_run(data, settings["steps"]),
                                       failure="Your run can't be drawn",
                                       spinner="Training and measuring in the sandbox…",
                                       **settings)
        if shown is not None:
            st.session_state[OWN_KEY] = (settings, shown)
    kept = st.session_state.get(OWN_KEY)
    if kept is None:
        st.info("Press **Diagnose my network** to run your code; until then, the saved "
                "healthy run.")
        # (The healthy run alone: it does not depend on the settings.)
        first_view_charts.chart(True, _healthy_alone, key="mm3_bn_own_ref")
        return
    used, own = kept
    if used != settings:
        st.caption("Your last run used other settings: press the button to run with these.")
    kind, when = _kind_and_when("mm3_bn_own", when="end")
    healthy = _healthy_run()
    mine = (f"yours: {'batch norm' if used['batchnorm'] else 'no batch norm'}, gain "
            f"{used['gain']:.3g}, rate {used['lr']:g}")
    both = {mine: own, "reference: " + healthy["label"]: healthy}
    charts.plotly_chart(_figures().diagnostics_figure(both, kind, when), width="stretch",
                        key="mm3_bn_own_chart")
    dev = own.get("dev")
    st.caption(f"Your network's dev loss after {used['steps']:,} steps: "
               + (f"{dev:.3f}" if dev is not None else "not finite (training diverged)")
               + f"; the healthy reference's: {healthy['dev']:.3f}.")
