"""Chapter 2's widgets for sections 3 (the training loop) and 4 (tabular data).

Each draws the reference's training run for the settings the learner picks (cheap: the data are
small, and runs are cached by settings), and its "Train my model" button runs the learner's own
functions in the sandbox with the same settings (utils/demos/neural_network_basics/training.py),
drawn dashed beside the reference. The tabular widgets share one choice of dataset, made in the
first of them. Session-state keys start with "nnb_tr_".

The controls come from torch-free settings; the chapter's runs, data and figures are imported
only when a widget computes. In its default state, on a fresh server's first page, a widget draws
the chart kept for it and its caption's numbers as kept (utils/first_view_charts.py) instead, so
that page need not import torch.
"""

from __future__ import annotations

import functools
from types import ModuleType
from typing import TYPE_CHECKING, Callable

import streamlit as st

from utils import first_view_charts
from utils.demo_widgets import describe_learner_code, learner_demo
from utils.demos.neural_network_basics_settings import DATASETS, KINDS, TABULAR_EPOCHS

if TYPE_CHECKING:
    from utils.experiments.neural_network_basics.tabular import TabularTask

__all__ = ["train_digits", "tabular_dataset", "feature_ranges", "train_tabular"]

STEM = "neural_network_basics"
RATES = (0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
STDS = (0.01, 0.1, 1.0)
DATASET_KEY = "nnb_tr_dataset"
DEFAULT_DATASET = next(iter(DATASETS))  # the radio's first: the breast-cancer table
# The digits widget's settings as the page opens (the radio's first model, the sliders' values).
DIGITS_DEFAULTS = {"kind": next(iter(KINDS)), "epochs": 20, "lr": 1.0, "std": 0.1}
SCALE_BY_DEFAULT = True  # the tabular model's standardize toggle, as the page opens


def _figures() -> ModuleType:
    from utils.figures.neural_network_basics import training

    return training


def _final(run: dict) -> str:
    return f"validation accuracy {run['accuracy'][-1]:.1%}, training loss {run['loss'][-1]:.3f}"


def _uses(kind: str, scale: bool = False) -> tuple[str, ...]:
    """The exercises a training run of `kind` calls (utils/experiments/.../training.py)."""
    model = ("linear1", "train_epoch") if kind == "linear" else ("simple_net", "BasicOptim")
    return (*(("standardize",) if scale else ()), "init_params", model[0], "mnist_loss",
            "calc_grad", model[1], "batch_accuracy")


def _own(key: str, settings: dict, demo: str, args: Callable[[], dict]) -> dict | None:
    """The learner's run for `settings` (kept for the session), trained with `args()` when the
    button is pressed; None before that, after a failure (the message is shown), or when the
    kept run was made with other settings."""
    describe_learner_code(STEM, _uses(settings["kind"], settings.get("scale", False)))
    if st.button("Train my model", key=f"{key}_button", type="primary"):
        spinner = "Training your model in the sandbox…"
        result = learner_demo(STEM, demo, spinner=spinner, **args())
        if result is not None:
            with st.spinner(spinner):  # (the chapter's code may be imported only now)
                from utils.demos.neural_network_basics.training import validated_curves

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
    lr = cols[1].select_slider("learning rate", RATES, value=DIGITS_DEFAULTS["lr"],
                               key="nnb_tr_lr")
    std = cols[2].select_slider("init_params std", STDS, value=DIGITS_DEFAULTS["std"],
                                key="nnb_tr_std")
    epochs = st.slider("epochs", 5, 40, DIGITS_DEFAULTS["epochs"], key="nnb_tr_epochs")
    settings = {"kind": kind, "epochs": epochs, "lr": lr, "std": std}
    own = _own("nnb_tr_own_digits", settings, "train_digits", lambda: settings)

    @functools.cache
    def runs() -> dict[str, dict]:
        reference = _figures().digit_run(kind, epochs, lr, std)
        return {f"reference {KINDS[kind]}": reference,
                **({f"your {KINDS[kind]}": own} if own is not None else {})}

    at_default = settings == DIGITS_DEFAULTS and own is None
    first_view_charts.chart(at_default, lambda: _figures().curves(
        runs(), f"3s and 7s, {_figures().digit_source()}",
        styles={f"your {KINDS[kind]}": {"dash": "dash"}}), key="nnb_tr_digits_chart")
    st.caption(first_view_charts.text(0, at_default, lambda: _finals(runs())))


def _finals(runs: dict[str, dict]) -> str:
    return "; ".join(f"{name}: {_final(run)}" for name, run in runs.items()) + "."



def _dataset() -> str:
    return st.session_state.get(DATASET_KEY, "breast_cancer")


def _task(name: str, explain: bool = False) -> TabularTask:
    """The chosen task; the Titanic falls back to the breast-cancer table when it can't be
    downloaded (`explain`: say so with what to do instead; else just name the table shown)."""
    from utils.data import DataUnavailable
    from utils.experiments.neural_network_basics import tabular

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


def _chosen_task(name: str, explain: bool = False) -> Callable[[], TabularTask]:
    """The chosen task, loaded when first asked for. The default table is loaded only when it is
    needed (a first view draws it from what was kept); another at once, so that a fallback is
    said where the widget starts (`_task`)."""
    if name == DEFAULT_DATASET:
        return functools.cache(lambda: _task(name, explain))
    task = _task(name, explain)
    return lambda: task


def tabular_dataset() -> None:
    """The dataset the section's other widgets use, with what it holds."""
    name = st.radio("Dataset", list(DATASETS), format_func=DATASETS.get, horizontal=True,
                    key=DATASET_KEY)
    task = _chosen_task(name, explain=True)
    at_default = name == DEFAULT_DATASET
    st.caption(first_view_charts.text(
        0, at_default, lambda: f"Shown: {_figures().task_summary(task().name)}"))
    first_view_charts.chart(at_default, lambda: _figures().table_preview(task().name),
                            key="nnb_tr_preview")


def feature_ranges() -> None:
    name = _dataset()
    task = _chosen_task(name)
    scale = st.toggle("standardized", key="nnb_tr_ranges_scaled")
    first_view_charts.chart(name == DEFAULT_DATASET and not scale,
                            lambda: _figures().feature_ranges(task().name, scale),
                            key="nnb_tr_ranges_chart")


def train_tabular() -> None:
    """A linear model or the net on the chosen table: the reference, and the learner's."""
    name = _dataset()
    task = _chosen_task(name)
    cols = st.columns([1, 1])
    kind = cols[0].radio("Model", list(KINDS), format_func=KINDS.get, key="nnb_tr_tab_kind")
    scale = cols[1].toggle("standardize the columns", value=SCALE_BY_DEFAULT,
                           key="nnb_tr_tab_scale")
    # (The table shown: the chosen one, or the breast-cancer table it fell back to.)
    shown = name if name == DEFAULT_DATASET else task().name
    settings = {"kind": kind, "epochs": TABULAR_EPOCHS, "lr": 1.0, "std": 0.1,
                "scale": scale, "dataset": shown}

    def args() -> dict:
        data = {"train_x": task().train_x.tolist(), "train_y": task().train_y.flatten().tolist(),
                "valid_x": task().valid_x.tolist(), "valid_y": task().valid_y.flatten().tolist()}
        return {**{k: v for k, v in settings.items() if k != "dataset"}, **data}

    own = _own("nnb_tr_own_tabular", settings, "train_tabular", args)

    @functools.cache
    def runs() -> dict[str, dict]:
        reference = _figures().tabular_run(shown, kind, scale)
        return {f"reference {KINDS[kind]}": reference,
                **({f"your {KINDS[kind]}": own} if own is not None else {})}

    at_default = (shown, kind, scale, own) == (DEFAULT_DATASET, next(iter(KINDS)),
                                               SCALE_BY_DEFAULT, None)
    first_view_charts.chart(at_default, lambda: _figures().curves(
        runs(), f"{task().source}, {'standardized' if scale else 'unscaled'} columns",
        styles={f"your {KINDS[kind]}": {"dash": "dash"}}), key="nnb_tr_tab_chart")
    st.caption(first_view_charts.text(0, at_default, lambda: _finals(runs())))
