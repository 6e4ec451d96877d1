import streamlit as st

from utils.figures import part4_backprop as figures
from utils.widgets import chapter_header, exercise

STEM = "part4_backprop"
chapter_header(STEM, "backward_by_hand")

st.markdown(
    r"""
Every computation is a graph: inputs at the left, operations in between, one number (the loss
$L$) at the right. To train, we want $\partial L / \partial x$ for every input $x$. The chain
rule says how to get it one operation at a time: if $\text{out} = f(x)$, then

$$
\frac{\partial L}{\partial x} = \frac{\partial L}{\partial \text{out}} \cdot
\frac{\partial \text{out}}{\partial x} .
$$

So each operation needs one **backward function**: given $\partial L / \partial \text{out}$
(we call it `grad_out`), the output and the inputs, return $\partial L / \partial x$. Starting
from $\partial L / \partial L = 1$ and calling backward functions from the right end of the graph
to the left gives every gradient: that is backpropagation.
"""
)
exercise(f"{STEM}.log_back")

st.header("Broadcasting, backwards")
st.markdown(
    r"""
When $x$ of shape `(3,)` is added to $y$ of shape `(2, 3)`, broadcasting uses each element of
$x$ twice. An element used in several places receives gradient from each of them, and those
contributions add up. So the gradient for $x$ is the gradient of the output **summed over the
copies**: over the dimensions broadcasting added in front, and over those it stretched from
size 1. Without that step, the "gradient" would not even have $x$'s shape.
"""
)
exercise(f"{STEM}.unbroadcast")
exercise(f"{STEM}.multiply_back0")
exercise(f"{STEM}.multiply_back1")

st.header("Check a gradient yourself")
st.markdown(
    r"""
A backward function is easy to get subtly wrong, and easy to check: nudge each input element by
$\pm h$ and watch the output change. The **central difference**

$$
\frac{\partial L}{\partial x_i} \approx \frac{L(x + h e_i) - L(x - h e_i)}{2h}
$$

is off by two errors that pull $h$ opposite ways. The Taylor terms it leaves out shrink like
$h^2$ (the $h\,L''$ term of a one-sided difference cancels between the two sides). But each
value of $L$ is rounded to a relative precision $\varepsilon$, and dividing by $2h$ magnifies
that into an error of about $\varepsilon / h$. The sum is smallest near
$h \approx \varepsilon^{1/3}$: in float64 ($\varepsilon \approx 2 \cdot 10^{-16}$) that is
$h \approx 10^{-5}$, where the estimate is good to about $10^{-10}$. In float32
($\varepsilon \approx 10^{-7}$) the best step is near $5 \cdot 10^{-3}$ and the estimate is
good only to a few times $10^{-5}$, too coarse to tell a right gradient from a slightly wrong one.
Left of each valley below, rounding wins; right of it, the $h^2$ term does.
"""
)
st.plotly_chart(figures.step_size_figure(), width="stretch", theme=None)
st.markdown(
    r"""
So `utils.gradcheck.gradcheck` works in float64 with $h = 10^{-5}$. It does this for any backward
function of yours (the checks use it too):
"""
)
st.code(figures.GRADCHECK_EXAMPLE, language="python")

st.header("Backprop by hand")
st.markdown(
    r"""
Put it together on $g = \log(a \cdot b \cdot \log c)$. The graph below shows every intermediate
value and its gradient $\partial g / \partial(\cdot)$, computed with the reference backward
functions; the numbers give the order in which backprop visits the nodes: the output first,
and a node only after every node that uses it. Move the inputs and watch the gradients change.
"""
)
cols = st.columns(3)
a = cols[0].slider("a", 0.2, 3.0, 1.0, 0.1, key="bp_a")
b = cols[1].slider("b", 0.2, 3.0, 2.0, 0.1, key="bp_b")
c = cols[2].slider("c", 1.5, 20.0, 10.0, 0.5, key="bp_c")
st.plotly_chart(figures.expression_graph(a, b, c), width="stretch", theme=None)
exercise(f"{STEM}.forward_and_back")
