import streamlit as st

from utils.figures import part2_cnns as figures
from utils.widgets import chapter_header, demo_button, exercise

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
3. **Backward**: `loss.backward()` fills `param.grad` with $\partial \mathcal{L} / \partial
   \theta$ for every parameter.
4. **Step**: `optimizer.step()` moves every parameter a little against its gradient. We use
   Adam, which you will build yourself in chapter 3.

Batches come from a `DataLoader`, which shuffles the training set each epoch (one pass over the
data) and yields `(images, labels)` pairs.

Training loss alone can fool you: a model can memorise its training images. So after each epoch
we run a **validation loop** on images the model never trains on, and measure its **accuracy**:
the fraction of them whose highest logit is the right class. No gradients are needed there, so
we run it under `t.inference_mode()` (or `t.no_grad()`), which saves memory and time.
"""
)
exercise(f"{STEM}.train")

st.header("Watch it learn")
st.markdown(
    "Train the reference `SimpleMLP` (three epochs, a few seconds). The bar shows its progress; "
    "the result is cached, so later visits are instant."
)
data = figures.demo_data()
st.caption(f"Data: {data.source}: {len(data.train_images)} training and "
           f"{len(data.test_images)} test images.")
if demo_button("Train the SimpleMLP", key="train_mlp"):
    losses, accuracies, model = figures.train_with_progress("SimpleMLP", st.progress(0.0))
    st.plotly_chart(figures.training_curves(losses, accuracies, "SimpleMLP on the digits"),
                    width="stretch")
    st.markdown(
        "Before training, the model's guesses are nearly uniform (about 10 % per class). After, "
        "it is confident, and mostly right. Pick a test image:")
    index = st.slider("Test image", 0, len(data.test_images) - 1, 0, key="mlp_digit")
    st.plotly_chart(figures.digit_probabilities(index, model), width="stretch", theme=None)
