import streamlit as st

from utils.engine_view import (MINE, engine_choice, offline_test_images, train_with_progress,
                               training_arrays)
from utils.figures import part4_backprop as figures
from utils.navigation import section_page
from utils.widgets import chapter_header, compute_button, exercise

STEM = "part4_backprop"
chapter_header(STEM, "together")

st.markdown(
    r"""
The engine can differentiate anything built from its operations. What's missing is what makes
it pleasant to train with: a way to say "these arrays are the weights", to collect them from a
model made of layers, a loss, a way to evaluate without building a graph, and an optimizer.
Each is a few lines, and each mirrors the PyTorch piece you already use.
"""
)

st.header("Parameters and modules")
st.markdown(
    r"""
A `Parameter` is a Tensor that requires grad by default: it marks what the optimizer trains.

A `Module` collects them. Assigning `self.weight = Parameter(...)` inside a module should
register it, so that `model.parameters()` finds every weight of every layer without you
listing them. Python calls `__setattr__` on every attribute assignment: that is the hook.
Submodules register the same way, and `parameters()` walks into them.
"""
)
exercise(f"{STEM}.Parameter")
exercise(f"{STEM}.Module")
st.markdown(
    r"""
`Linear` is the first real layer: $y = x W^\top + b$ with $W$ of shape (out, in). Its forward
uses only Tensor operations, so it needs no backward.

How big should the initial weights be? Each output sums `in` products, so the weights must
shrink as `in` grows, or wide layers would start with huge outputs. PyTorch's default, and ours,
is uniform in $\pm 1/\sqrt{\text{in}}$: a weight's variance is then $\frac{1}{3\,\text{in}}$,
and an output's variance is $\text{in} \cdot \frac{1}{3\,\text{in}} = \frac13$ of the inputs'
mean square (plus a little from the bias), for 10 inputs as for 10 000.
"""
)
variances = " → ".join(f"{v:.2g}" for v in figures.linear_stack_variances())
st.markdown(
    rf"""
That makes the scale independent of the **width**, not of the **depth**: every layer multiplies
the variance by about $\frac13$, and by about $\frac16$ with a ReLU after it (which sets the
negative half of its inputs to zero). Five 256-wide layers of this `Linear`, fed
unit-variance inputs, give variances {variances}. This chapter's MLP has three layers and
trains fine; deeper ReLU networks start from **Kaiming (He) initialisation**, standard
deviation $\text{{gain}} / \sqrt{{\text{{fan\_in}}}}$ with gain $\sqrt2$ for ReLU, which keeps
the variance the same from layer to layer. Chapter 2's *Making your own modules* page has the
whole story, with a live figure.
"""
)
st.page_link(section_page("part2_cnns", "modules"), label="Chapter 2: how big the initial "
             "weights should be", icon="📏")
exercise(f"{STEM}.Linear")

st.header("The loss")
st.markdown(
    r"""
For logits $z$ and true class $y$, cross-entropy is the negative log-probability softmax gives
the true class:

$$
\ell = -\log \frac{e^{z_y}}{\sum_j e^{z_j}} = \log \sum_j e^{z_j} - z_y .
$$

Written with the engine's `exp`, `sum`, `log`, indexing and subtraction, it differentiates
itself. One numerical trap: $e^{1000}$ overflows. Subtracting each row's maximum first changes
nothing mathematically (it cancels between the two terms) and keeps every exponent $\le 0$.
"""
)
exercise(f"{STEM}.cross_entropy")

st.header("No gradients, and an optimizer")
st.markdown(
    r"""
Evaluating a model on test data needs no graph: recording one costs time and keeps every
intermediate array of the evaluation alive in memory, for a backward pass that never comes.
`with NoGrad():` switches recording off for a block, and puts back whatever was there before,
so that blocks can nest.

The switch is an attribute, `grad_mode.enabled`, rather than a module-level `True`/`False`,
for two reasons. Setting an attribute changes the one object every importer shares, so code in
any module that imported `grad_mode` (the checks, say) flips the switch the engine reads. A bare
bool is easy to copy by mistake: `from engine import enabled` makes a new name in the importing
module, and `enabled = False` there, or in a method that forgot `global`, leaves the engine's
variable as it was.

And `GradMode` subclasses `threading.local`, so each thread has its own switch. This site runs
the reference engine for many learners in one server process, one thread per browser session:
with a single switch, one learner's `NoGrad` evaluation would stop another's training step from
recording its graph. PyTorch's grad mode is per-thread too.

SGD then is two methods: forget the gradients, and take a step against them.
"""
)
exercise(f"{STEM}.NoGrad")
exercise(f"{STEM}.SGD")

st.header("Training an MLP with your engine")
st.markdown(
    r"""
Everything is in place for the loop you have written many times in PyTorch: for each batch,
forward, loss, zero the gradients, backward, step. The given `MLP` is $784 \to 64 \to 64 \to 10$
with ReLUs, and `train_mlp` shuffles the data each epoch, calls your `train_epoch`, and measures
test accuracy with `NoGrad`.
"""
)
exercise(f"{STEM}.train_epoch")

source, (_, _, test_images, _) = training_arrays()
st.markdown(
    f"Train it. Data: **{source}**. With *my engine*, everything you have passed in this "
    "chapter is yours (the rest is the reference), trained on the offline digits in the "
    "sandbox."
)
cols = st.columns(3)
epochs = cols[0].slider("epochs", 1, 20, 10, key="bp_epochs")
lr = cols[1].select_slider("learning rate", (0.01, 0.03, 0.1, 0.3), 0.1, key="bp_lr")
batch_size = cols[2].select_slider("batch size", (16, 32, 64, 128), 32, key="bp_batch")
choice = engine_choice("bp_train_engine")
if compute_button("Train the MLP", key="bp_train"):
    history = train_with_progress(choice, epochs, lr, batch_size)
    if history is not None:
        accuracy = history["epoch_accuracy"][-1]
        st.metric("test accuracy after the last epoch", f"{accuracy:.1%}")
        st.plotly_chart(figures.training_curves(history), width="stretch")
        shown = offline_test_images() if choice == MINE else test_images
        st.plotly_chart(figures.digit_predictions(shown, history["labels"],
                                                  history["predictions"]),
                        width="stretch", theme=None)
