import streamlit as st

from utils import sources
from utils.figures import part2_cnns as figures
from utils.widgets import chapter_header, compute_button, exercise

STEM = "part2_cnns"
chapter_header(STEM, "training")

st.markdown(
    r"""
Training is a loop of four steps, repeated over batches of examples:

1. **Forward**: compute the model's outputs and the loss, a number that is small when the
   outputs are right. For classification we use the cross-entropy
   $\mathcal{L} = -\log \operatorname{softmax}(\text{logits})_{y}$, the negative log of the
   probability the model gives the true class $y$, averaged over the batch.
2. **Zero the gradients**: PyTorch *adds* each new gradient to `param.grad`, so last batch's
   gradient must be cleared first (`optimizer.zero_grad()`).
3. **Backward**: `loss.backward()` fills `param.grad` with
   $\partial \mathcal{L} / \partial \theta$ for every parameter.
4. **Step**: `optimizer.step()` moves every parameter a little against its gradient. We use
   Adam, which you will build yourself in chapter 3.

Batches come from a `DataLoader`, which shuffles the training set each epoch (one pass over the
data) and yields `(images, labels)` pairs.
"""
)

st.subheader("Training, validation and test sets")
st.markdown(
    r"""
Training loss alone can fool you: a model can memorise its training images. So we keep images it
never trains on and measure its **accuracy** there: the fraction of them whose highest logit is
the right class. We keep two such sets, for two different jobs:

- the **validation** (or dev) set is held out from the training images. After each epoch we
  measure the model on it, and it is what we look at to make every choice: how many epochs,
  which learning rate, which architecture;
- the **test** set is measured once, at the very end, after every choice is made.

Why not look at the test set every epoch? Because each choice made by looking at a number fits
that number a little. Try twenty learning rates and keep the one with the best test accuracy,
and part of the winner's lead is luck on those particular test images: its test accuracy now
overstates how it will do on new images. The validation set takes that optimism; the test set,
untouched until the end, still gives an honest estimate.

Some layers behave differently while training and while being measured (dropout, and the batch
normalisation you will meet in the ResNets section), so a module has two modes:
`model.train()` and `model.eval()`. Measuring needs no gradients either, so it runs under
`t.inference_mode()` (or `t.no_grad()`), which saves memory and time. Here is the `evaluate`
function you are given; it leaves the model in eval mode, so switch back with `model.train()`
at the start of each epoch:
"""
)
st.code(sources.source_of(STEM, "evaluate"), language="python")
exercise(f"{STEM}.train")

st.header("Watch it learn")
st.markdown(
    "Train the reference `SimpleMLP` (three epochs, a few seconds). The bar shows its progress; "
    "the result is cached, so later visits are instant."
)
data = figures.demo_data()
st.caption(f"Data: {data.source}: {len(data.train_images)} training, "
           f"{len(data.val_images)} validation and {len(data.test_images)} test images.")
if compute_button("Train the SimpleMLP", key="train_mlp"):
    losses, accuracies, model = figures.train_with_progress("SimpleMLP", st.progress(0.0))
    st.plotly_chart(figures.training_curves(losses, accuracies, "SimpleMLP on the digits"),
                    width="stretch")
    st.markdown(f"Training is over, so now, once: **test accuracy "
                f"{figures.final_test_accuracy(model):.1%}**.")
    st.markdown(
        "Before training, the model's guesses are nearly uniform (about 10 % per class). After, "
        "it is confident, and mostly right. Pick a test image:")
    index = st.slider("Test image", 0, len(data.test_images) - 1, 0, key="mlp_digit")
    st.plotly_chart(figures.digit_probabilities(index, model), width="stretch", theme=None)
