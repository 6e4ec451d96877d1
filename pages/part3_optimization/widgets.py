"""Chapter 3's page-only pieces: one function per {widget} directive in its sections."""

import streamlit as st

from utils.figures import part3_optimization as figures
from utils.widgets import compute_button

STEM = "part3_optimization"


def optimizers_1() -> None:
    choice = st.selectbox("Landscape", list(figures.LANDSCAPES), key="landscape_view")
    st.plotly_chart(figures.landscape_figure(choice), width="stretch", theme=None)


def optimizers_2() -> None:
    noise_figure, _ = figures.minibatch_noise_figure()
    st.plotly_chart(noise_figure, width="stretch", theme=None)


def optimizers_3() -> None:
    landscape = st.selectbox("Landscape", list(figures.LANDSCAPES), key="race_landscape")
    n_iters = st.slider("Steps", 10, 300, 100, 10, key="race_steps")
    runs = []
    columns = st.columns(3)
    defaults = (("SGD", 0.02), ("Adam", 0.1), ("RMSprop", 0.02))
    for i, (column, (default_name, default_lr)) in enumerate(zip(columns, defaults)):
        with column:
            name = st.selectbox(f"Optimizer {i + 1}", ["(none)", *figures.OPTIMIZERS],
                                index=list(figures.OPTIMIZERS).index(default_name) + 1,
                                key=f"race_opt_{i}")
            if name == "(none)":
                continue
            lr = st.select_slider("learning rate", [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.02, 0.05,
                                                    0.1, 0.2, 0.5], default_lr, key=f"race_lr_{i}")
            params = {"lr": lr}
            if name in ("SGD", "RMSprop"):
                params["momentum"] = st.slider("momentum", 0.0, 0.99, 0.9 if name == "SGD" else 0.0,
                                               0.01, key=f"race_mom_{i}")
            if name in ("Adam", "AdamW"):
                # beta2 lives close to 1, where what matters is 1 - beta2: pick it from a log scale.
                params["betas"] = (st.slider("beta1", 0.0, 0.99, 0.9, 0.01, key=f"race_b1_{i}"),
                                   st.select_slider("beta2", figures.BETA2_CHOICES, 0.999,
                                                    format_func=figures.format_number,
                                                    key=f"race_b2_{i}"))
            runs.append((name, tuple(sorted(params.items()))))
    if runs:
        figure, summary = figures.race_figure(landscape, tuple(runs), n_iters)
        st.plotly_chart(figure, width="stretch", theme=None)
        st.dataframe(summary, hide_index=True, width="stretch")


def sweeps_1() -> None:
    left, right = st.columns(2)
    count = left.slider("Runs", 5, 60, 24, key="sweep_count")
    seed = right.number_input("Seed", 0, 1000, 0, key="sweep_seed")
    if compute_button("Run the sweep", key="run_sweep"):
        rows = figures.sweep_with_progress(count, int(seed), st.progress(0.0))
        parallel, scatter = figures.sweep_figures(rows)
        st.markdown("**Every run** (drag along an axis to filter the lines):")
        st.plotly_chart(parallel, width="stretch", theme=None)
        st.markdown("**Dev accuracy against learning rate**; marker size shows the epochs:")
        st.plotly_chart(scatter, width="stretch")
        st.dataframe(sorted(rows, key=lambda r: -r[figures.METRIC]), hide_index=True,
                     width="stretch")
        best, test_accuracy = figures.sweep_winner(rows)
        st.success(
            f"The winner, run {best['run']} ({best['optimizer']}, learning rate "
            f"{best['learning_rate']:.2g}, batch size {best['batch_size']}, {best['epochs']} epochs): "
            f"dev accuracy {best[figures.METRIC]:.1%}; test accuracy, measured once: "
            f"{test_accuracy:.1%}.")
        st.markdown(
            "What to look for: Adam reaches a high dev accuracy over a wide band of learning rates, "
            "while SGD without momentum barely learns in a few epochs unless its learning rate is "
            "near the top of the range. More often than not, the winner's test accuracy is a little "
            "below its dev accuracy: the dev score is the one that was picked for being high.")


def sweeps_2() -> None:
    range_optimizer = st.selectbox("Optimizer", ["sgd", "adam"], key="range_test_optimizer")
    if compute_button("Run the range test", key="range_test"):
        range_figure, found = figures.lr_range_figure(range_optimizer)
        st.plotly_chart(range_figure, width="stretch", theme=None)
        st.markdown(
            f"Trained from scratch for 3 epochs (batch size 8, as in the range test), "
            f"`{range_optimizer}` reaches a dev accuracy of **{found['accuracy at suggested']:.1%}** "
            f"at the suggested learning rate {found['suggested']:.2g}, and "
            f"**{found['accuracy at lowest']:.1%}** at the lowest point's {found['lowest']:.2g}."
        )


def sweeps_3() -> None:
    with st.expander("Using Weights & Biases instead (optional)"):
        st.markdown(
            """
    The config is already in W&B's format. With `pip install wandb` and an account:

    ```python
    import wandb

    def one_run():
        wandb.init()
        args = update_args(SweepArgs(), dict(wandb.config))
        wandb.log({"dev_accuracy": train_digits_classifier(args)})

    sweep_id = wandb.sweep(make_sweep_config(), project="grokking-sweeps")
    wandb.agent(sweep_id, function=one_run, count=20)
    ```

    Nothing on this site needs it.
    """
        )


def distributed_1() -> None:
    st.info(
        "How your code is checked: in this page's editor, each rank is a thread and `dist.send` / "
        "`dist.recv` are replaced by in-memory queues with the same blocking behaviour (the sandbox "
        "allows no processes or sockets); a rank that waits 5 s for a message that never comes is "
        "reported as a deadlock. Locally and in Colab the same checks also start 3 real processes "
        "with a gloo process group on 127.0.0.1 and run your function there.",
        icon="🧪",
    )
