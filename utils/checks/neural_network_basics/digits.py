"""Checks for chapter 2's digits sections: the pixel-similarity baseline (mean_image,
mnist_distance, is_three) and the pieces of the linear model (init_params, linear1, mnist_loss,
batch_accuracy).

Each compares the learner's function with a torch one-liner on seeded inputs whose shapes tell the
usual slips apart: images that are not square and a batch size that is neither height nor width
(so a mean over the wrong axis shows as a wrong shape), one image as well as stacks of them (so a
distance that only works for one of the two shows), logits between 0 and 0.5 (so a threshold of
0.5 on logits shows), and an (n, 1) shape wherever an (n,) one would broadcast to (n, n).
"""

from __future__ import annotations

from typing import Callable

import torch as t
from torch import Tensor

from utils.checks.assertions import (assert_close, assert_is_tensor, assert_shape,
                                     assert_tensors_equal_bool, call, describe, passed)

__all__ = ["test_mean_image", "test_mnist_distance", "test_is_three", "test_init_params",
           "test_linear1", "test_mnist_loss", "test_batch_accuracy"]


def _gen(seed: int) -> t.Generator:
    return t.Generator().manual_seed(seed)


def _images(shape: tuple[int, ...], seed: int) -> Tensor:
    """Pixel values in [0, 1), like the digits'."""
    return t.rand(shape, generator=_gen(seed))


def _shape_text(x: Tensor) -> str:
    return str(tuple(x.shape))


def _assert_unchanged(before: Tensor, after: Tensor, what: str, name: str) -> None:
    if not t.equal(before, after):
        raise AssertionError(f"{what} changed its input `{name}` in place; work on a new tensor "
                             "(operations such as `-=`, `.abs_()` or `.sub_()` write into it).")


# ---------------------------------------------------------------------------------------------
# Section 1: the baseline


def test_mean_image(mean_image: Callable) -> None:
    # (n, h, w) all different, so a mean over h or w, or with keepdim, has the wrong shape.
    for n, h, w, seed in ((4, 5, 7, 0), (1, 3, 2, 1), (9, 28, 28, 2)):
        images = _images((n, h, w), seed)
        kept = images.clone()
        what = f"mean_image(images of shape {(n, h, w)})"
        got = assert_is_tensor(call(mean_image, images, context=f"on images of shape "
                                    f"{(n, h, w)}"), what)
        if got.ndim == 0:
            raise AssertionError(f"{what}: returned a single number ({describe(got)}); expected "
                                 f"an image of shape {(h, w)}. A bare `.mean()` averages over "
                                 "every dimension: average over the images' dimension only.")
        _assert_unchanged(kept, images, what, "images")
        assert_shape(got, (h, w), what)
        expected = images.mean(0)
        if n > 1 and t.allclose(got, images.sum(0), atol=1e-5):
            raise AssertionError(f"{what}: returned the pixel-wise sum; divide by the number of "
                                 f"images ({n}), or use a mean.")
        assert_close(got, expected, what)
    passed("test_mean_image")


def _distance(a: Tensor, b: Tensor) -> Tensor:
    return (a - b).abs().mean((-1, -2))


def _distance_hint(got: Tensor, a: Tensor, b: Tensor) -> str:
    """Name the distance the learner computed instead, when it is a common one."""
    d = a - b
    others = {
        "the mean of the squared differences (an L2-style distance); this one is the mean "
        "absolute difference": (d ** 2).mean((-1, -2)),
        "the root mean squared difference; this one is the mean absolute difference":
            (d ** 2).mean((-1, -2)).sqrt(),
        "the mean of the signed differences: take the absolute value before averaging, or "
        "positive and negative differences cancel": d.mean((-1, -2)),
        "the sum of the absolute differences; divide by the number of pixels (a mean)":
            d.abs().sum((-1, -2)),
        "the mean absolute difference divided by 784 (28 x 28) whatever the image size; "
        "average over the last two dimensions instead": d.abs().sum((-1, -2)) / 784,
    }
    for name, value in others.items():
        if got.shape == value.shape and t.allclose(got.double(), value.double(), atol=1e-6,
                                                   rtol=1e-5):
            return f" Your values are {name}."
    return ""


def _check_distance(mnist_distance: Callable, a: Tensor, b: Tensor, case: str) -> None:
    what = f"mnist_distance(a of shape {_shape_text(a)}, b of shape {_shape_text(b)}) ({case})"
    kept_a, kept_b = a.clone(), b.clone()
    got = assert_is_tensor(call(mnist_distance, a, b, context=f"on a of shape "
                                f"{_shape_text(a)} and b of shape {_shape_text(b)} ({case})"),
                           what)
    _assert_unchanged(kept_a, a, what, "a")
    _assert_unchanged(kept_b, b, what, "b")
    expected = _distance(a, b)
    if got.shape != expected.shape:
        hint = ""
        if got.ndim == 0 and expected.ndim > 0:
            hint = (" A single number for a stack of images: did `.mean()` average over the "
                    "images too? Average over the last two dimensions only, `(-1, -2)`.")
        elif got.shape == a.shape[:-1] or got.shape == a.shape[:-2] + a.shape[-1:]:
            hint = (" Only one of the two pixel dimensions was averaged over (or a loop over "
                    "the images ran over the rows of a single image).")
        elif a.ndim != 3:
            hint = (" Do you average over fixed dimensions such as (1, 2)? Those are the pixel "
                    "dimensions only for an (n, h, w) stack; (-1, -2) count from the end.")
        raise AssertionError(f"{what}: wrong shape. Expected {tuple(expected.shape)} (one "
                             f"distance per image of a), got {tuple(got.shape)}.{hint}")
    if not got.is_floating_point():
        raise AssertionError(f"{what}: expected a float tensor of distances, got {got.dtype}.")
    if not t.allclose(got.detach().double(), expected.double(), atol=1e-6, rtol=1e-5):
        hint = _distance_hint(got.detach(), a, b)
        if hint:
            raise AssertionError(f"{what}: wrong values.{hint}")
        assert_close(got, expected, what)


def test_mnist_distance(mnist_distance: Callable) -> None:
    b = _images((5, 7), 10)
    _check_distance(mnist_distance, _images((5, 7), 11), b, "one image")
    _check_distance(mnist_distance, b.clone(), b, "an image and itself: distance 0")
    _check_distance(mnist_distance, _images((4, 5, 7), 12), b, "a batch of 4")
    _check_distance(mnist_distance, _images((1, 5, 7), 13), b, "a batch of 1")
    _check_distance(mnist_distance, _images((2, 3, 5, 7), 14), b, "a (2, 3) grid of images")
    b28 = _images((28, 28), 15)
    _check_distance(mnist_distance, _images((6, 28, 28), 16), b28, "six 28 x 28 images")
    passed("test_mnist_distance")


def _tie_case() -> tuple[Tensor, Tensor, Tensor]:
    """An image exactly as far from both means: each pixel is 0.25 above one and below the
    other (0.25 and 0.5 are exact in binary, so both distances are exactly 0.25)."""
    x = t.full((5, 7), 0.5)
    return x, x + 0.25, x - 0.25


def _check_is_three(is_three: Callable, x: Tensor, mean3: Tensor, mean7: Tensor,
                    case: str) -> None:
    what = f"is_three(x of shape {_shape_text(x)}, mean3, mean7) ({case})"
    got = call(is_three, x, mean3, mean7, context=f"on x of shape {_shape_text(x)} ({case})")
    expected = _distance(x, mean3) < _distance(x, mean7)
    got = assert_is_tensor(got, what)
    if got.dtype != t.bool:
        raise AssertionError(f"{what}: expected a boolean tensor (True for a 3), got dtype "
                             f"{got.dtype}. A comparison such as `d3 < d7` gives booleans; do "
                             "not turn them into numbers.")
    if got.shape == expected.shape and expected.numel() > 1 and t.equal(got, ~expected):
        raise AssertionError(f"{what}: every answer is the opposite of the expected one: is the "
                             "comparison the wrong way round? An image is a 3 when its distance "
                             "to mean3 is the smaller one.")
    assert_tensors_equal_bool(got, expected, what, index_name="image")


def test_is_three(is_three: Callable) -> None:
    mean3, mean7 = _images((5, 7), 20), _images((5, 7), 21)
    # Images that sit between the two means, some nearer one, some the other.
    mix = t.rand((6, 1, 1), generator=_gen(22))
    batch = mix * mean3 + (1 - mix) * mean7 + 0.05 * t.randn((6, 5, 7), generator=_gen(23))
    _check_is_three(is_three, mean3 + 0.01, mean3, mean7, "one image, next to mean3")
    _check_is_three(is_three, mean7 + 0.01, mean3, mean7, "one image, next to mean7")
    _check_is_three(is_three, batch, mean3, mean7, "a batch of 6")
    _check_is_three(is_three, batch.reshape(2, 3, 5, 7), mean3, mean7, "a (2, 3) grid of images")
    tie = _tie_case()
    got = call(is_three, *tie, context="on an image exactly as far from both")
    if isinstance(got, Tensor) and got.dtype == t.bool and got.numel() == 1 and bool(got):
        raise AssertionError("is_three (one image exactly as far from mean3 as from mean7): "
                             "returned True; a tie is not a 3. Compare with a strict `<`, not "
                             "`<=`.")
    _check_is_three(is_three, *tie, "one image exactly as far from both: not a 3")
    passed("test_is_three")


# ---------------------------------------------------------------------------------------------
# Section 2: the linear model


def test_init_params(init_params: Callable) -> None:
    for size, std, seed in (((784, 1), 1.0, 0), ((3,), 0.5, 1), ((2, 3, 4), 2.0, 2),
                            ((1,), 1.0, 3)):
        what = f"init_params({size}, std={std}, generator=<seeded with {seed}>)"
        got = assert_is_tensor(call(init_params, size, std=std, generator=_gen(seed),
                                    context=f"with size {size}, std {std}"), what)
        expected = t.randn(size, generator=_gen(seed)) * std
        assert_shape(got, tuple(expected.shape), what)
        if not got.requires_grad:
            raise AssertionError(f"{what}: the tensor does not require grad, so autograd would "
                                 "never compute its gradient. Call `.requires_grad_()` on it.")
        if not got.is_leaf:
            raise AssertionError(f"{what}: the tensor requires grad but is not a leaf: it was "
                                 "computed from another tensor that requires grad (say "
                                 "`t.randn(..., requires_grad=True) * std`), so after "
                                 "`backward()` its `.grad` stays None. Scale first, then "
                                 "`.requires_grad_()`.")
        if got.dtype != t.float32:
            raise AssertionError(f"{what}: expected dtype torch.float32, got {got.dtype}.")
        values = got.detach()
        if not t.allclose(values, expected, atol=1e-6):
            unscaled = t.randn(size, generator=_gen(seed))
            if std != 1.0 and t.allclose(values, unscaled, atol=1e-6):
                raise AssertionError(f"{what}: the values are t.randn's without the factor "
                                     f"std = {std}: multiply by std.")
            raise AssertionError(
                f"{what}: not the numbers a generator seeded with {seed} gives for "
                f"t.randn({size}, generator=generator) * {std}. Pass the generator on to "
                "t.randn (`generator=generator`), draw once, and multiply by std.")
    # Without a generator: torch's global generator, as t.randn uses by default.
    t.manual_seed(7)
    expected = t.randn((4, 3))
    t.manual_seed(7)
    what = "init_params((4, 3)) (no std, no generator: std 1, torch's global generator)"
    got = assert_is_tensor(call(init_params, (4, 3), context="with no std and no generator"),
                           what)
    assert_shape(got, (4, 3), what)
    if not got.requires_grad:
        raise AssertionError(f"{what}: the tensor does not require grad.")
    assert_close(got.detach(), expected, what)
    passed("test_init_params")


def test_linear1(linear1: Callable) -> None:
    # n, d differ, so `xb * weights` cannot broadcast by accident.
    for n, d, bias_shape, seed in ((5, 7, (1,), 0), (1, 784, (1,), 1), (8, 3, (), 2)):
        xb = t.randn((n, d), generator=_gen(seed))
        weights = t.randn((d, 1), generator=_gen(seed + 10)).requires_grad_()
        bias = (t.randn(bias_shape, generator=_gen(seed + 20)) + 1.5).requires_grad_()
        what = (f"linear1(xb of shape {(n, d)}, weights of shape {(d, 1)}, bias of shape "
                f"{bias_shape})")
        got = assert_is_tensor(call(linear1, xb, weights, bias,
                                    context=f"on xb {(n, d)}, weights {(d, 1)} (`@` is the "
                                            "matrix product; `*` multiplies elementwise)"),
                               what)
        expected = xb @ weights + bias
        assert_shape(got, (n, 1), what)
        if t.allclose(got.detach(), (xb @ weights).detach(), atol=1e-5):
            raise AssertionError(f"{what}: the bias was not added (expected xb @ weights + "
                                 "bias).")
        assert_close(got.detach(), expected.detach(), what)
        if not got.requires_grad:
            raise AssertionError(f"{what}: the result does not require grad although weights "
                                 "and bias do: the training loop could not learn through it. "
                                 "Drop `.detach()`, `.data` or `t.no_grad()`.")
        got.sum().backward()
        for name, param in (("weights", weights), ("bias", bias)):
            if param.grad is None:
                raise AssertionError(f"{what}: no gradient reaches `{name}`: it was used through "
                                     "`.detach()`, `.data` or `t.no_grad()`, so the training loop "
                                     f"could never change it. Use `{name}` itself.")
    passed("test_linear1")


def _loss(predictions: Tensor, targets: Tensor) -> Tensor:
    p = predictions.sigmoid()
    return t.where(targets == 1, 1 - p, p).mean()


def _loss_hint(got: float, predictions: Tensor, targets: Tensor) -> str:
    p = predictions.detach().sigmoid()
    x = predictions.detach()
    others = {
        "t.where over an (n, n) grid: an (n,) tensor met an (n, 1) one, and broadcasting "
        "paired every prediction with every target. Keep both (n, 1)":
            t.where(targets.flatten() == 1, 1 - p, p).mean(),
        "the loss of the raw predictions: apply the sigmoid first, so that they are "
        "probabilities between 0 and 1": t.where(targets == 1, 1 - x, x).mean(),
        "the loss with the two branches swapped: a 3 (target 1) should cost 1 - p, a 7 "
        "(target 0) should cost p": t.where(targets == 1, p, 1 - p).mean(),
        "a sum over the batch: take the mean": t.where(targets == 1, 1 - p, p).sum(),
    }
    for name, value in others.items():
        if abs(got - float(value)) < 1e-5:
            return f" Your value is {name}."
    return ""


def _loss_cases() -> list[tuple[Tensor, Tensor, str]]:
    g = _gen(30)
    cases = []
    for n in (6, 1, 9):
        predictions = 2 * t.randn((n, 1), generator=g)
        targets = (t.rand((n, 1), generator=g) > 0.5).float()
        targets[0, 0] = 1.0
        if n > 1:
            targets[1, 0] = 0.0
        cases.append((predictions, targets, f"a batch of {n}"))
    cases.append((t.tensor([[3.0], [-1.0], [0.5]]), t.ones(3, 1), "every target a 3"))
    cases.append((t.tensor([[3.0], [-1.0], [0.5]]), t.zeros(3, 1), "every target a 7"))
    return cases


def test_mnist_loss(mnist_loss: Callable) -> None:
    for predictions, targets, case in _loss_cases():
        n = len(predictions)
        what = f"mnist_loss(predictions of shape {(n, 1)}, targets of shape {(n, 1)}) ({case})"
        leaf = predictions.clone().requires_grad_()
        got = call(mnist_loss, leaf, targets.clone(),
                   context=f"on predictions and targets of shape {(n, 1)}")
        if isinstance(got, (float, int)):
            raise AssertionError(f"{what}: returned a Python {type(got).__name__} ({got!r}); "
                                 "return the 0-dimensional tensor itself (no `.item()`): "
                                 "`backward()` can only run through a tensor.")
        got = assert_is_tensor(got, what)
        if got.numel() == 1 and got.ndim > 0:
            raise AssertionError(f"{what}: expected a 0-dimensional tensor (shape ()), got shape "
                                 f"{tuple(got.shape)}: `.mean()` with no dimension gives one "
                                 "number of shape ().")
        if got.ndim > 0:
            raise AssertionError(f"{what}: expected a single number (shape ()), got a tensor of "
                                 f"shape {tuple(got.shape)}. The loss is a mean over the batch.")
        expected = _loss(predictions, targets)
        if abs(float(got.detach()) - float(expected)) > 1e-5:
            raise AssertionError(f"{what}: expected {float(expected):.6f}, got "
                                 f"{float(got.detach()):.6f}."
                                 f"{_loss_hint(float(got.detach()), predictions, targets)}")
        if not got.requires_grad:
            raise AssertionError(f"{what}: the loss does not require grad, so `backward()` could "
                                 "not run through it. Keep it a tensor built from predictions "
                                 "(no `.item()`, `.detach()`, `.data` or `t.no_grad()`).")
        got.backward()
        reference = predictions.clone().requires_grad_()
        _loss(reference, targets).backward()
        assert_close(leaf.grad, reference.grad, f"{what}: the gradient of your loss with respect "
                     "to the predictions")
    passed("test_mnist_loss")


def _accuracy_cases() -> list[tuple[Tensor, Tensor, str]]:
    # Logits between 0 and 0.5 (probability above 0.5, logit below 0.5) and one exactly 0.
    # Targets chosen so that each usual slip gives its own wrong value, and its own message.
    predictions = t.tensor([[2.0], [0.3], [0.1], [-0.2], [-3.0], [0.0], [0.4], [-0.05], [1.0],
                            [-1.0]])
    targets = t.tensor([[0.0], [0.0], [1.0], [0.0], [0.0], [1.0], [1.0], [0.0], [1.0], [0.0]])
    g = _gen(40)
    cases = [(predictions, targets, "logits near 0, one exactly 0")]
    for n in (10, 1):
        x = 2 * t.randn((n, 1), generator=g)
        x = x + 0.1 * x.sign()  # no logit so close to 0 that sigmoid rounds it to 0.5
        y = (t.rand((n, 1), generator=g) > 0.5).float()
        cases.append((x, y, f"a batch of {n}"))
    cases.append((t.tensor([[1.0], [2.0]]), t.tensor([[1.0], [1.0]]), "every answer right"))
    return cases


def test_batch_accuracy(batch_accuracy: Callable) -> None:
    for predictions, targets, case in _accuracy_cases():
        n = len(predictions)
        what = (f"batch_accuracy(predictions of shape {(n, 1)}, targets of shape {(n, 1)}) "
                f"({case})")
        got = call(batch_accuracy, predictions.clone(), targets.clone(),
                   context=f"on predictions and targets of shape {(n, 1)}")
        if isinstance(got, (float, int)):
            raise AssertionError(f"{what}: returned a Python {type(got).__name__} ({got!r}); "
                                 "return the 0-dimensional tensor itself (no `.item()`).")
        got = assert_is_tensor(got, what)
        if got.ndim > 0:
            raise AssertionError(f"{what}: expected a single number (shape ()), got shape "
                                 f"{tuple(got.shape)}.")
        if not got.is_floating_point():
            raise AssertionError(f"{what}: expected a float tensor (a fraction), got "
                                 f"{got.dtype}. Turn the booleans into floats before the mean.")
        verdicts = predictions.sigmoid() > 0.5
        expected = (verdicts == (targets == 1)).float().mean()
        value = float(got)
        if abs(value - float(expected)) > 1e-6:
            hint = ""
            right = int((verdicts == (targets == 1)).sum())
            if abs(value - right) < 1e-6 and n > 1:
                hint = (f" That is the number of right answers ({right}); return the fraction "
                        f"({right}/{n}).")
            elif min(abs(value - (1 - float(expected))), abs(value - float(
                    ((predictions.sigmoid() < 0.5) == (targets == 1)).float().mean()))) < 1e-6:
                hint = (" That is what a threshold the wrong way round gives: the model says 3 "
                        "where sigmoid(prediction) > 0.5.")
            elif abs(value - float(((predictions > 0.5) == (targets == 1)).float().mean())) \
                    < 1e-6:
                hint = (" That is what a threshold of 0.5 on the logits gives: compare the "
                        "probability sigmoid(prediction) with 0.5, or the logit with 0.")
            elif abs(value - float(((predictions >= 0) == (targets == 1)).float().mean())) \
                    < 1e-6:
                hint = (" A logit of exactly 0 (probability 0.5) counts as a 3 in yours; it "
                        "should count as a 7: use a strict `>`.")
            elif abs(value - float((verdicts.flatten() == (targets == 1)).float().mean())) \
                    < 1e-6:
                hint = (" That is the mean over an (n, n) grid: an (n,) tensor was compared "
                        "with an (n, 1) one. Keep both (n, 1).")
            raise AssertionError(f"{what}: expected {float(expected):.4f}, got {value:.4f}.{hint}")
    passed("test_batch_accuracy")
