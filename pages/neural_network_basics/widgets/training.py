"""Chapter 2's widgets for sections 3 (the training loop) and 4 (tabular data).

Each draws the reference's training run for the settings the learner picks (cheap: the data are
small, and runs are cached by settings), and its "Train my model" button runs the learner's own
functions in the sandbox with the same settings (utils/demos/neural_network_basics/training.py),
drawn dashed beside the reference. The tabular widgets share one choice of dataset, made in the
first of them. Session-state keys start with "nnb_tr_".
"""

from __future__ import annotations

import streamlit as st

from utils import charts
from utils.data import DataUnavailable
from utils.demo_widgets import describe_learner_code, learner_demo
from utils.demos.neural_network_basics.training import validated_curves
from utils.experiments.neural_network_basics import tabular
from utils.experiments.neural_network_basics.training import KINDS
from utils.figures.neural_network_basics import training as figures

__all__ = ["train_digits", "tabular_dataset", "feature_ranges", "train_tabular"]

STEM = "neural_network_basics"
RATES = (0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
STDS = (0.01, 0.1, 1.0)
DATASET_KEY = "nnb_tr_dataset"


def _final(run: dict) -> str:
    return f"validation accuracy {run['accuracy'][-1]:.1%}, training loss {run['loss'][-1]:.3f}"


def _uses(kind: str, scale: bool = False) -> tuple[str, ...]:
    """The exercises a training run of `kind` calls (utils/experiments/.../training.py)."""
    model = ("linear1", "train_epoch") if kind == "linear" else ("simple_net", "BasicOptim")
    return (*(("standardize",) if scale else ()), "init_params", model[0], "mnist_loss",
            "calc_grad", model[1], "batch_accuracy")


def _own(key: str, settings: dict, demo: str, args: dict) -> dict | None:
    """The learner's run for `settings` (kept for the session), trained with `args` when the
    button is pressed; None before that, after a failure (the message is shown), or when the
    kept run was made with other settings."""
    describe_learner_code(STEM, _uses(settings["kind"], settings.get("scale", False)))
    if st.button("Train my model", key=f"{key}_button", type="primary"):
        result = learner_demo(STEM, demo, spinner="Training your model in the sandbox…", **args)
        if result is not None:
            try:
                st.session_state[key] = (settings, validated_curves(result, settings["epochs"]))
            except ValueError as err:
                st.error(f"Your model's results can't be drawn: {err}.")
    kept = st.session_state.get(key)
    if kept is None:
        return None
    if kept[0] != settings:
        st.caption("Your last run used other settings: press the button to train with these.")
        return None
    return kept[1]


def train_digits() -> None:
    """A linear model or the two-layer net on the 3s and 7s: the reference, and the learner's."""
    cols = st.columns([1, 1, 1])
    kind = cols[0].radio("Model", list(KINDS), format_func=KINDS.get, key="nnb_tr_kind")
    lr = cols[1].select_slider("learning rate", RATES, value=1.0, key="nnb_tr_lr")
    std = cols[2].select_slider("init_params std", STDS, value=0.1, key="nnb_tr_std")
    epochs = st.slider("epochs", 5, 40, 20, key="nnb_tr_epochs")
    settings = {"kind": kind, "epochs": epochs, "lr": lr, "std": std}
    reference = figures.digit_run(kind, epochs, lr, std)
    own = _own("nnb_tr_own_digits", settings, "train_digits", settings)
    runs = {f"reference {KINDS[kind]}": reference}
    if own is not None:
        runs[f"your {KINDS[kind]}"] = own
    charts.plotly_chart(figures.curves(runs, f"3s and 7s, {figures.digit_source()}",
                                       styles={f"your {KINDS[kind]}": {"dash": "dash"}}),
                        width="stretch", key="nnb_tr_digits_chart")
    st.caption("; ".join(f"{name}: {_final(run)}" for name, run in runs.items()) + ".")


def _dataset() -> str:
    return st.session_state.get(DATASET_KEY, "breast_cancer")


def _task(name: str, explain: bool = False) -> tabular.TabularTask:
    """The chosen task; the Titanic falls back to the breast-cancer table when it can't be
    downloaded (`explain`: say so with what to do instead; else just name the table shown)."""
    try:
        return tabular.tabular_task(name)
    except DataUnavailable:
        if explain:
            # Not the error's own text: it says where to put the file, on a server the learner
            # can't reach. In a notebook or a local checkout, load_titanic() says it in full.
            st.warning("The Titanic could not be downloaded on this server, so the breast-cancer "
                       "table is shown. In a notebook or a local checkout with internet access, "
                       "it downloads on first use.")
        else:
            st.caption("Shown: the breast-cancer table (the Titanic is not available here).")
        return tabular.tabular_task("breast_cancer")


def tabular_dataset() -> None:
    """The dataset the section's other widgets use, with what it holds."""
    name = st.radio("Dataset", list(tabular.DATASETS), format_func=tabular.DATASETS.get,
                    horizontal=True, key=DATASET_KEY)
    task = _task(name, explain=True)
    st.caption(f"Shown: {figures.task_summary(task.name)}")
    charts.plotly_chart(figures.table_preview(task.name), width="stretch", key="nnb_tr_preview")


def feature_ranges() -> None:
    task = _task(_dataset())
    scale = st.toggle("standardized", key="nnb_tr_ranges_scaled")
    charts.plotly_chart(figures.feature_ranges(task.name, scale), width="stretch",
                        key="nnb_tr_ranges_chart")


def train_tabular() -> None:
    """A linear model or the net on the chosen table: the reference, and the learner's."""
    task = _task(_dataset())
    cols = st.columns([1, 1])
    kind = cols[0].radio("Model", list(KINDS), format_func=KINDS.get, key="nnb_tr_tab_kind")
    scale = cols[1].toggle("standardize the columns", value=True, key="nnb_tr_tab_scale")
    settings = {"kind": kind, "epochs": figures.TABULAR_EPOCHS, "lr": 1.0, "std": 0.1,
                "scale": scale, "dataset": task.name}
    reference = figures.tabular_run(task.name, kind, scale)
    data = {"train_x": task.train_x.tolist(), "train_y": task.train_y.flatten().tolist(),
            "valid_x": task.valid_x.tolist(), "valid_y": task.valid_y.flatten().tolist()}
    args = {**{k: v for k, v in settings.items() if k != "dataset"}, **data}
    own = _own("nnb_tr_own_tabular", settings, "train_tabular", args)
    runs = {f"reference {KINDS[kind]}": reference}
    if own is not None:
        runs[f"your {KINDS[kind]}"] = own
    charts.plotly_chart(figures.curves(runs, f"{task.source}, "
                                             f"{'standardized' if scale else 'unscaled'} columns",
                                       styles={f"your {KINDS[kind]}": {"dash": "dash"}}),
                        width="stretch", key="nnb_tr_tab_chart")
    st.caption("; ".join(f"{name}: {_final(run)}" for name, run in runs.items()) + ".")
