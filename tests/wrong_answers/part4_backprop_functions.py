"""Plausible wrong answers (and correct variants) for chapter 5.4's section "More forward and
backward functions". Each wrong answer must be rejected by its check, each right one accepted.
"""

import numpy as np

from solutions import part4_backprop as ref

unbroadcast = ref.unbroadcast


# ---- reshape, permute, expand ----------------------------------------------------------------


def invert_by_argsort(axes):
    return tuple(int(a) for a in np.argsort(axes))  # -1 sorts first: wrong for negative axes


def invert_by_index(axes):
    return tuple(axes.index(i) for i in range(len(axes)))  # fails on negative axes


def invert_by_argsort_mod(axes):
    return tuple(int(a) for a in np.argsort([a % len(axes) for a in axes]))


def expand_back_mean(grad_out, out, x, new_shape):
    copies = grad_out.size // max(x.size, 1)
    return unbroadcast(grad_out, x) / copies


def expand_back_added_dims_only(grad_out, out, x, new_shape):
    added = grad_out.ndim - x.ndim
    return grad_out.sum(axis=tuple(range(added)))


# ---- sum ---------------------------------------------------------------------------------------


def _dims(dim, ndim):
    dims = tuple(range(ndim)) if dim is None else (dim,) if isinstance(dim, int) else dim
    return tuple(d % ndim for d in dims)


def sum_back_ignores_keepdim(grad_out, out, x, dim=None, keepdim=False):
    if dim is not None:
        dims = (dim,) if isinstance(dim, int) else dim
        grad_out = np.expand_dims(grad_out, tuple(d % x.ndim for d in dims))
    return np.broadcast_to(grad_out, x.shape)


def sum_back_positive_dims_only(grad_out, out, x, dim=None, keepdim=False):
    dims = () if dim is None else (dim,) if isinstance(dim, int) else dim
    if keepdim or dim is None:
        return np.broadcast_to(grad_out, x.shape)
    shape = [1 if i in dims else n for i, n in enumerate(x.shape)]  # -1 never matches i
    return np.broadcast_to(grad_out.reshape(shape), x.shape)


def sum_back_one_dim_at_a_time(grad_out, out, x, dim=None, keepdim=False):
    if not keepdim and dim is not None:
        for d in ((dim,) if isinstance(dim, int) else dim):  # in the given order, not sorted
            grad_out = np.expand_dims(grad_out, d)
    return np.broadcast_to(grad_out, x.shape)


def sum_back_no_broadcast(grad_out, out, x, dim=None, keepdim=False):
    if not keepdim and dim is not None:
        grad_out = np.expand_dims(grad_out, _dims(dim, x.ndim))
    return grad_out  # keeps the summed dimensions at size 1


def sum_back_by_reshape(grad_out, out, x, dim=None, keepdim=False):
    dims = _dims(dim, x.ndim)
    shape = [1 if i in dims else n for i, n in enumerate(x.shape)]
    return np.broadcast_to(np.reshape(grad_out, shape), x.shape)


def sum_back_by_multiplying(grad_out, out, x, dim=None, keepdim=False):
    if not keepdim:
        shape = [1 if i in _dims(dim, x.ndim) else n for i, n in enumerate(x.shape)]
        grad_out = grad_out.reshape(shape)
    return grad_out * np.ones_like(x, dtype=float)


# ---- indexing ----------------------------------------------------------------------------------


def coerce_index_top_level_only(index):
    return index.array if isinstance(index, ref.Tensor) else index


def coerce_index_list(index):
    if isinstance(index, tuple):
        return [coerce_index_list(i) for i in index]
    return index.array if isinstance(index, ref.Tensor) else index


def coerce_index_asarray(index):
    if isinstance(index, tuple):
        return tuple(coerce_index_asarray(i) for i in index)
    return np.asarray(index.array if isinstance(index, ref.Tensor) else index)


def coerce_index_by_attribute(index):
    if isinstance(index, tuple):
        return tuple(coerce_index_by_attribute(i) for i in index)
    return getattr(index, "array", index)


def getitem_back_plus_equals(grad_out, out, x, index):
    grad = np.zeros(x.shape)
    grad[ref.coerce_index(index)] += grad_out  # a repeated index keeps one of its gradients
    return grad


def getitem_back_zeros_like(grad_out, out, x, index):
    grad = np.zeros_like(x)  # an integer x gives an integer gradient
    np.add.at(grad, ref.coerce_index(index), grad_out)
    return grad


def getitem_back_cast_to_x(grad_out, out, x, index):
    grad = np.zeros(x.shape)
    np.add.at(grad, ref.coerce_index(index), grad_out)
    return grad.astype(x.dtype)  # "the gradient has x's dtype": not when x holds integers


def getitem_back_no_coerce(grad_out, out, x, index):
    grad = np.zeros(x.shape)
    np.add.at(grad, index, grad_out)  # a Tensor inside a tuple is not an index NumPy knows
    return grad


def getitem_back_float_zeros_like(grad_out, out, x, index):
    grad = np.zeros_like(x, dtype=float)
    np.add.at(grad, ref.coerce_index(index), grad_out)
    return grad


# ---- maximum and relu --------------------------------------------------------------------------


def relu_mask(x, at_zero):
    """x times a constant mask: the gradient is the mask, 0 or 1 at x == 0."""
    mask = (x.array > 0) if at_zero == 0 else (x.array >= 0)
    return ref.multiply(x, ref.Tensor(mask.astype(float)))


def relu_on_array(x):
    return ref.Tensor(np.maximum(x.array, 0.0), requires_grad=x.requires_grad)  # no recipe


def relu_always_tracked(x):
    out = ref.Tensor(np.maximum(x.array, 0.0), requires_grad=True)
    out.recipe = ref.Recipe(func=np.maximum, args=(x.array, 0.0), kwargs={}, parents={0: x})
    return out


def relu_in_place(x):
    np.maximum(x.array, 0.0, out=x.array)
    return ref.maximum(x, 0.0)


def relu_by_hand(x):
    """A correct alternative: a Recipe written out, following the engine's rules."""
    out = ref.Tensor(np.maximum(x.array, 0.0))
    out.requires_grad = ref.grad_mode.enabled and x.requires_grad
    if out.requires_grad:
        out.recipe = ref.Recipe(func=np.maximum, args=(x.array, 0.0), kwargs={}, parents={0: x})
    return out


WRONG_ANSWERS = [
    ("negative_back", "returns grad_out unchanged", lambda grad_out, out, x: grad_out),
    ("negative_back", "returns -x", lambda grad_out, out, x: -x),
    ("negative_back", "returns -1 everywhere", lambda grad_out, out, x: -np.ones_like(x)),
    ("exp_back", "grad_out * x", lambda grad_out, out, x: grad_out * x),
    ("exp_back", "grad_out ignored", lambda grad_out, out, x: out),
    ("exp_back", "grad_out * exp(out)", lambda grad_out, out, x: grad_out * np.exp(out)),
    ("reshape_back", "reshapes to new_shape", lambda grad_out, out, x, new_shape:
        np.reshape(grad_out, new_shape)),
    ("reshape_back", "transposes instead", lambda grad_out, out, x, new_shape: grad_out.T),
    ("reshape_back", "column-major order", lambda grad_out, out, x, new_shape:
        np.reshape(grad_out, x.shape, order="F")),
    ("invert_transposition", "returns the axes reversed", lambda axes: tuple(reversed(axes))),
    ("invert_transposition", "returns the same axes", lambda axes: tuple(axes)),
    ("invert_transposition", "argsort, negative axes not handled", invert_by_argsort),
    ("invert_transposition", "axes.index, negative axes not handled", invert_by_index),
    ("permute_back", "permutes by the same axes", lambda grad_out, out, x, axes:
        np.transpose(grad_out, axes)),
    ("permute_back", "permutes by the axes reversed", lambda grad_out, out, x, axes:
        np.transpose(grad_out, tuple(reversed(axes)))),
    ("permute_back", "reverses every axis (.T)", lambda grad_out, out, x, axes: grad_out.T),
    ("expand_back", "returns grad_out", lambda grad_out, out, x, new_shape: grad_out),
    ("expand_back", "averages the copies instead of adding", expand_back_mean),
    ("expand_back", "sums only the new leading dimensions", expand_back_added_dims_only),
    ("sum_back", "ignores keepdim", sum_back_ignores_keepdim),
    ("sum_back", "negative dims never match", sum_back_positive_dims_only),
    ("sum_back", "expands dims one at a time in the given order", sum_back_one_dim_at_a_time),
    ("sum_back", "does not broadcast to x's shape", sum_back_no_broadcast),
    ("coerce_index", "does not look inside tuples", coerce_index_top_level_only),
    ("coerce_index", "returns a list for a tuple", coerce_index_list),
    ("coerce_index", "np.asarray on every part", coerce_index_asarray),
    ("getitem_back", "grad[index] += grad_out", getitem_back_plus_equals),
    ("getitem_back", "np.zeros_like(x) keeps an integer dtype", getitem_back_zeros_like),
    ("getitem_back", "gradient cast to an integer x's dtype", getitem_back_cast_to_x),
    ("getitem_back", "Tensors in the index not coerced", getitem_back_no_coerce),
    ("subtract_back0", "no unbroadcast", lambda grad_out, out, x, y: grad_out),
    ("subtract_back0", "negated", lambda grad_out, out, x, y: unbroadcast(-grad_out, x)),
    ("subtract_back1", "sign not flipped", lambda grad_out, out, x, y: unbroadcast(grad_out, y)),
    ("subtract_back1", "no unbroadcast", lambda grad_out, out, x, y: -grad_out),
    ("true_divide_back0", "multiplies by y", lambda grad_out, out, x, y: unbroadcast(
        grad_out * np.asarray(y), x)),
    ("true_divide_back0", "no unbroadcast", lambda grad_out, out, x, y: grad_out / np.asarray(y)),
    ("true_divide_back0", "divides by y squared", lambda grad_out, out, x, y: unbroadcast(
        grad_out / np.asarray(y) ** 2, x)),
    ("true_divide_back1", "wrong sign", lambda grad_out, out, x, y: unbroadcast(
        grad_out * np.asarray(x) / y ** 2, y)),
    ("true_divide_back1", "missing square", lambda grad_out, out, x, y: unbroadcast(
        -grad_out * np.asarray(x) / y, y)),
    ("true_divide_back1", "no unbroadcast", lambda grad_out, out, x, y:
        -grad_out * np.asarray(x) / y ** 2),
    ("maximum_back0", "full gradient at ties", lambda grad_out, out, x, y: unbroadcast(
        grad_out * (x >= y), x)),
    ("maximum_back0", "no gradient at ties", lambda grad_out, out, x, y: unbroadcast(
        grad_out * (x > y), x)),
    ("maximum_back0", "no unbroadcast", lambda grad_out, out, x, y:
        grad_out * ((x > y) + 0.5 * (x == y))),
    ("maximum_back1", "full gradient at ties (out == y)", lambda grad_out, out, x, y:
        unbroadcast(grad_out * (out == y), y)),
    ("maximum_back1", "no gradient at ties", lambda grad_out, out, x, y: unbroadcast(
        grad_out * (y > x), y)),
    ("maximum_back1", "mask of x instead of y", lambda grad_out, out, x, y: unbroadcast(
        grad_out * ((x > y) + 0.5 * (x == y)), y)),
    ("relu", "gradient 0 at zero", lambda x: relu_mask(x, 0)),
    ("relu", "gradient 1 at zero", lambda x: relu_mask(x, 1)),
    ("relu", "computed on .array, no recipe", relu_on_array),
    ("relu", "always requires grad", relu_always_tracked),
    ("relu", "changes x in place", relu_in_place),
    ("matmul2d_back0", "no transpose", lambda grad_out, out, x, y: grad_out @ y),
    ("matmul2d_back0", "the transpose of the answer: y @ grad_out.T", lambda grad_out, out, x,
        y: y @ grad_out.T),
    ("matmul2d_back0", "x's formula: x.T @ grad_out", lambda grad_out, out, x, y:
        x.T @ grad_out),
    ("matmul2d_back1", "no transpose", lambda grad_out, out, x, y: x @ grad_out),
    ("matmul2d_back1", "the transpose of the answer", lambda grad_out, out, x, y:
        grad_out.T @ x),
    ("matmul2d_back1", "y's formula: grad_out @ x.T", lambda grad_out, out, x, y:
        grad_out @ x.T),
]

RIGHT_ANSWERS = [
    ("exp_back", "recomputes np.exp(x)", lambda grad_out, out, x: grad_out * np.exp(x)),
    ("reshape_back", "grad_out.reshape(x.shape)", lambda grad_out, out, x, new_shape:
        grad_out.reshape(x.shape)),
    ("invert_transposition", "argsort after axis % n", invert_by_argsort_mod),
    ("permute_back", "np.argsort of the normalised axes", lambda grad_out, out, x, axes:
        np.transpose(grad_out, np.argsort([a % x.ndim for a in axes]))),
    ("sum_back", "np.reshape instead of np.expand_dims", sum_back_by_reshape),
    ("sum_back", "multiplies by ones instead of broadcast_to", sum_back_by_multiplying),
    ("coerce_index", "getattr(index, 'array', index)", coerce_index_by_attribute),
    ("getitem_back", "np.zeros_like(x, dtype=float)", getitem_back_float_zeros_like),
    ("true_divide_back1", "-grad_out * out / y", lambda grad_out, out, x, y: unbroadcast(
        -grad_out * out / y, y)),
    ("maximum_back0", "np.where", lambda grad_out, out, x, y: unbroadcast(
        grad_out * np.where(x == y, 0.5, np.where(x > y, 1.0, 0.0)), x)),
    ("relu", "maximum(x, 0.0) without wrapping", lambda x: ref.maximum(x, 0.0)),
    ("relu", "a Recipe by hand", relu_by_hand),
    ("matmul2d_back0", "(y @ grad_out.T).T", lambda grad_out, out, x, y: (y @ grad_out.T).T),
    ("matmul2d_back1", "(grad_out.T @ x).T", lambda grad_out, out, x, y: (grad_out.T @ x).T),
]
