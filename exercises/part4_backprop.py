# %% [markdown]
# # Chapter 5.4: Backprop — exercises
#
# An autograd engine on NumPy, from backward functions by hand to training an MLP on digits with it.
#
# Replace each `raise NotImplementedError()` with your answer. Then run every check:
#
#     python exercises/part4_backprop.py
#
# or one test per exercise with `pytest exercises/part4_backprop.py`, or call one check yourself, e.g. `tests.test_log_back(log_back)`.
#
# This file is generated from `solutions/part4_backprop.py`; the lessons, plots and hints are on the site: https://grokking-the-fundamentals.streamlit.app/part4_backprop_overview. Open in Colab: https://colab.research.google.com/github/grokking-the-fundamentals/grokking-the-fundamentals/blob/main/exercises/part4_backprop.ipynb


# %%
import sys
from pathlib import Path

# The checks live in the repository's `utils` package: import it from the folder above this file.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
try:
    import utils  # noqa: F401
except ImportError:
    sys.exit("This file needs the course's code: put it in the exercises/ folder of a clone of "
             "https://github.com/grokking-the-fundamentals/grokking-the-fundamentals and run it from there.")


# %%
import threading
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

import numpy as np

Arr = np.ndarray

from utils.checks import part4_backprop as tests


# %% [markdown]
# ## Backward functions by hand
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/part4_backprop_backward_by_hand)


# %% [markdown]
# ### Exercise: `log_back` — The backward of log
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 5–10 minutes
#
# Write `log_back(grad_out, out, x)`: the gradient with respect to `x` of a loss $L$, for
# $\text{out} = \log x$, given $\mathrm{grad\_out} = \partial L / \partial \text{out}$.
#
# Check it with `tests.test_log_back(log_back)`.


# %%
def log_back(grad_out: Arr, out: Arr, x: Arr) -> Arr:
    """Backward of out = np.log(x): dL/dx = dL/dout * dout/dx = grad_out / x."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `unbroadcast` — Undoing broadcasting
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 15–20 minutes
#
# Write `unbroadcast(broadcasted, original)`: sum a gradient of the broadcast shape back to
# `original`'s shape, over the dimensions broadcasting added at the front (removing them) and
# those it stretched from size 1 (keeping them as size 1).
#
# Check it with `tests.test_unbroadcast(unbroadcast)`.


# %%
def unbroadcast(broadcasted: Arr, original: Arr) -> Arr:
    """Sum a gradient that has the broadcast shape back to the shape of `original`.

    Broadcasting may have (1) added dimensions at the front and (2) stretched dimensions of
    size 1. Each copy contributed to the output, so their gradients add up: sum over the added
    dimensions (removing them), then over the stretched ones (keeping them, with size 1).
    """
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `multiply_back0` — The backward of multiplication, first argument
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 10–15 minutes
#
# Write `multiply_back0(grad_out, out, x, y)`: $\partial L / \partial x$ for $\text{out} = x \cdot y$,
# where `y` may be a number or an array that broadcasts with `x`. The result has `x`'s shape.
#
# Check it with `tests.test_multiply_back0(multiply_back0)`.


# %%
def multiply_back0(grad_out: Arr, out: Arr, x: Arr, y: Arr | float) -> Arr:
    """Backward of out = x * y with respect to x. y may be a number or an array that
    broadcasts with x; the result has x's shape."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `multiply_back1` — The backward of multiplication, second argument
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 5–10 minutes
#
# Write `multiply_back1(grad_out, out, x, y)`: $\partial L / \partial y$ for $\text{out} = x \cdot y$;
# `x` may be a number.
#
# Check it with `tests.test_multiply_back1(multiply_back1)`.


# %%
def multiply_back1(grad_out: Arr, out: Arr, x: Arr | float, y: Arr) -> Arr:
    """Backward of out = x * y with respect to y. x may be a number or an array that
    broadcasts with y; the result has y's shape."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `forward_and_back` — Backprop by hand
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 15–20 minutes
#
# For $g = \log(a \cdot b \cdot \log c)$, computed in the steps the docstring lists, return
# $(\partial g/\partial a, \partial g/\partial b, \partial g/\partial c)$ using your backward
# functions, starting from $\partial g / \partial g = 1$.
#
# Check it with `tests.test_forward_and_back(forward_and_back)`.


# %%
def forward_and_back(a: Arr, b: Arr, c: Arr) -> tuple[Arr, Arr, Arr]:
    """For g = log(a * b * log(c)), computed as d = a * b, e = log(c), f = d * e, g = log(f):
    return (dg/da, dg/db, dg/dc), where g's gradient with respect to itself is all ones.

    Use the backward functions above, from g back to the inputs, one step at a time.
    """
    raise NotImplementedError()


# %%
class GradMode(threading.local):
    """Whether operations record how their outputs were made: `grad_mode.enabled`.

    An attribute rather than a module-level bool, so that every importer of grad_mode flips the
    one switch the engine reads (`from ... import enabled` would copy a bool, and assigning to
    the copy changes nothing); and one switch per thread, so that a web server running several
    learners' models at once doesn't let one's NoGrad switch off another's gradients.
    """

    enabled = True


# %%
grad_mode = GradMode()


# %%
@dataclass
class Recipe:
    """How a tensor was made: out.array == func(*args, **kwargs).

    args are the values the function was called with, each Tensor replaced by its array (other
    values, such as numbers or an index, stay as they are); parents maps the position of each
    argument that was a Tensor to that Tensor, so backprop can send the gradient for argument i
    to parents[i].
    """

    func: Callable
    args: tuple
    kwargs: dict[str, Any]
    parents: dict[int, "Tensor"]


# %%
class Tensor:
    """A NumPy array that can remember its recipe and receive a gradient.

    The operators below call forward functions (multiply, log, ...) that the exercises build;
    until you have written one, the operator that needs it raises NotImplementedError.
    """

    array: Arr
    requires_grad: bool
    grad: "Tensor | None"  # dL/d(this tensor), set by backprop on leaves that require grad
    recipe: Recipe | None  # None for tensors made by hand, or made while not tracking

    def __init__(self, array: Arr | list | float, requires_grad: bool = False) -> None:
        self.array = array if isinstance(array, np.ndarray) else np.array(array)
        self.requires_grad = requires_grad
        self.grad = None
        self.recipe = None

    @property
    def is_leaf(self) -> bool:
        """Leaves are where gradients are kept: every tensor except the outputs of tracked
        operations on tensors that require grad."""
        return not (self.requires_grad and self.recipe is not None and self.recipe.parents)

    @property
    def shape(self) -> tuple[int, ...]:
        return self.array.shape

    @property
    def ndim(self) -> int:
        return self.array.ndim

    @property
    def T(self) -> "Tensor":
        axes = tuple(range(self.ndim - 2)) + (self.ndim - 1, self.ndim - 2)
        return permute(self, axes)

    def item(self) -> float:
        return self.array.item()

    def __len__(self) -> int:
        return len(self.array)

    def __repr__(self) -> str:
        return f"Tensor({self.array!r}, requires_grad={self.requires_grad})"

    def __hash__(self) -> int:  # by identity: __eq__ below is elementwise, as in torch
        return id(self)

    def __neg__(self) -> "Tensor":
        return negative(self)

    def __add__(self, other) -> "Tensor":
        return add(self, other)

    def __radd__(self, other) -> "Tensor":
        return add(other, self)

    def __sub__(self, other) -> "Tensor":
        return subtract(self, other)

    def __rsub__(self, other) -> "Tensor":
        return subtract(other, self)

    def __mul__(self, other) -> "Tensor":
        return multiply(self, other)

    def __rmul__(self, other) -> "Tensor":
        return multiply(other, self)

    def __truediv__(self, other) -> "Tensor":
        return true_divide(self, other)

    def __rtruediv__(self, other) -> "Tensor":
        return true_divide(other, self)

    def __matmul__(self, other) -> "Tensor":
        return matmul(self, other)

    def __rmatmul__(self, other) -> "Tensor":
        return matmul(other, self)

    def __eq__(self, other) -> "Tensor":  # type: ignore[override]
        return eq(self, other)

    def __getitem__(self, index) -> "Tensor":
        return getitem(self, index)

    def log(self) -> "Tensor":
        return log(self)

    def exp(self) -> "Tensor":
        return exp(self)

    # Like torch, these take the sizes or axes separately, x.reshape(2, 3), or as one sequence,
    # x.reshape((2, 3)).
    def reshape(self, *shape: int) -> "Tensor":
        return reshape(self, tuple(shape[0]) if len(shape) == 1 and not isinstance(shape[0], int)
                       else shape)

    def permute(self, *axes: int) -> "Tensor":
        return permute(self, tuple(axes[0]) if len(axes) == 1 and not isinstance(axes[0], int)
                       else axes)

    def expand(self, *shape: int) -> "Tensor":
        return expand(self, tuple(shape[0]) if len(shape) == 1 and not isinstance(shape[0], int)
                      else shape)

    def sum(self, dim: int | tuple[int, ...] | None = None, keepdim: bool = False) -> "Tensor":
        return tensor_sum(self, dim=dim, keepdim=keepdim)

    def argmax(self, dim: int | None = None, keepdim: bool = False) -> "Tensor":
        return argmax(self, axis=dim, keepdims=keepdim)

    def backward(self, end_grad: "Tensor | Arr | None" = None) -> None:
        if isinstance(end_grad, np.ndarray):
            end_grad = Tensor(end_grad)
        backprop(self, end_grad)


# %% [markdown]
# ## The computational graph
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/part4_backprop_graph)


# %% [markdown]
# ### Exercise: `BackwardFuncLookup` — A table of backward functions
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 5–10 minutes
#
# Write the class: `add_back_func(forward_fn, arg_position, back_fn)` remembers which
# backward function undoes argument `arg_position` of `forward_fn`, and
# `get_back_func(forward_fn, arg_position)` returns it. The lines after the class register
# `log_back` and `multiply_back0/1` in the engine's table `BACK_FUNCS`.
#
# Check it with `tests.test_BackwardFuncLookup(BackwardFuncLookup)`.


# %%
class BackwardFuncLookup:
    """Which backward function to call for argument `arg_position` of `forward_fn`.

    Each instance keeps its own table: two lookups must not share their entries.
    """

    def __init__(self) -> None:
        pass

    def add_back_func(self, forward_fn: Callable, arg_position: int, back_fn: Callable) -> None:
        pass

    def get_back_func(self, forward_fn: Callable, arg_position: int) -> Callable:
        """The backward function registered for (forward_fn, arg_position); KeyError if none."""
        raise NotImplementedError()


# %%
BACK_FUNCS = BackwardFuncLookup()


# %%
BACK_FUNCS.add_back_func(np.log, 0, log_back)


# %%
BACK_FUNCS.add_back_func(np.multiply, 0, multiply_back0)


# %%
BACK_FUNCS.add_back_func(np.multiply, 1, multiply_back1)


# %% [markdown]
# ### Exercise: `log_forward` — Forward functions that record a recipe
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 10–15 minutes
#
# Write `log_forward(x)`: a new `Tensor` holding `np.log(x.array)`. It requires grad when
# tracking is on (`grad_mode.enabled`) and `x` requires grad; only then give it a
# `Recipe(func=np.log, args=(x.array,), kwargs={}, parents={0: x})`.
#
# Check it with `tests.test_log_forward(log_forward)`.


# %%
def log_forward(x: Tensor) -> Tensor:
    """np.log on a Tensor. The output requires grad when gradients are being tracked
    (grad_mode.enabled) and x requires grad; only then does it get a Recipe, whose parents
    are {0: x}."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `multiply_forward` — A forward function with two arguments
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 10–15 minutes
#
# Write `multiply_forward(a, b)`: `a * b` where one of them may be a plain number. `args`
# holds both values as arrays or numbers; `parents` holds only the arguments that are
# Tensors, under their position (0 or 1).
#
# Check it with `tests.test_multiply_forward(multiply_forward)`.


# %%
def multiply_forward(a: Tensor | float, b: Tensor | float) -> Tensor:
    """a * b where either (not both) may be a plain number. Same rules as log_forward; parents
    holds only the arguments that are Tensors, under their position."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `wrap_forward_fn` — One wrapper for every forward function
#
# Difficulty 🔴🔴🔴🔴⚪ · Importance 🔵🔵🔵🔵⚪ · 15–20 minutes
#
# Write `wrap_forward_fn(numpy_func, is_differentiable=True)`: it returns a function that
# does what `multiply_forward` did for any NumPy function, with any number of positional
# arguments and keyword arguments (passed on, and stored in the recipe's `kwargs`). A
# non-differentiable function (such as `np.equal`) never requires grad.
#
# Check it with `tests.test_wrap_forward_fn(wrap_forward_fn)`.


# %%
def wrap_forward_fn(numpy_func: Callable, is_differentiable: bool = True) -> Callable:
    """Turn a function on arrays into one on Tensors that records its Recipe.

    The returned function takes Tensors or plain values in any position (and keyword arguments,
    passed on as they are). Its output requires grad when is_differentiable, gradients are being
    tracked, and some Tensor argument requires grad.
    """
    def tensor_func(*args: Any, **kwargs: Any) -> Tensor:
        raise NotImplementedError()

    return tensor_func


# %%
log = wrap_forward_fn(np.log)


# %%
multiply = wrap_forward_fn(np.multiply)


# %%
eq = wrap_forward_fn(np.equal, is_differentiable=False)


# %%
argmax = wrap_forward_fn(np.argmax, is_differentiable=False)


# %% [markdown]
# ### Exercise: `topological_sort` — Topological sort
#
# Difficulty 🔴🔴🔴🔴⚪ · Importance 🔵🔵🔵⚪⚪ · 20–25 minutes
#
# Write `topological_sort(node, get_children)`: every node reachable from `node`, each after
# all of its children, so that `node` comes last. A node reached by two paths appears once.
# Raise `ValueError` if the graph has a cycle.
#
# Check it with `tests.test_topological_sort(topological_sort)`.


# %%
def topological_sort(node: Any, get_children: Callable[[Any], list]) -> list:
    """Every node reachable from `node`, each listed after all of its children (so `node` comes
    last). Raises ValueError if the graph has a cycle.

    For a Tensor the children are its recipe's parents: the list starts at the leaves.
    """
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `backprop` — Backpropagation
#
# Difficulty 🔴🔴🔴🔴🔴 · Importance 🔵🔵🔵🔵🔵 · 30–40 minutes
#
# Write `backprop(end_node, end_grad=None)`: visit the graph in reverse topological order,
# call the backward function of each parent that requires grad, and sum the gradients
# reaching each node. Store `.grad` (a Tensor) only on leaves that require grad, adding to a
# gradient they already have. `end_grad=None` means $\partial L / \partial\,\mathrm{end\_node} = 1$
# everywhere.
#
# Check it with `tests.test_backprop(backprop)`.


# %%
def backprop(end_node: Tensor, end_grad: Tensor | None = None) -> None:
    """Fill in .grad of every leaf that requires grad and that end_node depends on.

    end_grad is dL/d(end_node); None means all ones (end_node is then usually the loss).
    Gradients are added to any .grad a leaf already has, as torch does; nodes that are not
    leaves pass their gradient on and keep none.
    """
    raise NotImplementedError()


# %% [markdown]
# ## More forward and backward functions
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/part4_backprop_more_functions)


# %% [markdown]
# ### Exercise: `negative_back` — negative
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵⚪⚪⚪ · 2–5 minutes
#
# Write the backward of $\text{out} = -x$.
#
# Check it with `tests.test_negative_back(negative_back)`.


# %%
def negative_back(grad_out: Arr, out: Arr, x: Arr) -> Arr:
    """Backward of out = -x."""
    raise NotImplementedError()


# %%
negative = wrap_forward_fn(np.negative)


# %%
BACK_FUNCS.add_back_func(np.negative, 0, negative_back)


# %% [markdown]
# ### Exercise: `exp_back` — exp
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵⚪⚪⚪ · 2–5 minutes
#
# Write the backward of $\text{out} = e^x$.
#
# Check it with `tests.test_exp_back(exp_back)`.


# %%
def exp_back(grad_out: Arr, out: Arr, x: Arr) -> Arr:
    """Backward of out = exp(x). The forward's output is exactly the derivative: reuse it."""
    raise NotImplementedError()


# %%
exp = wrap_forward_fn(np.exp)


# %%
BACK_FUNCS.add_back_func(np.exp, 0, exp_back)


# %% [markdown]
# ### Exercise: `reshape_back` — reshape
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵⚪⚪⚪ · 3–5 minutes
#
# Write the backward of `out = np.reshape(x, new_shape)`.
#
# Check it with `tests.test_reshape_back(reshape_back)`.


# %%
def reshape_back(grad_out: Arr, out: Arr, x: Arr, new_shape: tuple[int, ...]) -> Arr:
    """Backward of out = np.reshape(x, new_shape)."""
    raise NotImplementedError()


# %%
reshape = wrap_forward_fn(np.reshape)


# %%
BACK_FUNCS.add_back_func(np.reshape, 0, reshape_back)


# %% [markdown]
# ### Exercise: `invert_transposition` — Inverting a permutation
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵⚪⚪⚪ · 5–10 minutes
#
# Write `invert_transposition(axes)`: the axes that undo `np.transpose(x, axes)`, e.g. `(2, 0, 1) -> (1, 2, 0)`.
# Accept negative axes.
#
# Check it with `tests.test_invert_transposition(invert_transposition)`.


# %%
def invert_transposition(axes: tuple[int, ...]) -> tuple[int, ...]:
    """The axes that undo np.transpose(x, axes): np.transpose(np.transpose(x, axes), result)
    is x. For example (2, 0, 1) -> (1, 2, 0). Negative axes count from the end."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `permute_back` — permute
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵⚪⚪⚪ · 3–5 minutes
#
# Write the backward of `out = np.transpose(x, axes)`.
#
# Check it with `tests.test_permute_back(permute_back)`.


# %%
def permute_back(grad_out: Arr, out: Arr, x: Arr, axes: tuple[int, ...]) -> Arr:
    """Backward of out = np.transpose(x, axes)."""
    raise NotImplementedError()


# %%
permute = wrap_forward_fn(np.transpose)


# %%
BACK_FUNCS.add_back_func(np.transpose, 0, permute_back)


# %%
def expand_array(x: Arr, new_shape: tuple[int, ...]) -> Arr:
    """Like torch's expand: broadcast x to new_shape, where -1 keeps that dimension's size.
    The sizes are matched from the right, and new leading dimensions may be added."""
    keep = [-1] * (len(new_shape) - x.ndim) + list(x.shape)
    shape = tuple(old if new == -1 else new for new, old in zip(new_shape, keep))
    return np.broadcast_to(x, shape)


# %% [markdown]
# ### Exercise: `expand_back` — expand
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵⚪⚪⚪ · 3–5 minutes
#
# Write the backward of `out = expand_array(x, new_shape)` (torch's `expand`).
#
# Check it with `tests.test_expand_back(expand_back)`.


# %%
def expand_back(grad_out: Arr, out: Arr, x: Arr, new_shape: tuple[int, ...]) -> Arr:
    """Backward of out = expand_array(x, new_shape)."""
    raise NotImplementedError()


# %%
expand = wrap_forward_fn(expand_array)


# %%
BACK_FUNCS.add_back_func(expand_array, 0, expand_back)


# %%
def sum_array(x: Arr, dim: int | tuple[int, ...] | None = None, keepdim: bool = False) -> Arr:
    """Like torch.sum: over `dim` (an int, a tuple, or None for every dimension)."""
    return np.sum(x, axis=dim, keepdims=keepdim)


# %% [markdown]
# ### Exercise: `sum_back` — sum
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 10–15 minutes
#
# Write the backward of `out = sum_array(x, dim, keepdim)`, where `dim` is None, an int or a
# tuple of ints (negative ones too).
#
# Check it with `tests.test_sum_back(sum_back)`.


# %%
def sum_back(grad_out: Arr, out: Arr, x: Arr, dim: int | tuple[int, ...] | None = None,
             keepdim: bool = False) -> Arr:
    """Backward of out = sum_array(x, dim, keepdim): every element of x that went into a sum
    gets that sum's gradient. Without keepdim the summed dimensions are missing from grad_out:
    put them back (size 1) before broadcasting to x's shape."""
    raise NotImplementedError()


# %%
tensor_sum = wrap_forward_fn(sum_array)


# %%
BACK_FUNCS.add_back_func(sum_array, 0, sum_back)


# %%
Index = int | slice | None | tuple | Arr | Tensor


# %% [markdown]
# ### Exercise: `coerce_index` — Indices that hold Tensors
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵⚪⚪⚪ · 3–5 minutes
#
# Write `coerce_index(index)`: replace every Tensor in the index, on its own or inside a
# tuple, by its array, and leave everything else as it is.
#
# Check it with `tests.test_coerce_index(coerce_index)`.


# %%
def coerce_index(index: Index) -> int | slice | None | tuple | Arr:
    """The index with every Tensor in it (alone or inside a tuple) replaced by its array, so
    that NumPy can use it."""
    raise NotImplementedError()


# %%
def getitem_array(x: Arr, index: Index) -> Arr:
    return x[coerce_index(index)]


# %% [markdown]
# ### Exercise: `getitem_back` — Indexing
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵⚪⚪⚪ · 10–15 minutes
#
# Write the backward of `out = x[index]`: zeros of `x`'s shape, with `grad_out` added where
# the elements came from, also when an index repeats. The gradient is a float array even when
# `x` holds integers (`np.zeros_like(x)` would copy an integer dtype and truncate every
# gradient to an integer).
#
# Check it with `tests.test_getitem_back(getitem_back)`.


# %%
def getitem_back(grad_out: Arr, out: Arr, x: Arr, index: Index) -> Arr:
    """Backward of out = x[index]: each gradient goes back where its element came from. An
    element picked several times (repeated integer indices) receives the sum: np.add.at adds
    once per occurrence, where `grad[index] += grad_out` would keep only one of them."""
    raise NotImplementedError()


# %%
getitem = wrap_forward_fn(getitem_array)


# %%
BACK_FUNCS.add_back_func(getitem_array, 0, getitem_back)


# %%
def add_back0(grad_out: Arr, out: Arr, x: Arr, y: Arr | float) -> Arr:
    """Backward of out = x + y with respect to x: the gradient passes through, unbroadcast."""
    return unbroadcast(grad_out, x)


# %%
def add_back1(grad_out: Arr, out: Arr, x: Arr | float, y: Arr) -> Arr:
    return unbroadcast(grad_out, y)


# %% [markdown]
# ### Exercise: `subtract_back0` — subtract, first argument
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵⚪⚪⚪ · 2–5 minutes
#
# Backward of $x - y$ with respect to $x$.
#
# Check it with `tests.test_subtract_back0(subtract_back0)`.


# %%
def subtract_back0(grad_out: Arr, out: Arr, x: Arr, y: Arr | float) -> Arr:
    """Backward of out = x - y with respect to x (y may be a number)."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `subtract_back1` — subtract, second argument
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵⚪⚪⚪ · 2–5 minutes
#
# Backward of $x - y$ for $y$.
#
# Check it with `tests.test_subtract_back1(subtract_back1)`.


# %%
def subtract_back1(grad_out: Arr, out: Arr, x: Arr | float, y: Arr) -> Arr:
    """Backward of out = x - y with respect to y (x may be a number)."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `true_divide_back0` — divide, first argument
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵⚪⚪⚪ · 3–5 minutes
#
# Backward of $x / y$ for $x$.
#
# Check it with `tests.test_true_divide_back0(true_divide_back0)`.


# %%
def true_divide_back0(grad_out: Arr, out: Arr, x: Arr, y: Arr | float) -> Arr:
    """Backward of out = x / y with respect to x (y may be a number)."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `true_divide_back1` — divide, second argument
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵⚪⚪⚪ · 3–5 minutes
#
# Backward of $x / y$ for $y$.
#
# Check it with `tests.test_true_divide_back1(true_divide_back1)`.


# %%
def true_divide_back1(grad_out: Arr, out: Arr, x: Arr | float, y: Arr) -> Arr:
    """Backward of out = x / y with respect to y (x may be a number): d(x/y)/dy = -x / y^2."""
    raise NotImplementedError()


# %%
add = wrap_forward_fn(np.add)


# %%
BACK_FUNCS.add_back_func(np.add, 0, add_back0)


# %%
BACK_FUNCS.add_back_func(np.add, 1, add_back1)


# %%
subtract = wrap_forward_fn(np.subtract)


# %%
BACK_FUNCS.add_back_func(np.subtract, 0, subtract_back0)


# %%
BACK_FUNCS.add_back_func(np.subtract, 1, subtract_back1)


# %%
true_divide = wrap_forward_fn(np.true_divide)


# %%
BACK_FUNCS.add_back_func(np.true_divide, 0, true_divide_back0)


# %%
BACK_FUNCS.add_back_func(np.true_divide, 1, true_divide_back1)


# %% [markdown]
# ### Exercise: `maximum_back0` — maximum, first argument
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵⚪⚪⚪ · 5–10 minutes
#
# Backward of `np.maximum(x, y)` for $x$: the gradient goes where $x$ is the larger; where $x = y$
# each argument gets half.
#
# Check it with `tests.test_maximum_back0(maximum_back0)`.


# %%
def maximum_back0(grad_out: Arr, out: Arr, x: Arr, y: Arr | float) -> Arr:
    """Backward of out = np.maximum(x, y) with respect to x: the gradient goes to the larger
    argument. Where x == y, lam * grad_out to x and (1 - lam) * grad_out to y is a valid
    subgradient for any lam in [0, 1]; we take lam = 1/2, which keeps x and y symmetric."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `maximum_back1` — maximum, second argument
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵⚪⚪⚪ · 3–5 minutes
#
# Backward of `np.maximum(x, y)` for $y$.
#
# Check it with `tests.test_maximum_back1(maximum_back1)`.


# %%
def maximum_back1(grad_out: Arr, out: Arr, x: Arr | float, y: Arr) -> Arr:
    """Backward of out = np.maximum(x, y) with respect to y."""
    raise NotImplementedError()


# %%
maximum = wrap_forward_fn(np.maximum)


# %%
BACK_FUNCS.add_back_func(np.maximum, 0, maximum_back0)


# %%
BACK_FUNCS.add_back_func(np.maximum, 1, maximum_back1)


# %% [markdown]
# ### Exercise: `relu` — ReLU from maximum
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵⚪⚪⚪ · 2–5 minutes
#
# Write `relu(x)` for a Tensor, using the engine's `maximum` so that it has a backward
# without writing one.
#
# Check it with `tests.test_relu(relu)`.


# %%
def relu(x: Tensor) -> Tensor:
    """max(x, 0) elementwise, built from `maximum` so that its backward comes for free (at 0
    exactly, the gradient is the tie's 0.5)."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `matmul2d_back0` — Matrix product, first argument
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 5–10 minutes
#
# Backward of $\text{out} = x y$ for $x$ ($m \times n$, with $y$ $n \times p$).
#
# Check it with `tests.test_matmul2d_back0(matmul2d_back0)`.


# %%
def matmul2d_back0(grad_out: Arr, out: Arr, x: Arr, y: Arr) -> Arr:
    """Backward of out = x @ y (x: (m, n), y: (n, p)) with respect to x: (m, n)."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `matmul2d_back1` — Matrix product, second argument
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 3–5 minutes
#
# Backward of $\text{out} = x y$ for $y$ ($n \times p$).
#
# Check it with `tests.test_matmul2d_back1(matmul2d_back1)`.


# %%
def matmul2d_back1(grad_out: Arr, out: Arr, x: Arr, y: Arr) -> Arr:
    """Backward of out = x @ y (x: (m, n), y: (n, p)) with respect to y: (n, p)."""
    raise NotImplementedError()


# %%
matmul = wrap_forward_fn(np.matmul)


# %%
BACK_FUNCS.add_back_func(np.matmul, 0, matmul2d_back0)


# %%
BACK_FUNCS.add_back_func(np.matmul, 1, matmul2d_back1)


# %% [markdown]
# ## Putting it together: training an MLP
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/part4_backprop_together)


# %% [markdown]
# ### Exercise: `Parameter` — Parameter
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 3–5 minutes
#
# Write `Parameter(tensor, requires_grad=True)`: a Tensor with the same array that requires
# grad unless told otherwise.
#
# Check it with `tests.test_Parameter(Parameter)`.


# %%
class Parameter(Tensor):
    """A Tensor that a Module owns and an optimizer updates: it requires grad by default."""

    def __init__(self, tensor: Tensor, requires_grad: bool = True) -> None:
        raise NotImplementedError()


# %% [markdown]
# ### Exercise: `Module` — Module
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 15–20 minutes
#
# Write `Module`: `__setattr__` registers Parameters in `self._parameters` and Modules in
# `self._modules` (and still sets the attribute); `modules()` yields the direct submodules;
# `parameters(recurse=True)` yields this module's parameters, then each submodule's, in the
# order they were assigned; calling a module calls `forward`.
#
# Check it with `tests.test_Module(Module)`.


# %%
class Module:
    """A layer or a model: it registers every Parameter and Module assigned to one of its
    attributes, so that parameters() can find all of them, submodules' included."""
    _modules: dict[str, "Module"]
    _parameters: dict[str, Parameter]

    def __init__(self) -> None:
        raise NotImplementedError()

    def modules(self) -> Iterator["Module"]:
        """The direct submodules, in the order they were assigned."""
        raise NotImplementedError()

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        """This module's own parameters in the order they were assigned, then (if recurse) those
        of each submodule, depth first."""
        raise NotImplementedError()

    def __setattr__(self, name: str, value: Any) -> None:
        raise NotImplementedError()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError()

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError()


# %% [markdown]
# ### Exercise: `Linear` — Linear
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 10–15 minutes
#
# Write `Linear(in_features, out_features, bias=True)`: `weight` of shape (out, in) and
# `bias` (out,) as Parameters, uniform in $\pm 1/\sqrt{\mathrm{in\_features}}$; `forward(x) = x @ weight.T + bias`.
#
# Check it with `tests.test_Linear(Linear)`.


# %%
class Linear(Module):
    """y = x @ weight.T + bias, with weight (out_features, in_features) and bias
    (out_features,), both initialised uniformly in [-1/sqrt(in_features), 1/sqrt(in_features)]
    (NumPy's global random generator). bias=False means no bias: self.bias is None."""
    weight: Parameter
    bias: Parameter | None

    def __init__(self, in_features: int, out_features: int, bias: bool = True) -> None:
        raise NotImplementedError()

    def forward(self, x: Tensor) -> Tensor:
        """x: (batch, in_features) -> (batch, out_features)."""
        raise NotImplementedError()


# %%
class MLP(Module):
    """784 -> 64 -> ReLU -> 64 -> ReLU -> 10, for 28x28 digits."""

    def __init__(self) -> None:
        super().__init__()
        self.linear1 = Linear(28 * 28, 64)
        self.linear2 = Linear(64, 64)
        self.output = Linear(64, 10)

    def forward(self, x: Tensor) -> Tensor:
        """x: (batch, 28, 28) or (batch, 784) -> logits (batch, 10)."""
        x = x.reshape(x.shape[0], 28 * 28)
        return self.output(relu(self.linear2(relu(self.linear1(x)))))


# %% [markdown]
# ### Exercise: `cross_entropy` — Cross-entropy
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 10–15 minutes
#
# Write `cross_entropy(logits, true_labels)`: per example, $-\log \text{softmax}(\text{logits})_{\text{label}} = \log \sum_j e^{z_j} - z_{\text{label}}$,
# using only Tensor operations so that it has a gradient.
#
# Check it with `tests.test_cross_entropy(cross_entropy)`.


# %%
def cross_entropy(logits: Tensor, true_labels: Tensor) -> Tensor:
    """Per example, -log softmax(logits)[true label]: (batch, classes), (batch,) -> (batch,).

    Computed as logsumexp(row) - row[label] after subtracting each row's maximum (a constant, so
    it changes no gradient), which keeps exp from overflowing.
    """
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `NoGrad` — No gradients, please
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 5–10 minutes
#
# Write the context manager: inside `with NoGrad():`, `grad_mode.enabled` is False; on exit
# it is back to what it was, even after an exception or when nested.
#
# Check it with `tests.test_NoGrad(NoGrad)`.


# %%
class NoGrad:
    """`with NoGrad():` switches gradient tracking off inside the block and restores what it
    was on exit (also on an exception, and when blocks are nested)."""

    def __enter__(self) -> None:
        raise NotImplementedError()

    def __exit__(self, *exc_info: Any) -> None:
        raise NotImplementedError()


# %% [markdown]
# ### Exercise: `SGD` — SGD
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 5–10 minutes
#
# Write `SGD(params, lr)`: `zero_grad()` forgets every gradient; `step()` updates each
# parameter that has one: $\theta \leftarrow \theta - \text{lr} \cdot \nabla_\theta L$.
#
# Check it with `tests.test_SGD(SGD)`.


# %%
class SGD:
    """Plain gradient descent: step() moves each parameter by -lr * its gradient."""

    def __init__(self, params: Iterable[Parameter], lr: float) -> None:
        raise NotImplementedError()

    def zero_grad(self) -> None:
        """Forget the gradients, which backprop would otherwise keep adding to."""
        raise NotImplementedError()

    def step(self) -> None:
        """Update in place; parameters without a gradient stay as they are."""
        raise NotImplementedError()


# %%
def accuracy(model: Module, images: Arr, labels: Arr) -> float:
    """The fraction of images whose largest logit is the true label (without tracking)."""
    with NoGrad():
        predictions = model(Tensor(images)).argmax(dim=1).array
    return float((predictions == labels).mean())


# %%
def train_mlp(train_images: Arr, train_labels: Arr, epochs: int = 10, lr: float = 0.1,
              batch_size: int = 32, seed: int = 0, val_fraction: float = 0.1,
              on_epoch: Callable[[int, list[float], float], None] | None = None) -> MLP:
    """Train an MLP with your engine. A seeded `val_fraction` of the training images is held out
    for validation; each epoch shuffles the rest, runs train_epoch on them, then measures the
    accuracy on the held-out images. on_epoch(epoch, batch_losses, validation_accuracy) is
    called after each epoch. The test set plays no part: measure it once, on the model this
    returns, after you have chosen the settings."""
    np.random.seed(seed)
    model = MLP()
    optimizer = SGD(model.parameters(), lr=lr)
    order = np.random.default_rng(seed)
    split = order.permutation(len(train_images))
    n_val = int(len(train_images) * val_fraction)
    val, train = split[:n_val], split[n_val:]
    for epoch in range(epochs):
        shuffle = train[order.permutation(len(train))]
        losses = train_epoch(model, optimizer, train_images[shuffle], train_labels[shuffle],
                             batch_size)
        if on_epoch is not None:
            on_epoch(epoch, losses, accuracy(model, train_images[val], train_labels[val]))
    return model


# %% [markdown]
# ### Exercise: `train_epoch` — The training loop
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 10–15 minutes
#
# Write `train_epoch(model, optimizer, images, labels, batch_size)`: for each batch in order,
# the mean cross-entropy of the model's logits, then `zero_grad`, `backward` and `step`.
# Return the batch losses as floats.
#
# Check it with `tests.test_train_epoch(train_epoch)`.


# %%
def train_epoch(model: Module, optimizer: SGD, images: Arr, labels: Arr,
                batch_size: int) -> list[float]:
    """One pass over images (n, 28, 28) and labels (n,), in order, in batches of batch_size (the
    last may be smaller): for each, the mean cross-entropy, its gradients, and an optimizer
    step. Returns the loss of each batch (floats)."""
    raise NotImplementedError()


# %%
# `pytest exercises/part4_backprop.py`: one test per exercise (those not done yet are skipped).
from utils.local import pytest_tests

globals().update(pytest_tests("part4_backprop", globals()))

if __name__ == "__main__":
    from utils.local import check_all

    check_all(globals(), "part4_backprop")
