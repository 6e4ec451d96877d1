"""Reference solutions for chapter 5.4: an autograd engine on NumPy.

Each exercise is the function or class under an `@exercise(...)`, which holds its metadata
(title, difficulty, importance, minutes, task, hints); everything else is given code, which the
learner's file and notebook copy as it is (names starting with "_" stay here). The order of
definitions is the order of the exercise file and of the notebook's code: given code appears in
the notebook just before the exercise that follows it here. The lesson's prose, and where each
exercise sits in it, is in pages/part4_backprop/<n>_<key>.md (one `{exercise} name` directive
each). `python -m utils.codegen` builds exercises/part4_backprop.py and both notebooks from the
two.

The engine uses NumPy only; torch appears only in the checks, to compare with torch.autograd.

A backward function for an operation out = f(x, y, ...) has the signature
back(grad_out, out, x, y, ...) and returns dL/d(its argument), given grad_out = dL/d(out).
"""

import threading
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

import numpy as np

from utils.exercise_meta import exercise

Arr = np.ndarray


@exercise(
    title="The backward of log",
    difficulty=1, importance=3, minutes=(5, 10),
    task=r"""
        Write `log_back(grad_out, out, x)`: the gradient with respect to `x` of a loss $L$, for
        $\text{out} = \log x$, given $\mathrm{grad\_out} = \partial L / \partial \text{out}$.
    """,
    hints=(
        r"""
            Chain rule, elementwise: $\partial L/\partial x = \partial L/\partial \text{out} \cdot 1/x$.
        """,
    ),
)
def log_back(grad_out: Arr, out: Arr, x: Arr) -> Arr:
    """Backward of out = np.log(x): dL/dx = dL/dout * dout/dx = grad_out / x."""
    return grad_out / x


@exercise(
    title="Undoing broadcasting",
    difficulty=3, importance=3, minutes=(15, 20),
    task=r"""
        Write `unbroadcast(broadcasted, original)`: sum a gradient of the broadcast shape back to
        `original`'s shape, over the dimensions broadcasting added at the front (removing them) and
        those it stretched from size 1 (keeping them as size 1).
    """,
    hints=(
        "Added dimensions: the first `broadcasted.ndim - original.ndim`; sum them away.",
        r"""
            Stretched dimensions: where `original.shape[i] == 1` but the gradient's is larger; sum
            with `keepdims=True`.
        """,
    ),
)
def unbroadcast(broadcasted: Arr, original: Arr) -> Arr:
    """Sum a gradient that has the broadcast shape back to the shape of `original`.

    Broadcasting may have (1) added dimensions at the front and (2) stretched dimensions of
    size 1. Each copy contributed to the output, so their gradients add up: sum over the added
    dimensions (removing them), then over the stretched ones (keeping them, with size 1).
    """
    added = broadcasted.ndim - original.ndim
    summed = broadcasted.sum(axis=tuple(range(added))) if added else broadcasted
    stretched = tuple(i for i, size in enumerate(original.shape)
                      if size == 1 and summed.shape[i] != 1)
    return summed.sum(axis=stretched, keepdims=True) if stretched else summed


@exercise(
    title="The backward of multiplication, first argument",
    difficulty=2, importance=3, minutes=(10, 15),
    task=r"""
        Write `multiply_back0(grad_out, out, x, y)`: $\partial L / \partial x$ for $\text{out} = x \cdot y$,
        where `y` may be a number or an array that broadcasts with `x`. The result has `x`'s shape.
    """,
    hints=(
        r"""
            `y * grad_out` has the broadcast shape; `unbroadcast` it to `x`. `np.asarray(y)` turns
            a number into an array.
        """,
    ),
)
def multiply_back0(grad_out: Arr, out: Arr, x: Arr, y: Arr | float) -> Arr:
    """Backward of out = x * y with respect to x. y may be a number or an array that
    broadcasts with x; the result has x's shape."""
    return unbroadcast(np.asarray(y) * grad_out, x)


@exercise(
    title="The backward of multiplication, second argument",
    difficulty=2, importance=3, minutes=(5, 10),
    task=r"""
        Write `multiply_back1(grad_out, out, x, y)`: $\partial L / \partial y$ for $\text{out} = x \cdot y$;
        `x` may be a number.
    """,
    hints=(
        "The mirror image of multiply_back0.",
    ),
)
def multiply_back1(grad_out: Arr, out: Arr, x: Arr | float, y: Arr) -> Arr:
    """Backward of out = x * y with respect to y. x may be a number or an array that
    broadcasts with y; the result has y's shape."""
    return unbroadcast(np.asarray(x) * grad_out, y)


@exercise(
    title="Backprop by hand",
    difficulty=3, importance=4, minutes=(15, 20),
    task=r"""
        For $g = \log(a \cdot b \cdot \log c)$, computed in the steps the docstring lists, return
        $(\partial g/\partial a, \partial g/\partial b, \partial g/\partial c)$ using your backward
        functions, starting from $\partial g / \partial g = 1$.
    """,
    hints=(
        r"""
            Go backwards: g = log(f) gives dg/df; f = d * e gives dg/dd and dg/de; then d = a * b
            and e = log(c).
        """,
        r"""
            Each backward call takes the gradient of its output (the one you just computed), its
            output and its inputs.
        """,
    ),
)
def forward_and_back(a: Arr, b: Arr, c: Arr) -> tuple[Arr, Arr, Arr]:
    """For g = log(a * b * log(c)), computed as d = a * b, e = log(c), f = d * e, g = log(f):
    return (dg/da, dg/db, dg/dc), where g's gradient with respect to itself is all ones.

    Use the backward functions above, from g back to the inputs, one step at a time.
    """
    d = a * b
    e = np.log(c)
    f = d * e
    g = np.log(f)

    dg_df = log_back(np.ones_like(g), g, f)
    dg_dd = multiply_back0(dg_df, f, d, e)
    dg_de = multiply_back1(dg_df, f, d, e)
    dg_da = multiply_back0(dg_dd, d, a, b)
    dg_db = multiply_back1(dg_dd, d, a, b)
    dg_dc = log_back(dg_de, e, c)
    return dg_da, dg_db, dg_dc


# ----------------------------------------------------------------------------------------------
# The computational graph
# ----------------------------------------------------------------------------------------------

class GradMode(threading.local):
    """Whether operations record how their outputs were made: `grad_mode.enabled`.

    An attribute rather than a module-level bool, so that every importer of grad_mode flips the
    one switch the engine reads (`from ... import enabled` would copy a bool, and assigning to
    the copy changes nothing); and one switch per thread, so that a web server running several
    learners' models at once doesn't let one's NoGrad switch off another's gradients.
    """

    enabled = True


grad_mode = GradMode()


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


@exercise(
    title="A table of backward functions",
    difficulty=2, importance=3, minutes=(5, 10),
    task=r"""
        Write the class: `add_back_func(forward_fn, arg_position, back_fn)` remembers which
        backward function undoes argument `arg_position` of `forward_fn`, and
        `get_back_func(forward_fn, arg_position)` returns it. The lines after the class register
        `log_back` and `multiply_back0/1` in the engine's table `BACK_FUNCS`.
    """,
    hints=(
        "A dict keyed by the pair `(forward_fn, arg_position)` is all you need.",
        r"""
            Create the dict in `__init__`, on `self`: a dict written in the class body is shared by
            every instance.
        """,
    ),
    stub_from='_BackwardFuncLookupStub', stub_is_scaffolding=True,
)
class BackwardFuncLookup:
    """Which backward function to call for argument `arg_position` of `forward_fn`.

    Each instance keeps its own table: two lookups must not share their entries.
    """

    def __init__(self) -> None:
        self.back_funcs: dict[tuple[Callable, int], Callable] = {}

    def add_back_func(self, forward_fn: Callable, arg_position: int, back_fn: Callable) -> None:
        self.back_funcs[(forward_fn, arg_position)] = back_fn

    def get_back_func(self, forward_fn: Callable, arg_position: int) -> Callable:
        """The backward function registered for (forward_fn, arg_position); KeyError if none."""
        return self.back_funcs[(forward_fn, arg_position)]


class _BackwardFuncLookupStub:
    """What the exercise file starts from: it runs (the lines below it register functions),
    but looks nothing up until you write it."""

    def __init__(self) -> None:
        pass

    def add_back_func(self, forward_fn: Callable, arg_position: int, back_fn: Callable) -> None:
        pass

    def get_back_func(self, forward_fn: Callable, arg_position: int) -> Callable:
        raise NotImplementedError()


BACK_FUNCS = BackwardFuncLookup()
BACK_FUNCS.add_back_func(np.log, 0, log_back)
BACK_FUNCS.add_back_func(np.multiply, 0, multiply_back0)
BACK_FUNCS.add_back_func(np.multiply, 1, multiply_back1)


@exercise(
    title="Forward functions that record a recipe",
    difficulty=3, importance=3, minutes=(10, 15),
    task=r"""
        Write `log_forward(x)`: a new `Tensor` holding `np.log(x.array)`. It requires grad when
        tracking is on (`grad_mode.enabled`) and `x` requires grad; only then give it a
        `Recipe(func=np.log, args=(x.array,), kwargs={}, parents={0: x})`.
    """,
    hints=(
        "Build the output first, then decide `requires_grad`, then attach the recipe.",
        r"""
            The recipe stores arrays in `args` and the Tensor itself in `parents`: backprop needs
            the arrays to call backward functions and the Tensors to send gradients to.
        """,
    ),
    withhold=('log', 'multiply'),
)
def log_forward(x: Tensor) -> Tensor:
    """np.log on a Tensor. The output requires grad when gradients are being tracked
    (grad_mode.enabled) and x requires grad; only then does it get a Recipe, whose parents
    are {0: x}."""
    out = Tensor(np.log(x.array))
    out.requires_grad = grad_mode.enabled and x.requires_grad
    if out.requires_grad:
        out.recipe = Recipe(func=np.log, args=(x.array,), kwargs={}, parents={0: x})
    return out


@exercise(
    title="A forward function with two arguments",
    difficulty=3, importance=3, minutes=(10, 15),
    task=r"""
        Write `multiply_forward(a, b)`: `a * b` where one of them may be a plain number. `args`
        holds both values as arrays or numbers; `parents` holds only the arguments that are
        Tensors, under their position (0 or 1).
    """,
    hints=(
        "`isinstance(v, Tensor)` tells the two kinds of argument apart.",
        r"""
            The output requires grad if tracking is on and **any** Tensor argument requires grad.
        """,
    ),
    withhold=('log', 'multiply'),
)
def multiply_forward(a: Tensor | float, b: Tensor | float) -> Tensor:
    """a * b where either (not both) may be a plain number. Same rules as log_forward; parents
    holds only the arguments that are Tensors, under their position."""
    assert isinstance(a, Tensor) or isinstance(b, Tensor), "one argument must be a Tensor"
    args = tuple(v.array if isinstance(v, Tensor) else v for v in (a, b))
    parents = {i: v for i, v in enumerate((a, b)) if isinstance(v, Tensor)}
    out = Tensor(np.multiply(*args))
    out.requires_grad = grad_mode.enabled and any(p.requires_grad for p in parents.values())
    if out.requires_grad:
        out.recipe = Recipe(func=np.multiply, args=args, kwargs={}, parents=parents)
    return out


@exercise(
    title="One wrapper for every forward function",
    difficulty=4, importance=4, minutes=(15, 20),
    task=r"""
        Write `wrap_forward_fn(numpy_func, is_differentiable=True)`: it returns a function that
        does what `multiply_forward` did for any NumPy function, with any number of positional
        arguments and keyword arguments (passed on, and stored in the recipe's `kwargs`). A
        non-differentiable function (such as `np.equal`) never requires grad.
    """,
    hints=(
        r"""
            Define `tensor_func(*args, **kwargs)` inside and return it: a closure over
            `numpy_func`.
        """,
        r"""
            Generalise `multiply_forward`: arrays from `enumerate(args)`, parents from the
            positions that are Tensors.
        """,
    ),
    stub_from='_wrap_forward_fn_stub', stub_is_scaffolding=True,
)
def wrap_forward_fn(numpy_func: Callable, is_differentiable: bool = True) -> Callable:
    """Turn a function on arrays into one on Tensors that records its Recipe.

    The returned function takes Tensors or plain values in any position (and keyword arguments,
    passed on as they are). Its output requires grad when is_differentiable, gradients are being
    tracked, and some Tensor argument requires grad.
    """

    def tensor_func(*args: Any, **kwargs: Any) -> Tensor:
        arrays = tuple(a.array if isinstance(a, Tensor) else a for a in args)
        parents = {i: a for i, a in enumerate(args) if isinstance(a, Tensor)}
        out = Tensor(numpy_func(*arrays, **kwargs))
        out.requires_grad = (is_differentiable and grad_mode.enabled
                             and any(p.requires_grad for p in parents.values()))
        if out.requires_grad:
            out.recipe = Recipe(func=numpy_func, args=arrays, kwargs=kwargs, parents=parents)
        return out

    return tensor_func


def _wrap_forward_fn_stub(numpy_func: Callable, is_differentiable: bool = True) -> Callable:
    def tensor_func(*args: Any, **kwargs: Any) -> Tensor:
        raise NotImplementedError()

    return tensor_func


log = wrap_forward_fn(np.log)
multiply = wrap_forward_fn(np.multiply)
eq = wrap_forward_fn(np.equal, is_differentiable=False)
argmax = wrap_forward_fn(np.argmax, is_differentiable=False)


@exercise(
    title="Topological sort",
    difficulty=4, importance=3, minutes=(20, 25),
    task=r"""
        Write `topological_sort(node, get_children)`: every node reachable from `node`, each after
        all of its children, so that `node` comes last. A node reached by two paths appears once.
        Raise `ValueError` if the graph has a cycle.
    """,
    hints=(
        "Depth-first search: visit a node's children, then append the node.",
        r"""
            Two sets: nodes finished, and nodes on the current path. Meeting a node that is on the
            current path again means a cycle.
        """,
        r"""
            Keep ids (`id(node)`) in the sets, and never test `node in some_list`: for Tensors `==`
            is elementwise, so `in` answers the wrong question.
        """,
    ),
)
def topological_sort(node: Any, get_children: Callable[[Any], list]) -> list:
    """Every node reachable from `node`, each listed after all of its children (so `node` comes
    last). Raises ValueError if the graph has a cycle.

    For a Tensor the children are its recipe's parents: the list starts at the leaves.
    """
    done: set[int] = set()  # by id: nodes need not be hashable
    in_progress: set[int] = set()  # on the current path from `node`; meeting one means a cycle
    order: list = []

    def visit(current: Any) -> None:
        if id(current) in done:
            return
        if id(current) in in_progress:
            raise ValueError(f"the graph has a cycle through {current!r}")
        in_progress.add(id(current))
        for child in get_children(current):
            visit(child)
        in_progress.remove(id(current))
        done.add(id(current))
        order.append(current)

    visit(node)
    return order


@exercise(
    title="Backpropagation",
    difficulty=5, importance=5, minutes=(30, 40),
    task=r"""
        Write `backprop(end_node, end_grad=None)`: visit the graph in reverse topological order,
        call the backward function of each parent that requires grad, and sum the gradients
        reaching each node. Store `.grad` (a Tensor) only on leaves that require grad, adding to a
        gradient they already have. `end_grad=None` means $\partial L / \partial\,\mathrm{end\_node} = 1$
        everywhere.
    """,
    hints=(
        r"""
            Keep a dict from node to its gradient so far (arrays), starting with `{end_node: end_grad.array}`.
        """,
        r"""
            `topological_sort(end_node, get_children)` with children = the recipe's parents lists
            leaves first: go through it reversed, so a node's gradient is complete before you pass
            it on.
        """,
        r"""
            Call `BACK_FUNCS.get_back_func(node.recipe.func, position)(grad_out, node.array, *node.recipe.args, **node.recipe.kwargs)`
            for each parent position.
        """,
        r"""
            A parent reached twice (as in `a * a`) gets both contributions: add, don't overwrite.
            Add with `a + b`, not `a += b`: a backward function may hand back an array that another
            node still uses.
        """,
    ),
)
def backprop(end_node: Tensor, end_grad: Tensor | None = None) -> None:
    """Fill in .grad of every leaf that requires grad and that end_node depends on.

    end_grad is dL/d(end_node); None means all ones (end_node is then usually the loss).
    Gradients are added to any .grad a leaf already has, as torch does; nodes that are not
    leaves pass their gradient on and keep none.
    """
    grads: dict[Tensor, Arr] = {
        end_node: np.ones_like(end_node.array, dtype=float) if end_grad is None
        else end_grad.array}

    def parents(node: Tensor) -> list[Tensor]:
        # Only parents that require grad: the others need no gradient, nor do their ancestors.
        return [p for p in node.recipe.parents.values() if p.requires_grad] if node.recipe else []

    # Reversed: the end node first, and each node only after every node that uses it, so its
    # gradient is complete before it is passed on.
    for node in reversed(topological_sort(end_node, parents)):
        grad_out = grads.pop(node)
        if node.is_leaf:
            if node.requires_grad:
                node.grad = Tensor(grad_out if node.grad is None else node.grad.array + grad_out)
            continue
        for position, parent in node.recipe.parents.items():
            if not parent.requires_grad:
                continue
            back = BACK_FUNCS.get_back_func(node.recipe.func, position)
            grad = back(grad_out, node.array, *node.recipe.args, **node.recipe.kwargs)
            grads[parent] = grads[parent] + grad if parent in grads else grad


# ----------------------------------------------------------------------------------------------
# More forward and backward functions
# ----------------------------------------------------------------------------------------------


@exercise(
    title="negative",
    difficulty=1, importance=2, minutes=(2, 5),
    task=r"Write the backward of $\text{out} = -x$.",
    hints=(
        r"$\partial(-x)/\partial x = -1$.",
    ),
)
def negative_back(grad_out: Arr, out: Arr, x: Arr) -> Arr:
    """Backward of out = -x."""
    return -grad_out


negative = wrap_forward_fn(np.negative)
BACK_FUNCS.add_back_func(np.negative, 0, negative_back)


@exercise(
    title="exp",
    difficulty=1, importance=2, minutes=(2, 5),
    task=r"Write the backward of $\text{out} = e^x$.",
    hints=(
        "The derivative of exp is exp, which the forward already computed: `out`.",
    ),
)
def exp_back(grad_out: Arr, out: Arr, x: Arr) -> Arr:
    """Backward of out = exp(x). The forward's output is exactly the derivative: reuse it."""
    return grad_out * out


exp = wrap_forward_fn(np.exp)
BACK_FUNCS.add_back_func(np.exp, 0, exp_back)


@exercise(
    title="reshape",
    difficulty=1, importance=2, minutes=(3, 5),
    task="Write the backward of `out = np.reshape(x, new_shape)`.",
    hints=(
        "Reshaping moves no number: reshape the gradient back to `x.shape`.",
    ),
)
def reshape_back(grad_out: Arr, out: Arr, x: Arr, new_shape: tuple[int, ...]) -> Arr:
    """Backward of out = np.reshape(x, new_shape)."""
    return np.reshape(grad_out, x.shape)


reshape = wrap_forward_fn(np.reshape)
BACK_FUNCS.add_back_func(np.reshape, 0, reshape_back)


@exercise(
    title="Inverting a permutation",
    difficulty=2, importance=2, minutes=(5, 10),
    task=r"""
        Write `invert_transposition(axes)`: the axes that undo `np.transpose(x, axes)`, e.g. `(2, 0, 1) -> (1, 2, 0)`.
        Accept negative axes.
    """,
    hints=(
        r"""
            Output axis `i` came from input axis `axes[i]`, so the inverse maps `axes[i]` back to
            `i`.
        """,
        r"""
            `np.argsort` of the axes does it in one call; normalise negative axes first with `% len(axes)`.
        """,
    ),
)
def invert_transposition(axes: tuple[int, ...]) -> tuple[int, ...]:
    """The axes that undo np.transpose(x, axes): np.transpose(np.transpose(x, axes), result)
    is x. For example (2, 0, 1) -> (1, 2, 0). Negative axes count from the end."""
    n = len(axes)
    inverse = [0] * n
    for position, axis in enumerate(axes):
        inverse[axis % n] = position  # output axis `position` came from input axis `axis`
    return tuple(inverse)


@exercise(
    title="permute",
    difficulty=1, importance=2, minutes=(3, 5),
    task="Write the backward of `out = np.transpose(x, axes)`.",
    hints=(
        "Transpose the gradient with the inverse permutation.",
    ),
)
def permute_back(grad_out: Arr, out: Arr, x: Arr, axes: tuple[int, ...]) -> Arr:
    """Backward of out = np.transpose(x, axes)."""
    return np.transpose(grad_out, invert_transposition(axes))


permute = wrap_forward_fn(np.transpose)
BACK_FUNCS.add_back_func(np.transpose, 0, permute_back)


def expand_array(x: Arr, new_shape: tuple[int, ...]) -> Arr:
    """Like torch's expand: broadcast x to new_shape, where -1 keeps that dimension's size.
    The sizes are matched from the right, and new leading dimensions may be added."""
    keep = [-1] * (len(new_shape) - x.ndim) + list(x.shape)
    shape = tuple(old if new == -1 else new for new, old in zip(new_shape, keep))
    return np.broadcast_to(x, shape)


@exercise(
    title="expand",
    difficulty=2, importance=2, minutes=(3, 5),
    task="Write the backward of `out = expand_array(x, new_shape)` (torch's `expand`).",
    hints=(
        "Expanding is broadcasting: you already have the function that undoes it.",
    ),
)
def expand_back(grad_out: Arr, out: Arr, x: Arr, new_shape: tuple[int, ...]) -> Arr:
    """Backward of out = expand_array(x, new_shape)."""
    return unbroadcast(grad_out, x)


expand = wrap_forward_fn(expand_array)
BACK_FUNCS.add_back_func(expand_array, 0, expand_back)


def sum_array(x: Arr, dim: int | tuple[int, ...] | None = None, keepdim: bool = False) -> Arr:
    """Like torch.sum: over `dim` (an int, a tuple, or None for every dimension)."""
    return np.sum(x, axis=dim, keepdims=keepdim)


@exercise(
    title="sum",
    difficulty=3, importance=3, minutes=(10, 15),
    task=r"""
        Write the backward of `out = sum_array(x, dim, keepdim)`, where `dim` is None, an int or a
        tuple of ints (negative ones too).
    """,
    hints=(
        r"""
            Each element of `x` gets the gradient of the sum it went into: broadcast `grad_out` to
            `x.shape`.
        """,
        r"""
            Without keepdim, the summed dimensions are missing from `grad_out`: put them back with
            size 1 (`np.expand_dims`) before broadcasting.
        """,
    ),
)
def sum_back(grad_out: Arr, out: Arr, x: Arr, dim: int | tuple[int, ...] | None = None,
             keepdim: bool = False) -> Arr:
    """Backward of out = sum_array(x, dim, keepdim): every element of x that went into a sum
    gets that sum's gradient. Without keepdim the summed dimensions are missing from grad_out:
    put them back (size 1) before broadcasting to x's shape."""
    if not keepdim and dim is not None:
        dims = (dim,) if isinstance(dim, int) else dim
        grad_out = np.expand_dims(grad_out, tuple(d % x.ndim for d in dims))
    return np.broadcast_to(grad_out, x.shape)


tensor_sum = wrap_forward_fn(sum_array)
BACK_FUNCS.add_back_func(sum_array, 0, sum_back)

Index = int | slice | None | tuple | Arr | Tensor


@exercise(
    title="Indices that hold Tensors",
    difficulty=1, importance=2, minutes=(3, 5),
    task=r"""
        Write `coerce_index(index)`: replace every Tensor in the index, on its own or inside a
        tuple, by its array, and leave everything else as it is.
    """,
    hints=(
        "A tuple index: coerce each element.",
    ),
)
def coerce_index(index: Index) -> int | slice | None | tuple | Arr:
    """The index with every Tensor in it (alone or inside a tuple) replaced by its array, so
    that NumPy can use it."""
    if isinstance(index, tuple):
        return tuple(coerce_index(i) for i in index)
    return index.array if isinstance(index, Tensor) else index


def getitem_array(x: Arr, index: Index) -> Arr:
    return x[coerce_index(index)]


@exercise(
    title="Indexing",
    difficulty=3, importance=2, minutes=(10, 15),
    task=r"""
        Write the backward of `out = x[index]`: zeros of `x`'s shape, with `grad_out` added where
        the elements came from, also when an index repeats. The gradient is a float array even when
        `x` holds integers (`np.zeros_like(x)` would copy an integer dtype and truncate every
        gradient to an integer).
    """,
    hints=(
        "`grad[index] += grad_out` keeps only one contribution per repeated index.",
        "`np.add.at(grad, coerce_index(index), grad_out)` adds every one.",
    ),
)
def getitem_back(grad_out: Arr, out: Arr, x: Arr, index: Index) -> Arr:
    """Backward of out = x[index]: each gradient goes back where its element came from. An
    element picked several times (repeated integer indices) receives the sum: np.add.at adds
    once per occurrence, where `grad[index] += grad_out` would keep only one of them."""
    grad = np.zeros(x.shape, dtype=np.result_type(grad_out, float))
    np.add.at(grad, coerce_index(index), grad_out)
    return grad


getitem = wrap_forward_fn(getitem_array)
BACK_FUNCS.add_back_func(getitem_array, 0, getitem_back)


def add_back0(grad_out: Arr, out: Arr, x: Arr, y: Arr | float) -> Arr:
    """Backward of out = x + y with respect to x: the gradient passes through, unbroadcast."""
    return unbroadcast(grad_out, x)


def add_back1(grad_out: Arr, out: Arr, x: Arr | float, y: Arr) -> Arr:
    return unbroadcast(grad_out, y)


@exercise(
    title="subtract, first argument",
    difficulty=1, importance=2, minutes=(2, 5),
    task="Backward of $x - y$ with respect to $x$.",
    hints=(
        "Like `add_back0`, given above it.",
    ),
)
def subtract_back0(grad_out: Arr, out: Arr, x: Arr, y: Arr | float) -> Arr:
    """Backward of out = x - y with respect to x (y may be a number)."""
    return unbroadcast(grad_out, x)


@exercise(
    title="subtract, second argument",
    difficulty=1, importance=2, minutes=(2, 5),
    task="Backward of $x - y$ for $y$.",
    hints=(
        "Mind the sign, and unbroadcast to `y`.",
    ),
)
def subtract_back1(grad_out: Arr, out: Arr, x: Arr | float, y: Arr) -> Arr:
    """Backward of out = x - y with respect to y (x may be a number)."""
    return unbroadcast(-grad_out, y)


@exercise(
    title="divide, first argument",
    difficulty=2, importance=2, minutes=(3, 5),
    task="Backward of $x / y$ for $x$.",
    hints=(
        r"$\partial(x/y)/\partial x = 1/y$; `y` may be a number.",
    ),
)
def true_divide_back0(grad_out: Arr, out: Arr, x: Arr, y: Arr | float) -> Arr:
    """Backward of out = x / y with respect to x (y may be a number)."""
    return unbroadcast(grad_out / np.asarray(y), x)


@exercise(
    title="divide, second argument",
    difficulty=2, importance=2, minutes=(3, 5),
    task="Backward of $x / y$ for $y$.",
    hints=(
        r"$\partial(x/y)/\partial y = -x/y^2$; `x` may be a number.",
    ),
)
def true_divide_back1(grad_out: Arr, out: Arr, x: Arr | float, y: Arr) -> Arr:
    """Backward of out = x / y with respect to y (x may be a number): d(x/y)/dy = -x / y^2."""
    return unbroadcast(-grad_out * np.asarray(x) / y ** 2, y)


add = wrap_forward_fn(np.add)
BACK_FUNCS.add_back_func(np.add, 0, add_back0)
BACK_FUNCS.add_back_func(np.add, 1, add_back1)
subtract = wrap_forward_fn(np.subtract)
BACK_FUNCS.add_back_func(np.subtract, 0, subtract_back0)
BACK_FUNCS.add_back_func(np.subtract, 1, subtract_back1)
true_divide = wrap_forward_fn(np.true_divide)
BACK_FUNCS.add_back_func(np.true_divide, 0, true_divide_back0)
BACK_FUNCS.add_back_func(np.true_divide, 1, true_divide_back1)


@exercise(
    title="maximum, first argument",
    difficulty=3, importance=2, minutes=(5, 10),
    task=r"""
        Backward of `np.maximum(x, y)` for $x$: the gradient goes where $x$ is the larger; where $x = y$
        each argument gets half.
    """,
    hints=(
        r"""
            Work out, element by element, what share of `grad_out` reaches `x`: all of it where
            `x` is the larger, none where `y` is, and half at a tie.
        """,
        "Then unbroadcast: `y` may have had a different shape.",
        "`(x > y) + 0.5 * (x == y)` is the share of the gradient `x` gets.",
    ),
)
def maximum_back0(grad_out: Arr, out: Arr, x: Arr, y: Arr | float) -> Arr:
    """Backward of out = np.maximum(x, y) with respect to x: the gradient goes to the larger
    argument. Where x == y, lam * grad_out to x and (1 - lam) * grad_out to y is a valid
    subgradient for any lam in [0, 1]; we take lam = 1/2, which keeps x and y symmetric."""
    share = (x > y) + 0.5 * (x == y)
    return unbroadcast(grad_out * share, x)


@exercise(
    title="maximum, second argument",
    difficulty=2, importance=2, minutes=(3, 5),
    task="Backward of `np.maximum(x, y)` for $y$.",
    hints=(
        "The mirror image of maximum_back0, ties included.",
    ),
)
def maximum_back1(grad_out: Arr, out: Arr, x: Arr | float, y: Arr) -> Arr:
    """Backward of out = np.maximum(x, y) with respect to y."""
    share = (y > x) + 0.5 * (x == y)
    return unbroadcast(grad_out * share, y)


maximum = wrap_forward_fn(np.maximum)
BACK_FUNCS.add_back_func(np.maximum, 0, maximum_back0)
BACK_FUNCS.add_back_func(np.maximum, 1, maximum_back1)


@exercise(
    title="ReLU from maximum",
    difficulty=1, importance=2, minutes=(2, 5),
    task=r"""
        Write `relu(x)` for a Tensor, using the engine's `maximum` so that it has a backward
        without writing one.
    """,
    hints=(
        "`maximum` takes a Tensor and a number.",
    ),
)
def relu(x: Tensor) -> Tensor:
    """max(x, 0) elementwise, built from `maximum` so that its backward comes for free (at 0
    exactly, the gradient is the tie's 0.5)."""
    return maximum(x, 0.0)


@exercise(
    title="Matrix product, first argument",
    difficulty=3, importance=3, minutes=(5, 10),
    task=r"Backward of $\text{out} = x y$ for $x$ ($m \times n$, with $y$ $n \times p$).",
    hints=(
        r"""
            $\partial L/\partial x_{ij} = \sum_k \partial L/\partial \text{out}_{ik}\, y_{jk}$:
            which product of `grad_out` and `y` is that?
        """,
        "Check the shapes: the result must be (m, n).",
    ),
)
def matmul2d_back0(grad_out: Arr, out: Arr, x: Arr, y: Arr) -> Arr:
    """Backward of out = x @ y (x: (m, n), y: (n, p)) with respect to x: (m, n)."""
    return grad_out @ y.T


@exercise(
    title="Matrix product, second argument",
    difficulty=2, importance=3, minutes=(3, 5),
    task=r"Backward of $\text{out} = x y$ for $y$ ($n \times p$).",
    hints=(
        "Shapes again: (n, m) @ (m, p).",
    ),
)
def matmul2d_back1(grad_out: Arr, out: Arr, x: Arr, y: Arr) -> Arr:
    """Backward of out = x @ y (x: (m, n), y: (n, p)) with respect to y: (n, p)."""
    return x.T @ grad_out


matmul = wrap_forward_fn(np.matmul)
BACK_FUNCS.add_back_func(np.matmul, 0, matmul2d_back0)
BACK_FUNCS.add_back_func(np.matmul, 1, matmul2d_back1)


# ----------------------------------------------------------------------------------------------
# Putting it together: modules, a loss, an optimizer, and training
# ----------------------------------------------------------------------------------------------


@exercise(
    title="Parameter",
    difficulty=1, importance=3, minutes=(3, 5),
    task=r"""
        Write `Parameter(tensor, requires_grad=True)`: a Tensor with the same array that requires
        grad unless told otherwise.
    """,
    hints=(
        r"""
            A Parameter is a Tensor: let `Tensor.__init__` do the work, with the given tensor's
            array and the `requires_grad` you were passed.
        """,
        "`super().__init__(tensor.array, requires_grad=requires_grad)`.",
    ),
)
class Parameter(Tensor):
    """A Tensor that a Module owns and an optimizer updates: it requires grad by default."""

    def __init__(self, tensor: Tensor, requires_grad: bool = True) -> None:
        super().__init__(tensor.array, requires_grad=requires_grad)


@exercise(
    title="Module",
    difficulty=3, importance=4, minutes=(15, 20),
    task=r"""
        Write `Module`: `__setattr__` registers Parameters in `self._parameters` and Modules in
        `self._modules` (and still sets the attribute); `modules()` yields the direct submodules;
        `parameters(recurse=True)` yields this module's parameters, then each submodule's, in the
        order they were assigned; calling a module calls `forward`.
    """,
    hints=(
        "`__init__` sets the two dicts; `__setattr__` then sees them as plain values.",
        "Finish `__setattr__` with `super().__setattr__(name, value)`.",
        "`parameters` as a generator: `yield from` this module's, then each submodule's.",
    ),
)
class Module:
    """A layer or a model: it registers every Parameter and Module assigned to one of its
    attributes, so that parameters() can find all of them, submodules' included."""

    _modules: dict[str, "Module"]
    _parameters: dict[str, Parameter]

    def __init__(self) -> None:
        self._modules = {}
        self._parameters = {}

    def modules(self) -> Iterator["Module"]:
        """The direct submodules, in the order they were assigned."""
        return iter(self._modules.values())

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        """This module's own parameters in the order they were assigned, then (if recurse) those
        of each submodule, depth first."""
        yield from self._parameters.values()
        if recurse:
            for module in self.modules():
                yield from module.parameters(recurse=True)

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, Parameter):
            self._parameters[name] = value
        elif isinstance(value, Module):
            self._modules[name] = value
        super().__setattr__(name, value)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.forward(*args, **kwargs)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("a Module subclass defines forward")


@exercise(
    title="Linear",
    difficulty=2, importance=4, minutes=(10, 15),
    task=r"""
        Write `Linear(in_features, out_features, bias=True)`: `weight` of shape (out, in) and
        `bias` (out,) as Parameters, uniform in $\pm 1/\sqrt{\mathrm{in\_features}}$; `forward(x) = x @ weight.T + bias`.
    """,
    hints=(
        r"""
            `np.random.uniform(-bound, bound, shape)`, wrapped in a Tensor and then a Parameter.
        """,
        "With `bias=False`, set `self.bias = None`.",
    ),
)
class Linear(Module):
    """y = x @ weight.T + bias, with weight (out_features, in_features) and bias
    (out_features,), both initialised uniformly in [-1/sqrt(in_features), 1/sqrt(in_features)]
    (NumPy's global random generator). bias=False means no bias: self.bias is None."""

    weight: Parameter
    bias: Parameter | None

    def __init__(self, in_features: int, out_features: int, bias: bool = True) -> None:
        super().__init__()
        bound = 1 / np.sqrt(in_features)
        self.weight = Parameter(Tensor(np.random.uniform(-bound, bound,
                                                         (out_features, in_features))))
        self.bias = (Parameter(Tensor(np.random.uniform(-bound, bound, (out_features,))))
                     if bias else None)

    def forward(self, x: Tensor) -> Tensor:
        """x: (batch, in_features) -> (batch, out_features)."""
        out = x @ self.weight.T
        return out + self.bias if self.bias is not None else out


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


@exercise(
    title="Cross-entropy",
    difficulty=3, importance=4, minutes=(10, 15),
    task=r"""
        Write `cross_entropy(logits, true_labels)`: per example, $-\log \text{softmax}(\text{logits})_{\text{label}} = \log \sum_j e^{z_j} - z_{\text{label}}$,
        using only Tensor operations so that it has a gradient.
    """,
    hints=(
        r"""
            Pick each row's true logit with integer-array indexing: `logits[np.arange(n), true_labels]`.
        """,
        r"""
            Subtracting each row's maximum (a plain array, not a Tensor) first keeps `exp` from
            overflowing and changes no gradient.
        """,
    ),
)
def cross_entropy(logits: Tensor, true_labels: Tensor) -> Tensor:
    """Per example, -log softmax(logits)[true label]: (batch, classes), (batch,) -> (batch,).

    Computed as logsumexp(row) - row[label] after subtracting each row's maximum (a constant, so
    it changes no gradient), which keeps exp from overflowing.
    """
    shifted = logits - logits.array.max(axis=1, keepdims=True)
    picked = shifted[np.arange(len(shifted)), true_labels]
    return shifted.exp().sum(dim=1).log() - picked


@exercise(
    title="No gradients, please",
    difficulty=2, importance=3, minutes=(5, 10),
    task=r"""
        Write the context manager: inside `with NoGrad():`, `grad_mode.enabled` is False; on exit
        it is back to what it was, even after an exception or when nested.
    """,
    hints=(
        r"""
            Remember the old value in `__enter__` (on `self`) and restore it in `__exit__`; don't
            just set True.
        """,
    ),
)
class NoGrad:
    """`with NoGrad():` switches gradient tracking off inside the block and restores what it
    was on exit (also on an exception, and when blocks are nested)."""

    def __enter__(self) -> None:
        self.was_enabled = grad_mode.enabled
        grad_mode.enabled = False

    def __exit__(self, *exc_info: Any) -> None:
        grad_mode.enabled = self.was_enabled


@exercise(
    title="SGD",
    difficulty=2, importance=4, minutes=(5, 10),
    task=r"""
        Write `SGD(params, lr)`: `zero_grad()` forgets every gradient; `step()` updates each
        parameter that has one: $\theta \leftarrow \theta - \text{lr} \cdot \nabla_\theta L$.
    """,
    hints=(
        "`params` may be a generator: keep `list(params)`.",
        r"""
            Update the array, not the Tensor: `param.array -= self.lr * param.grad.array` records
            no recipe.
        """,
    ),
)
class SGD:
    """Plain gradient descent: step() moves each parameter by -lr * its gradient."""

    def __init__(self, params: Iterable[Parameter], lr: float) -> None:
        self.params = list(params)  # a generator would be used up after one pass
        self.lr = lr

    def zero_grad(self) -> None:
        """Forget the gradients, which backprop would otherwise keep adding to."""
        for param in self.params:
            param.grad = None

    def step(self) -> None:
        """Update in place; parameters without a gradient stay as they are."""
        for param in self.params:
            if param.grad is not None:
                param.array = param.array - self.lr * param.grad.array


def accuracy(model: Module, images: Arr, labels: Arr) -> float:
    """The fraction of images whose largest logit is the true label (without tracking)."""
    with NoGrad():
        predictions = model(Tensor(images)).argmax(dim=1).array
    return float((predictions == labels).mean())


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


@exercise(
    title="The training loop",
    difficulty=3, importance=5, minutes=(10, 15),
    task=r"""
        Write `train_epoch(model, optimizer, images, labels, batch_size)`: for each batch in order,
        the mean cross-entropy of the model's logits, then `zero_grad`, `backward` and `step`.
        Return the batch losses as floats.
    """,
    hints=(
        "Mean: `cross_entropy(...).sum() / batch`.",
        "Forgetting `zero_grad` adds up every batch's gradient.",
    ),
)
def train_epoch(model: Module, optimizer: SGD, images: Arr, labels: Arr,
                batch_size: int) -> list[float]:
    """One pass over images (n, 28, 28) and labels (n,), in order, in batches of batch_size (the
    last may be smaller): for each, the mean cross-entropy, its gradients, and an optimizer
    step. Returns the loss of each batch (floats)."""
    losses = []
    for start in range(0, len(images), batch_size):
        x = Tensor(images[start:start + batch_size])
        y = Tensor(labels[start:start + batch_size])
        loss = cross_entropy(model(x), y).sum() / len(x)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
