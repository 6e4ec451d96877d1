import streamlit as st

from utils.figures import part2_cnns as figures
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

st.header("Linear layers")
st.markdown(
    r"""
A linear layer maps $x \in \mathbb{R}^{\text{in}}$ to $y = W x + b$ with
$W \in \mathbb{R}^{\text{out} \times \text{in}}$: the usual convention of linear algebra, in
which row $j$ of $W$ holds the weights of output $j$, and $y_j$ is that row's dot product with
$x$. PyTorch stores `weight` the same way, with shape `(out_features, in_features)`, and so will
you: one row per output unit, and a state dict saved from `nn.Linear` loads into your layer
as it is. Batches arrive as the rows of a matrix $X$ of shape `(batch, in_features)`, so the
batched forward pass is $Y = X W^\top + b$, or `x @ self.weight.T` (the transpose is a view, not
a copy).

Initialise the weights as PyTorch does, uniformly in $[-1/\sqrt{\text{in}}, 1/\sqrt{\text{in}}]$.
The next section shows where that scale comes from, and where it falls short.
"""
)
exercise(f"{STEM}.Linear")

st.subheader("How big should the initial weights be?",
             anchor="how-big-should-the-initial-weights-be")
st.markdown(
    r"""
Training starts from the initial weights. If the activations shrink layer after layer, so do
the gradients flowing back through the same weights, and the early layers barely learn; if they
grow, the loss overflows. So the scale of the weights matters, and it depends on two things:
the width of a layer and the depth of the stack.

**Width.** One output of a layer is a sum of $\text{in}$ products, $y = \sum_i w_i x_i$. With
independent weights of mean 0 and variance $\sigma^2$,

$$
\operatorname{Var}(y) = \text{in} \cdot \sigma^2 \cdot \mathbb{E}[x^2] .
$$

Choose $\sigma = c / \sqrt{\text{in}}$ and this becomes $c^2\, \mathbb{E}[x^2]$, whatever the
width. That is all the $1/\sqrt{\text{in}}$ buys: a scale that does not depend on the width.

**Depth.** It does not make the scale independent of depth. Every layer multiplies the mean
square of its input by the same factor $c^2$, so a stack of $L$ layers multiplies it by
$c^{2L}$. PyTorch's default draws from $U(-1/\sqrt{\text{in}}, 1/\sqrt{\text{in}})$, whose
variance is $1/(3\,\text{in})$ (a uniform distribution on $[-a, a]$ has variance $a^2/3$), so
$c^2 = 1/3$: each layer divides the variance by about 3. Measured on five layers of width 256
(no biases) fed with unit-variance inputs, it goes
$0.34 \to 0.11 \to 0.038 \to 0.013 \to 0.004$. A ReLU sets the negative half of its input to
zero, which halves the mean square, so with ReLUs between the layers the factor is about $1/6$.

**Kaiming (He) initialisation**, from He et al. (2015), picks $c$ to make the factor 1:
$\sigma = \text{gain} / \sqrt{\text{fan\_in}}$, where the gain makes up for what the
nonlinearity takes away: $\sqrt{2}$ for ReLU (it undoes the halving), 1 with no nonlinearity,
and $5/3$ for tanh, which squashes large inputs (5/3 is PyTorch's empirical choice, not part of
He et al.'s derivation). `nn.init.calculate_gain` lists them, and
`nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")` applies the rule. The fan-in is
the number of inputs each output sums: `in_features` for a linear layer,
`in_channels * kernel_size ** 2` for a convolution.

See it below. Each line is a stack of linear layers without biases (so that only the weights'
scale shows), fed with standard-normal inputs; the plot shows how spread out each layer's
outputs are. The four lines: PyTorch's default $U(\pm 1/\sqrt{\text{in}})$ ($c^2 = 1/3$); a normal
with standard deviation exactly $1/\sqrt{\text{in}}$ ($c = 1$); Kaiming; and PyTorch's default with
batch norm after every layer. Change the width, and the lines barely move; change the nonlinearity, and the
gain that keeps the spread steady changes with it.
"""
)
left, right = st.columns(2)
nonlinearity = left.radio("Nonlinearity between the layers", list(figures.NONLINEARITIES),
                          horizontal=True, key="init_nonlinearity")
width = right.select_slider("Width of every layer", figures.INIT_WIDTHS, value=256,
                            key="init_width")
st.plotly_chart(figures.init_depth_figure(width, nonlinearity), width="stretch")
st.markdown(
    r"""
With batch norm after each layer (you will write it in the ResNets section), every layer's
output is re-standardised over the batch, so its spread is 1 whatever the weights' scale: one
reason normalisation layers made deep networks far less sensitive to initialisation. With no
nonlinearity, the "std $1/\sqrt{\text{in}}$" and Kaiming lines coincide (the gain is 1), while
PyTorch's default still fades, by a factor of 3 in variance per layer. At width
64, even Kaiming's line wanders: the rule is right on average, but a product of many random
matrices drifts away from its average, the more so the narrower they are.

**Why is PyTorch's default what it is, then?** `nn.Linear` and `nn.Conv2d` initialise their
weights with `kaiming_uniform_(weight, a=math.sqrt(5))`: Kaiming's rule for a leaky ReLU of
negative slope $a$, whose gain $\sqrt{2 / (1 + a^2)}$ is $\sqrt{1/3}$ at $a = \sqrt{5}$. A uniform
distribution with standard deviation $\sqrt{1/3} / \sqrt{\text{in}}$ has bound
$\sqrt{3} \cdot \sqrt{1/3} / \sqrt{\text{in}} = 1/\sqrt{\text{in}}$: the same
$U(-1/\sqrt{\text{in}}, 1/\sqrt{\text{in}})$, written in Kaiming's terms. The scale itself
comes from Lua Torch's `nn.Linear`, and PyTorch's maintainers have kept it for backward
compatibility: changing it would silently change what existing training code does. It is fine
for shallow networks like this chapter's, and a normalisation layer after every layer resets the
spread whatever the weights' scale (the dotted line); for a deep plain stack, choose the
initialisation yourself.
"""
)

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
