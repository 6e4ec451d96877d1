import streamlit as st

from utils.demos.part4_backprop import ExpressionError, parse_expression, parse_inputs
from utils.engine_view import demo_data, engine_choice
from utils.figures import part4_backprop as figures
from utils.widgets import chapter_header, exercise

STEM = "part4_backprop"
chapter_header(STEM, "graph")

st.markdown(
    r"""
In the last section you called backward functions in the right order yourself. To automate
that, every value has to remember **how it was made**. That is what a `Tensor` adds to a NumPy
array: a `recipe` saying which function made it, from which arguments, and which of those
arguments were themselves Tensors (its **parents**). Following parents from the loss backwards
visits the whole computation.

The `Tensor` class is given (read it in the exercise file): it holds `array`, `requires_grad`,
`grad` and `recipe`, and its operators (`*`, `+`, `.log()`, ...) call forward functions that you
write in this section and the next.

Two rules decide what gets recorded:

- A result **requires grad** if some argument does. Inputs you make by hand don't, unless you say
  `requires_grad=True`; so the data never gets a gradient, only what you want to train.
- Nothing is recorded while tracking is off (`grad_mode.enabled` is False, inside `NoGrad`):
  evaluating a model needs no graph.

**Leaves** are the tensors not made by a tracked operation: inputs and parameters. They are where
gradients are kept; intermediate values pass theirs on.
"""
)

st.header("Which backward function?")
st.markdown(
    r"""
Backprop meets a node made by `np.multiply` whose parent sits at argument position 1: it needs
`multiply_back1`. A small table keyed by *(forward function, position)* answers that.
"""
)
exercise(f"{STEM}.BackwardFuncLookup")

st.header("Forward functions that remember")
st.markdown(
    r"""
A forward function computes on arrays and wraps the result in a Tensor with a `Recipe`. The
recipe keeps the **arrays** it was called with in `args` (backward functions take arrays) and
the **Tensors** in `parents`, by position (backprop sends gradients to them). A plain number
argument, like the 2 in `x * 2`, is in `args` but has no parent.
"""
)
exercise(f"{STEM}.log_forward")
exercise(f"{STEM}.multiply_forward")
st.markdown(
    r"""
Those two functions differ only in the NumPy function they call. Write the pattern once:
`wrap_forward_fn(np.log)` is `log_forward`, and every other operation of the engine (`exp`,
`sum`, `matmul`, ...) is one line: `exp = wrap_forward_fn(np.exp)`.
"""
)
exercise(f"{STEM}.wrap_forward_fn")

st.header("Where paths meet: the multivariate chain rule")
st.markdown(
    r"""
The last section's chain rule followed a single path from an input to $L$. In a graph, a value
usually reaches the loss along several: in $L = a \log a$, the input $a$ goes into `log` and, on
its own, into `*`. In general, nudge one number $x_i$ by a small $\delta$: each value computed
directly from it (its **children** $y_j$, every element of every child) moves by about
$\frac{\partial y_j}{\partial x_i}\delta$; to first order, the effects of those moves on $L$
add up. That is the **multivariate chain rule**:

$$
\frac{\partial L}{\partial x_i} = \sum_j \frac{\partial L}{\partial y_j} \,
\frac{\partial y_j}{\partial x_i} .
$$

For $L = a \log a$: through `log`, the term is
$\frac{\partial L}{\partial \log a} \cdot \frac1a = a \cdot \frac1a = 1$; directly into `*`,
it is $\log a$; together $\log a + 1$, the derivative you know.
Each term of the sum is what one child's backward function returns, so a node's gradient is
the **sum over its children**. You have met this sum already: broadcasting's backward and the
$\sum_k$ in a matrix product's are the same rule.

Unroll it and $\partial L / \partial x_i$ is a sum over **every path** from $x_i$ to $L$ of the
product of the local derivatives along the path. Backprop never lists the paths (their number
can grow exponentially with depth): it adds up each node's children once, and every path is
counted exactly once.
"""
)

st.header("Topological sort")
st.markdown(
    r"""
A node's gradient is the sum of what every node that uses it sends back. So backprop may process
a node only once all of its users are done. Ordering a graph so that every node comes after
everything it depends on is a **topological sort**; backprop walks that order backwards.

Depth-first search gives one: finish a node's children, then append the node. A graph with a
cycle has no such order (nothing can come first), and your function should say so rather than
loop forever; a computational graph never has one, but a bug that builds one should fail loudly.
"""
)
exercise(f"{STEM}.topological_sort")

st.header("Backprop")
st.markdown(
    r"""
Now the whole algorithm, for any graph:

1. Start with the end node's gradient $\partial L / \partial\,\text{end}$: `end_grad`,
   or ones if it is not given.
2. Visit nodes in reverse topological order. At each node, its gradient is complete: for each
   parent that requires grad, call the backward function for (recipe's function, parent's
   position) and **add** the result to that parent's gradient.
3. At a leaf that requires grad, add the gradient to `.grad`.

Adding rather than assigning matters twice: a node used by two operations (`a * a`, or `a` in
both `log(a)` and `log(a) * a`) receives two contributions; and a leaf's `.grad` keeps adding up
over several `backward()` calls, which is why optimizers zero them.
"""
)
exercise(f"{STEM}.backprop")

st.header("See any graph")
st.markdown(
    r"""
Type an expression in `a`, `b`, `c` (with `+ - * / @`, `log`, `exp`, `relu`, `maximum`, and
`.sum()`), give the inputs, and see the graph the engine records: the value and the gradient
$\partial\,\text{out} / \partial(\cdot)$ at every node (summed over the output's elements), and the
**step** at which backprop visits it. Squares are the inputs; `@` needs 2-D inputs (rows
separated by `;`, as in `1 2; 3 4`). With *my engine*, your code builds the graph (your forward
functions and `Tensor`s), your `backprop` gives the inputs' gradients, and your backward
functions, in your topological order, give the ones in between; it runs in the sandbox.
"""
)
expression = st.text_input("Expression", "log(a * b * log(c))", key="bp_expression",
                           max_chars=200)
cols = st.columns(3)
texts = {name: cols[i].text_input(name, default, key=f"bp_input_{name}", max_chars=200)
         for i, (name, default) in enumerate((("a", "1, 2, 3"), ("b", "2, 3, 1"),
                                              ("c", "10")))}
choice = engine_choice("bp_graph_engine")
try:
    parse_expression(expression)
    parse_inputs(texts)
except ExpressionError as err:
    st.warning(str(err))
else:
    try:
        data = demo_data(choice, "expression_graph", expression=expression, inputs=texts)
    except Exception as err:  # noqa: BLE001 - e.g. shapes that do not match for @
        st.warning(f"The engine could not evaluate that: {err}")
        data = None
    if data is not None:
        st.plotly_chart(figures.computational_graph(data), width="stretch", theme=None)
