"""Wrong and right answers for chapter 2's fitting sections: fit_line (5) and layer_outputs (6)."""

import torch as t

from solutions import neural_network_basics as ref

# --- fit_line -------------------------------------------------------------------------------------


def _hand_fit(x, y, lr, steps, *, reduce="mean", factor=2.0, sign=1.0, fit_b=True,
              sequential=False, start=(0.0, 0.0), swap=False, as_tensors=False):
    """Gradient descent by hand with one knob per slip."""
    a, b = t.tensor(start[0]), t.tensor(start[1])
    n = len(x) if reduce == "mean" else 1
    for _ in range(steps):
        r = a * x + b - y
        grad_a, grad_b = factor * (r * x).sum() / n, factor * r.sum() / n
        a = a - sign * lr * grad_a
        if sequential:
            grad_b = factor * (a * x + b - y).sum() / n
        if fit_b:
            b = b - sign * lr * grad_b
    if as_tensors:
        return (b, a) if swap else (a, b)
    return (b.item(), a.item()) if swap else (a.item(), b.item())


def fit_sum_not_mean(x, y, lr, steps):
    return _hand_fit(x, y, lr, steps, reduce="sum")


def fit_gradient_ascent(x, y, lr, steps):
    return _hand_fit(x, y, lr, steps, sign=-1.0)


def fit_swapped(x, y, lr, steps):
    return _hand_fit(x, y, lr, steps, swap=True)


def fit_no_intercept(x, y, lr, steps):
    return _hand_fit(x, y, lr, steps, fit_b=False)


def fit_returns_tensors(x, y, lr, steps):
    return _hand_fit(x, y, lr, steps, as_tensors=True)


def fit_forgot_factor_two(x, y, lr, steps):
    return _hand_fit(x, y, lr, steps, factor=1.0)


def fit_sequential_update(x, y, lr, steps):
    return _hand_fit(x, y, lr, steps, sequential=True)


def fit_random_start(x, y, lr, steps):
    start = t.randn(2).tolist()  # no seed: a different line every call
    return _hand_fit(x, y, lr, steps, start=start)


def fit_autograd_no_zero_grad(x, y, lr, steps):
    a = t.zeros((), requires_grad=True)
    b = t.zeros((), requires_grad=True)
    for _ in range(steps):
        ((a * x + b - y) ** 2).mean().backward()
        with t.no_grad():
            a -= lr * a.grad
            b -= lr * b.grad
    return a.item(), b.item()


def fit_returns_list(x, y, lr, steps):
    return list(_hand_fit(x, y, lr, steps))


def fit_marks_x_requires_grad(x, y, lr, steps):
    x.requires_grad_(True)  # the data made a parameter by mistake
    return _hand_fit(x.detach(), y, lr, steps)


def fit_autograd_reuse_grad_none(x, y, lr, steps):
    """Right: autograd, clearing the gradients by setting them to None."""
    a = t.zeros((), requires_grad=True)
    b = t.zeros((), requires_grad=True)
    for _ in range(steps):
        ((a * x + b - y) ** 2).mean().backward()
        with t.no_grad():
            a -= lr * a.grad
            b -= lr * b.grad
        a.grad = b.grad = None
    return a.item(), b.item()


def fit_by_hand(x, y, lr, steps):
    """Right: the two derivatives by hand, in float64."""
    return _hand_fit(x.double(), y.double(), lr, steps)


def fit_with_sgd_optimizer(x, y, lr, steps):
    """Right: torch.optim.SGD does the same update."""
    params = t.zeros(2, requires_grad=True)
    opt = t.optim.SGD([params], lr=lr)
    for _ in range(steps):
        opt.zero_grad()
        t.nn.functional.mse_loss(params[0] * x + params[1], y).backward()
        opt.step()
    return params[0].item(), params[1].item()


# --- layer_outputs -------------------------------------------------------------------------------


def outputs_with_input(model, grid):
    outputs, h = [grid], grid
    with t.no_grad():
        for layer in model:
            h = layer(h)
            outputs.append(h)
    return outputs


def outputs_last_only(model, grid):
    with t.no_grad():
        return [model(grid)]


def outputs_track_grad(model, grid):
    outputs, h = [], grid
    for layer in model:
        h = layer(h)
        outputs.append(h)
    return outputs


def outputs_as_tuple(model, grid):
    return tuple(ref.layer_outputs(model, grid))


def outputs_stacked(model, grid):
    return t.stack(ref.layer_outputs(model, grid))


def outputs_all_modules(model, grid):
    """model.modules() yields the model itself first, then every module inside, nested ones too."""
    outputs = []
    with t.no_grad():
        h = grid
        for module in list(model.modules())[1:]:
            if isinstance(module, t.nn.Sequential):
                continue
            h = module(h)
            outputs.append(h)
    return outputs


def outputs_reversed(model, grid):
    return ref.layer_outputs(model, grid)[::-1]


def outputs_each_layer_on_grid(model, grid):
    """Each layer applied to the grid itself instead of to the previous layer's output."""
    with t.no_grad():
        return [layer(grid) for layer in model]


def outputs_written_into_grid(model, grid):
    outputs, h = [], grid
    with t.no_grad():
        for layer in model:
            new = layer(h)
            if new.shape == grid.shape:
                grid.copy_(new)  # reuses the grid's memory: the caller's grid is gone
                new = grid.clone()
            h = new
            outputs.append(new)
    return outputs


def outputs_grid_requires_grad(model, grid):
    grid.requires_grad_(True)
    return [h.detach() for h in outputs_track_grad(model, grid)]


def outputs_detached(model, grid):
    """Right: tracked while computed, detached before returning."""
    return [h.detach() for h in outputs_track_grad(model, grid)]


def outputs_by_slicing(model, grid):
    """Right: model[: i + 1] is a Sequential of the first i + 1 layers."""
    with t.no_grad():
        return [model[: i + 1](grid) for i in range(len(model))]


def outputs_by_hooks(model, grid):
    """Right: forward hooks on the direct children record what each outputs."""
    outputs = []
    handles = [layer.register_forward_hook(lambda m, i, o: outputs.append(o))
               for layer in model.children()]
    try:
        with t.inference_mode():
            model(grid)
    finally:
        for handle in handles:
            handle.remove()
    return outputs


WRONG_ANSWERS = [
    ("fit_line", "sum of squared errors instead of the mean", fit_sum_not_mean),
    ("fit_line", "gradient sign error (ascent)", fit_gradient_ascent),
    ("fit_line", "slope and intercept swapped", fit_swapped),
    ("fit_line", "forgot the intercept", fit_no_intercept),
    ("fit_line", "returns tensors", fit_returns_tensors),
    ("fit_line", "returns a list", fit_returns_list),
    ("fit_line", "forgot the factor 2 of the derivative", fit_forgot_factor_two),
    ("fit_line", "updates b with a gradient taken after a moved", fit_sequential_update),
    ("fit_line", "starts from random values without a seed", fit_random_start),
    ("fit_line", "autograd without zeroing the gradients", fit_autograd_no_zero_grad),
    ("fit_line", "sets requires_grad on the data", fit_marks_x_requires_grad),
    ("layer_outputs", "includes the input", outputs_with_input),
    ("layer_outputs", "only the last output", outputs_last_only),
    ("layer_outputs", "tracks gradients", outputs_track_grad),
    ("layer_outputs", "returns a tuple", outputs_as_tuple),
    ("layer_outputs", "returns a stacked tensor", outputs_stacked),
    ("layer_outputs", "walks model.modules() into nested layers", outputs_all_modules),
    ("layer_outputs", "outputs in reversed order", outputs_reversed),
    ("layer_outputs", "each layer applied to the grid, not chained", outputs_each_layer_on_grid),
    ("layer_outputs", "writes into the grid", outputs_written_into_grid),
    ("layer_outputs", "sets requires_grad on the grid", outputs_grid_requires_grad),
]

RIGHT_ANSWERS = [
    ("fit_line", "autograd, gradients set to None", fit_autograd_reuse_grad_none),
    ("fit_line", "derivatives by hand in float64", fit_by_hand),
    ("fit_line", "torch.optim.SGD on mse_loss", fit_with_sgd_optimizer),
    ("layer_outputs", "tracked, then detached", outputs_detached),
    ("layer_outputs", "model[: i + 1] for each i", outputs_by_slicing),
    ("layer_outputs", "forward hooks under inference_mode", outputs_by_hooks),
]
