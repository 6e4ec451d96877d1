import streamlit as st

from utils.figures import part3_optimization as figures
from utils.widgets import chapter_header, compute_button, exercise

STEM = "part3_optimization"
chapter_header(STEM, "sweeps")

st.markdown(
    r"""
Every optimizer has knobs, and the right settings depend on the model and the data. A
**hyperparameter sweep** tries many settings and keeps the best. Three ways to choose them:

- **Grid search** tries every combination of a few values per knob. Simple, but it spends most
  of its runs varying knobs that don't matter.
- **Random search** draws each knob independently. With the same budget it tries many more
  values of each knob, which is why it usually wins when only a few knobs matter (Bergstra and
  Bengio, 2012).
- **Bayesian search** fits a model of "settings to score" and picks promising settings next.

A learning rate spans orders of magnitude, so it is drawn **log-uniformly**: 1e-4 to 1e-3 is as
likely as 1e-2 to 1e-1. Drawn uniformly, 90 % of the samples would land between 1e-2 and 1e-1.

We describe the search space in the format of Weights & Biases sweeps, so the same dictionary
works with `wandb.sweep` if you use it; here everything runs locally, with no account.
"""
)
exercise(f"{STEM}.make_sweep_config")
exercise(f"{STEM}.sample_parameters")
exercise(f"{STEM}.update_args")

st.header("Choose on dev, report on test")
st.markdown(
    r"""
A sweep's score decides which settings win, so it cannot also be the score we report for the
winner. Each run of `train_digits_classifier` fits its weights on a **train** split of 1077
digits and is scored on a **dev** (validation) split of 360 others; the sweep keeps the run with
the best dev accuracy.

That best dev accuracy flatters the winner. On 360 digits, a run's accuracy typically differs
from what it would be on endless new digits by about one percentage point, by chance alone
($\sqrt{p(1-p)/n} \approx 0.011$ at $p = 0.95$), and the largest of many such numbers favours the
runs that were lucky on these particular digits. So a third split, **test** (360 digits), takes
no part in any choice: the winner is evaluated on it once, at the end. Since nothing was chosen
by it, its accuracy is an unbiased estimate of the winner's accuracy on new digits. Look at it,
change something because of it, and it has become a second dev set.
"""
)
exercise(f"{STEM}.select_and_test")

st.header("Run a sweep")
st.markdown(
    "Each run trains a small MLP on the train split of scikit-learn's 8 x 8 digits with this "
    "chapter's optimizers (`train_digits_classifier`, a fraction of a second per run) and reports "
    "its dev accuracy. The sweep samples with the reference `sample_parameters`, and the "
    "reference `select_and_test` reports the winner on the test split."
)
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

st.header("A first learning rate: the range test")
st.markdown(
    r"""
A sweep costs many runs. One cheap run can tell it where to look first: a **learning-rate range
test** (Smith, 2017, who raised the rate linearly over a few epochs; the exponential one-pass
version below is fastai's `lr_find`). Start from a tiny learning rate and multiply it by the
same factor after every step, so that over one pass through the training data it climbs
exponentially, here from $10^{-5}$ to $10$ (stopping early once the loss has blown up), and
record the loss at every step. Against the
learning rate on a log axis, the loss first hardly moves (the steps are too small to matter),
then falls, then shoots up once the steps overshoot.

The lowest point is not the rate to train with. There the loss has stopped falling, because the
steps have become big enough to undo progress: it is the edge of blowing up, reached after many
steps at smaller rates. About ten times less, where the loss was still clearly falling, is a
safe start. The loss is smoothed with a moving average, because single minibatch losses are
noisy; the smoothing lags a little, one more reason to back off.
"""
)
range_optimizer = st.selectbox("Optimizer", ["sgd", "adam"], key="range_test_optimizer")
# A range test plus two short trainings: seconds of CPU, so it runs when asked (then cached).
if compute_button("Run the range test", key="range_test"):
    range_figure, found = figures.lr_range_figure(range_optimizer)
    st.plotly_chart(range_figure, width="stretch", theme=None)
    st.markdown(
        f"Trained from scratch for 3 epochs (batch size 8, as in the range test), "
        f"`{range_optimizer}` reaches a dev accuracy of **{found['accuracy at suggested']:.1%}** "
        f"at the suggested learning rate {found['suggested']:.2g}, and "
        f"**{found['accuracy at lowest']:.1%}** at the lowest point's {found['lowest']:.2g}."
    )
st.markdown(
    "For plain SGD the suggestion lies above the sweep's range, which stops at 0.1: "
    "one reason SGD looked so weak in the sweep. The range test does not replace the sweep; it "
    "tells the sweep where to search."
)

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
