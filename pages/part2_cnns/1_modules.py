import streamlit as st

from utils.widgets import chapter_header, exercise

STEM = "part2_cnns"
chapter_header(STEM, "modules")

st.markdown(
    r"""
A neural network is a function with parameters. PyTorch's `nn.Module` is the bookkeeping around
that idea: when you assign an `nn.Parameter` (a tensor that should be trained) or another module
to an attribute, the module records it. That is what makes `model.parameters()` find every
weight to hand to an optimizer, `model.state_dict()` name every tensor for saving, and
`model.train()` / `model.eval()` reach every submodule.

A module needs two things from you: `__init__`, which calls `super().__init__()` first and then
creates the parameters and submodules, and `forward`, which says what to compute. Calling
`module(x)` runs `forward(x)` (plus any hooks).

We start with the simplest module there is: one with no parameters at all.
"""
)
exercise(f"{STEM}.ReLU")

st.header("Linear layers, and how to initialise them")
st.markdown(
    r"""
A linear layer maps $x \in \mathbb{R}^{\text{in}}$ to $y = W x + b$ with
$W \in \mathbb{R}^{\text{out} \times \text{in}}$. Batches arrive as rows, so the batched form is
$Y = X W^\top + b$, which is why PyTorch stores `weight` as `(out_features, in_features)`.

How big should the initial weights be? Each output is a sum of `in_features` terms
$w_i x_i$. If the $x_i$ have variance 1 and the $w_i$ are independent with variance
$\sigma^2$, the sum has variance $\text{in} \cdot \sigma^2$. To keep activations from growing
(or shrinking) layer after layer, we want that near 1, so $\sigma \propto 1/\sqrt{\text{in}}$.
PyTorch draws from the uniform distribution on $[-1/\sqrt{\text{in}}, 1/\sqrt{\text{in}}]$,
whose standard deviation is $1/\sqrt{3\,\text{in}}$; so will you.
"""
)
exercise(f"{STEM}.Linear")

st.header("Flatten")
st.markdown(
    r"""
Images arrive as `(batch, channels, height, width)`, but a linear layer wants vectors. `Flatten`
merges a range of dimensions into one, keeping the batch dimension by default. One subtlety:
`view` only works when the tensor's memory is laid out in the order of its shape; after a
`transpose` or `permute` it is not, and `reshape` (which copies when it must) is the safe choice.
"""
)
exercise(f"{STEM}.Flatten")

st.header("A first model")
st.markdown(
    r"""
Modules nest: a model is a module whose attributes are modules. Its parameters are named after
the path to them, like `linear1.weight`, which is how a saved `state_dict` finds its way back
into a model. Here is a two-layer perceptron for 28 x 28 images:

$$
\text{logits} = W_2\, \text{ReLU}(W_1\, \text{flatten}(x) + b_1) + b_2 ,
$$

with 784 inputs, 100 hidden units and 10 outputs, one per digit.
"""
)
exercise(f"{STEM}.SimpleMLP")
