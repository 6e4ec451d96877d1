import streamlit as st

from utils.widgets import chapter_header, exercise

STEM = "part4_backprop"
chapter_header(STEM, "more_functions")

st.markdown(
    r"""
The engine now works for `log` and `*`. Every other operation needs the same two pieces: a
forward function (one line with `wrap_forward_fn`, given) and a backward function for each
argument (yours), registered in `BACK_FUNCS`. Each is a few lines; what makes them worth doing
is seeing which local derivative each operation has, and how shapes flow backwards.

Every backward function here is checked against finite differences and `torch.autograd`. Use
`utils.gradcheck.gradcheck` on your own cases while you work.
"""
)

st.header("Elementwise functions")
st.markdown(
    r"""
For $\text{out} = f(x)$ elementwise, $\partial L / \partial x = \text{grad\_out} \cdot f'(x)$.
For $\exp$, $f'(x) = e^x$ is the output itself, already computed: backward functions receive
`out` for exactly this reason.
"""
)
exercise(f"{STEM}.negative_back")
exercise(f"{STEM}.exp_back")

st.header("Functions that move numbers around")
st.markdown(
    r"""
Reshaping, permuting and expanding compute nothing: they put the same numbers in new places.
Their backward puts each gradient back where its number came from. For `reshape` that is the
reverse reshape; for `np.transpose(x, axes)` it is the **inverse permutation**: if output axis
$i$ came from input axis $\text{axes}[i]$, the inverse sends axis $\text{axes}[i]$ back to $i$.
`(1, 0)` is its own inverse, but `(2, 0, 1)` is not: its inverse is `(1, 2, 0)`.

`expand` copies an array along new or size-1 dimensions: that is broadcasting, and you already
wrote its backward.
"""
)
exercise(f"{STEM}.reshape_back")
exercise(f"{STEM}.invert_transposition")
exercise(f"{STEM}.permute_back")
exercise(f"{STEM}.expand_back")

st.header("Sum")
st.markdown(
    r"""
$\text{out} = \sum_i x_i$ has $\partial\,\text{out} / \partial x_i = 1$ for every $i$: each
element gets the sum's gradient. With `dim` set, each element gets the gradient of the sum it
went into. The only subtlety is shape: without `keepdim`, the summed dimension is gone from
`grad_out`, so broadcasting it against `x` would line up the wrong dimensions. Put it back first.
"""
)
exercise(f"{STEM}.sum_back")

st.header("Indexing")
st.markdown(
    r"""
`x[index]` picks elements; the backward scatters their gradients back into zeros of `x`'s
shape. With integer-array indices an element can be picked **twice** (`x[[0, 0, 1]]`), and then
it must receive both gradients. NumPy's `grad[index] += grad_out` does not do that (it writes
each position once); `np.add.at` does. Indices may hold Tensors (`logits[rows, labels]` with
labels a Tensor), which NumPy can't use: `coerce_index` swaps them for their arrays.
"""
)
exercise(f"{STEM}.coerce_index")
exercise(f"{STEM}.getitem_back")

st.header("Arithmetic")
st.markdown(
    r"""
For $x + y$ both gradients are `grad_out`; for $x - y$ the second is negated; for $x / y$:
$$
\frac{\partial}{\partial x}\frac{x}{y} = \frac{1}{y}, \qquad
\frac{\partial}{\partial y}\frac{x}{y} = -\frac{x}{y^2}.
$$
Each then goes through `unbroadcast`, since $x$ and $y$ may have broadcast against each other,
and one of them may be a plain number. `add_back0`/`add_back1` are given as the pattern.
"""
)
exercise(f"{STEM}.subtract_back0")
exercise(f"{STEM}.subtract_back1")
exercise(f"{STEM}.true_divide_back0")
exercise(f"{STEM}.true_divide_back1")

st.header("Maximum and ReLU")
st.markdown(
    r"""
$\max(x, y)$ passes the gradient to whichever argument is larger. Where $x = y$ it has no
derivative, but it has subgradients: the weightings $(\lambda, 1 - \lambda)$ with
$\lambda \in [0, 1]$. So with $g$ = `grad_out`, sending $\lambda g$ to $x$ and
$(1 - \lambda) g$ to $y$ is valid for any such $\lambda$. It is the weight that lies in
$[0, 1]$, not the parts: when $g$ is negative, both parts are too.

We take $\lambda = \tfrac12$, so that $\max(x, y)$ and $\max(y, x)$ behave the same. With
that, ReLU needs no backward of its own: it is $\max(x, 0)$, and its gradient at exactly 0 is
$\tfrac12$.
"""
)
exercise(f"{STEM}.maximum_back0")
exercise(f"{STEM}.maximum_back1")
exercise(f"{STEM}.relu")

st.header("Matrix multiplication")
st.markdown(
    r"""
For $\text{out} = xy$ with $x$ of shape $(m, n)$ and $y$ $(n, p)$,
$\text{out}_{ik} = \sum_j x_{ij} y_{jk}$, so

$$
\frac{\partial L}{\partial x_{ij}} = \sum_k \frac{\partial L}{\partial\,\text{out}_{ik}} y_{jk}
\quad\Rightarrow\quad \frac{\partial L}{\partial x} = \text{grad\_out}\; y^\top ,
\qquad \frac{\partial L}{\partial y} = x^\top\, \text{grad\_out} .
$$

If you forget which side the transpose goes on, the shapes tell you: there is only one way to
make an $(m, n)$ from an $(m, p)$ and an $(n, p)$.
"""
)
exercise(f"{STEM}.matmul2d_back0")
exercise(f"{STEM}.matmul2d_back1")
