"""Chapter 5.3's interactive figures: one function per `{widget} name` directive in its sections.

Each draws controls (their session-state keys are what learners' saved state and the tests know
them by) and a figure from utils/figures/part3_optimization.py, measured where needed by
utils/experiments/part3_optimization.py. The notebook shows a static version instead: the
directive's body, a call with fixed arguments.
"""

from types import ModuleType

import streamlit as st

from utils import charts, first_view_charts
from utils.demos import part3_optimization_settings as chapter_settings
from utils.markdown_table import markdown_table
from utils.widgets import compute_button

# beta2 lives close to 1, where what matters is 1 - beta2: its slider offers a rough log scale.
BETA2_CHOICES = (0.5, 0.9, 0.95, 0.99, 0.995, 0.999, 0.9999)
LEARNING_RATES = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5)


def _experiments() -> ModuleType:
    from utils.experiments import part3_optimization

    return part3_optimization


def _figures() -> ModuleType:
    from utils.figures import part3_optimization

    return part3_optimization


def _as_typed(value: float) -> str:
    """A slider's value as typed: 0.999, 1e-05, never rounded to 1.00."""
    return f"{value:g}"


def _race_runs(choices: tuple[tuple[str, float], ...]) -> tuple:
    """The race's runs as race_figure takes them, for (optimizer, learning rate) pairs at their
    other sliders' defaults."""
    return tuple((name, tuple(sorted(chapter_settings.default_hyperparameters(name, lr).items())))
                 for name, lr in choices)


def loss_landscapes() -> None:
    """One of the three landscapes, chosen from a list: from above as a heatmap, and in a second
    tab as a surface (drawn only once that tab is opened: see figures.landscape_figure)."""
    choice = st.selectbox("Landscape", chapter_settings.LANDSCAPE_NAMES, key="landscape_view")
    at_default = choice == chapter_settings.LANDSCAPE_NAMES[0]
    from_above, as_surface = st.tabs(["From above", "As a surface"])
    with from_above:
        first_view_charts.chart(at_default,
                                lambda: _figures().landscape_figure(choice, "heatmap"),
                                theme=None, key="landscape_heatmap")
    with as_surface:
        first_view_charts.chart(at_default,
                                lambda: _figures().landscape_figure(choice, "surface"),
                                theme=None, number=1, key="landscape_surface")


def optimizer_race() -> None:
    """Up to three optimizers, with hyperparameters set by sliders, racing across a landscape."""
    landscape = st.selectbox("Landscape", chapter_settings.LANDSCAPE_NAMES, key="race_landscape")
    n_iters = st.slider("Steps", 10, 300, chapter_settings.RACE_STEPS, 10, key="race_steps")
    runs = []
    columns = st.columns(3)
    optimizers = chapter_settings.OPTIMIZER_NAMES
    for i, (column, (default_name, default_lr)) in enumerate(
            zip(columns, chapter_settings.RACE_OPTIMIZERS)):
        with column:
            name = st.selectbox(f"Optimizer {i + 1}", ["(none)", *optimizers],
                                index=optimizers.index(default_name) + 1, key=f"race_opt_{i}")
            if name == "(none)":
                continue
            start = chapter_settings.default_hyperparameters(name, default_lr)
            lr = st.select_slider("learning rate", LEARNING_RATES, start["lr"],
                                  key=f"race_lr_{i}")
            params = {"lr": lr}
            if "momentum" in start:
                params["momentum"] = st.slider("momentum", 0.0, 0.99, start["momentum"], 0.01,
                                               key=f"race_mom_{i}")
            if "betas" in start:
                beta1, beta2 = start["betas"]
                params["betas"] = (st.slider("beta1", 0.0, 0.99, beta1, 0.01, key=f"race_b1_{i}"),
                                   st.select_slider("beta2", BETA2_CHOICES, beta2,
                                                    format_func=_as_typed, key=f"race_b2_{i}"))
            runs.append((name, tuple(sorted(params.items()))))
    if not runs:
        return
    at_default = (landscape, tuple(runs), n_iters) == (
        chapter_settings.LANDSCAPE_NAMES[0], _race_runs(chapter_settings.RACE_OPTIMIZERS),
        chapter_settings.RACE_STEPS)
    raced = {}  # computed once, for the chart and the table, unless both are kept

    def race() -> tuple:
        if not raced:
            raced["race"] = _figures().race_figure(landscape, tuple(runs), n_iters)
        return raced["race"]

    first_view_charts.chart(at_default, lambda: race()[0], theme=None, key="race_chart")
    st.markdown(first_view_charts.text(0, at_default, lambda: markdown_table(race()[1])))


def hyperparameter_sweep() -> None:
    """A sweep of a chosen number of runs, on a button press: every run, dev accuracy against
    learning rate, and the winner measured once on the test split."""
    left, right = st.columns(2)
    count = left.slider("Runs", 5, 60, 24, key="sweep_count")
    seed = right.number_input("Seed", 0, 1000, 0, key="sweep_seed")
    if not compute_button("Run the sweep", key="run_sweep"):
        return
    bar = st.progress(0.0)
    experiments, figures = _experiments(), _figures()
    rows = experiments.sweep(count, int(seed), lambda done, total: bar.progress(
        done / total, text=f"Sweep: run {done} of {total}"))
    best_dev = max(row[figures.METRIC] for row in rows)
    bar.progress(1.0, text=f"Sweep done: best dev accuracy {best_dev:.1%}")
    parallel, scatter = figures.sweep_figures(rows)
    st.markdown("**Every run** (drag along an axis to filter the lines):")
    charts.plotly_chart(parallel, width="stretch", theme=None)
    st.markdown("**Dev accuracy against learning rate**; marker size shows the epochs:")
    charts.plotly_chart(scatter, width="stretch")
    st.dataframe(sorted(rows, key=lambda r: -r[figures.METRIC]), hide_index=True,
                 width="stretch")
    best, test_accuracy = experiments.sweep_winner(rows)
    st.success(
        f"The winner, run {best['run']} ({best['optimizer']}, learning rate "
        f"{best['learning_rate']:.2g}, batch size {best['batch_size']}, {best['epochs']} epochs): "
        f"dev accuracy {best[figures.METRIC]:.1%}; test accuracy, measured once: "
        f"{test_accuracy:.1%}.")


def lr_range_test() -> None:
    """The range test for a chosen optimizer, on a button press, and what training from scratch
    reaches at the suggested rate and at the lowest point's."""
    optimizer = st.selectbox("Optimizer", ["sgd", "adam"], key="range_test_optimizer")
    if not compute_button("Run the range test", key="range_test"):
        return
    charts.plotly_chart(_figures().lr_range_figure(optimizer), width="stretch", theme=None)
    found = _experiments().range_test(optimizer)
    st.markdown(
        f"Trained from scratch for 3 epochs (batch size 8, as in the range test), "
        f"`{optimizer}` reaches a dev accuracy of **{found['accuracy at suggested']:.1%}** "
        f"at the suggested learning rate {found['suggested']:.2g}, and "
        f"**{found['accuracy at lowest']:.1%}** at the lowest point's {found['lowest']:.2g}."
    )
