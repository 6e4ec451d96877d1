"""The 3s and 7s the chapter's first sections classify, as fastbook's lesson sets them up:
images flattened or not, targets 1.0 for a 3 and 0.0 for a 7. Also what sections 1 and 2
measure on them: the pixel-similarity baseline, and accuracy and loss as one weight moves, each
from functions passed in (the reference's, or a learner's)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Callable

import torch as t
from jaxtyping import Float
from torch import Tensor

from utils import data
from utils.caching import cache_resource
from utils.torch_threads import one_thread


@dataclass(frozen=True)
class ThreesAndSevens:
    train_images: Float[Tensor, "n_train 28 28"]
    train_targets: Float[Tensor, "n_train 1"]  # 1.0 for a 3, 0.0 for a 7
    valid_images: Float[Tensor, "n_valid 28 28"]
    valid_targets: Float[Tensor, "n_valid 1"]
    source: str  # "MNIST", or the offline digits' description

    def flat(self, split: str) -> tuple[Float[Tensor, "n 784"], Float[Tensor, "n 1"]]:
        """(images as rows of 784 pixels, targets) of "train" or "valid"."""
        images = self.train_images if split == "train" else self.valid_images
        targets = self.train_targets if split == "train" else self.valid_targets
        return images.reshape(len(images), -1), targets


def _pick(images: Tensor, labels: Tensor) -> tuple[Tensor, Tensor]:
    keep = (labels == 3) | (labels == 7)
    return images[keep][:, 0], (labels[keep] == 3).float()[:, None]


@cache_resource(show_spinner="Loading the 3s and 7s…")
def threes_and_sevens(allow_download: bool = False) -> ThreesAndSevens:
    """MNIST's 3s and 7s (its test set as the validation set, as fastbook uses it) when MNIST is
    cached or, with allow_download, can be fetched; else the offline digits' 3s and 7s."""
    return threes_and_sevens_from(data.get_mnist(allow_download=allow_download))


def threes_and_sevens_from(images: data.ImageSet) -> ThreesAndSevens:
    """The 3s and 7s of an image set (its test set as the validation set)."""
    train_x, train_y = _pick(images.train_images, images.train_labels)
    valid_x, valid_y = _pick(images.test_images, images.test_labels)
    return ThreesAndSevens(train_x, train_y, valid_x, valid_y, images.source)


def saved_measurement(key: str) -> dict[str, Any] | None:
    """What `python -m utils.experiments.neural_network_basics.precompute` measured with the
    reference under `key` of assets/neural_network_basics/digits.json, when it was measured on
    the data loaded now (the offline digits; a server with MNIST cached measures live)."""
    from utils.experiments.neural_network_basics import precompute

    saved = precompute.load("digits")
    return saved[key] if saved["source"] == threes_and_sevens().source else None


def training_batches(x: Tensor, y: Tensor, batch_size: int, seed: int) -> list[tuple[Tensor, Tensor]]:
    """Shuffled minibatches (a list, so a loop over them is a DataLoader's epoch)."""
    order = t.randperm(len(x), generator=t.Generator().manual_seed(seed))
    return [(x[order[i:i + batch_size]], y[order[i:i + batch_size]])
            for i in range(0, len(x), batch_size)]


# ---------------------------------------------------------------------------------------------
# Section 1: the pixel-similarity baseline, measured with any mean_image / mnist_distance /
# is_three (the reference's on the page, the learner's in the sandbox or the notebook).


@dataclass(frozen=True)
class Baseline:
    """What the baseline does on the validation set: the two ideal digits (means of the
    training 3s and 7s), each validation image's distance to both, and its verdict."""
    mean3: Float[Tensor, "h w"]
    mean7: Float[Tensor, "h w"]
    dist3: Float[Tensor, "n_valid"]  # distance of each validation image to mean3
    dist7: Float[Tensor, "n_valid"]
    said_three: Tensor  # bool (n_valid,): is_three's verdict
    is_three: Tensor  # bool (n_valid,): the truth
    source: str

    def accuracy(self) -> dict[str, float]:
        """The fraction right on the validation 3s, on its 7s, and on all of them."""
        right = self.said_three == self.is_three
        return {"3s": float(right[self.is_three].float().mean()),
                "7s": float(right[~self.is_three].float().mean()),
                "overall": float(right.float().mean())}

    def counts(self) -> dict[str, tuple[int, int]]:
        """(right, total) on the validation 3s, 7s and all of them."""
        right = self.said_three == self.is_three
        return {"3s": (int(right[self.is_three].sum()), int(self.is_three.sum())),
                "7s": (int(right[~self.is_three].sum()), int((~self.is_three).sum())),
                "overall": (int(right.sum()), len(right))}


def measure_baseline(mean_image: Callable, mnist_distance: Callable, is_three: Callable,
                     data: ThreesAndSevens | None = None) -> Baseline:
    """The baseline built from the three functions: the mean training 3 and 7, then every
    validation image's distances and verdict (one broadcast call each, as the section does)."""
    data = data or threes_and_sevens()
    threes = data.train_targets[:, 0] == 1
    with one_thread():
        mean3 = mean_image(data.train_images[threes])
        mean7 = mean_image(data.train_images[~threes])
        valid = data.valid_images
        return Baseline(mean3=mean3, mean7=mean7, dist3=mnist_distance(valid, mean3),
                        dist7=mnist_distance(valid, mean7),
                        said_three=is_three(valid, mean3, mean7),
                        is_three=data.valid_targets[:, 0] == 1, source=data.source)


def baseline_to_json(b: Baseline) -> dict[str, Any]:
    return {key: value.tolist() if isinstance(value, Tensor) else value
            for key, value in asdict(b).items()}


def baseline_from_json(saved: dict[str, Any]) -> Baseline:
    """The exact tensors `baseline_to_json` wrote (float32 survives JSON unchanged)."""
    floats = {k: t.tensor(saved[k], dtype=t.float32) for k in ("mean3", "mean7", "dist3", "dist7")}
    flags = {k: t.tensor(saved[k], dtype=t.bool) for k in ("said_three", "is_three")}
    return Baseline(**floats, **flags, source=saved["source"])


def rms_distance(a: Float[Tensor, "... h w"], b: Float[Tensor, "h w"]) -> Float[Tensor, "..."]:
    """The root mean squared difference over the last two dims: the L2 counterpart of the
    chapter's mnist_distance."""
    return ((a - b) ** 2).mean((-1, -2)).sqrt()


def rms_baseline(data: ThreesAndSevens | None = None) -> Baseline:
    """The same baseline with the root mean squared error as its distance (on the data loaded
    now, as saved by precompute when it was measured on them)."""
    saved = saved_measurement("rms_baseline") if data is None else None
    return baseline_from_json(saved) if saved is not None else measure_rms_baseline(data)


def measure_rms_baseline(data: ThreesAndSevens | None = None) -> Baseline:
    def closer_to_three(x: Tensor, mean3: Tensor, mean7: Tensor) -> Tensor:
        return rms_distance(x, mean3) < rms_distance(x, mean7)
    return measure_baseline(lambda images: images.mean(0), rms_distance, closer_to_three, data)


# ---------------------------------------------------------------------------------------------
# Section 2: why accuracy cannot be the loss. One weight of a linear model is moved while the
# rest stay put; accuracy moves in steps, the mnist loss smoothly.

SWEEP_IMAGES = 64  # the batch the sweep measures on (the first training images)
SWEEP_STD = 0.1  # the initial weights' std: logits near 0, where verdicts can still flip
SWEEP_OFFSETS = 161  # how many values of the weight, evenly spaced
SWEEP_HALF_WIDTH = 4.0  # the weight goes from its start - 4 to its start + 4


@dataclass(frozen=True)
class OneWeightSweep:
    pixel: int  # which of the 784 weights moves
    start: float  # its value from init_params
    values: Float[Tensor, "k"]  # the values it takes
    accuracy: Float[Tensor, "k"]  # batch_accuracy on the batch at each value
    loss: Float[Tensor, "k"]  # mnist_loss on the batch at each value
    loss_slope: float  # d loss / d weight at the start, by autograd
    n_images: int


def sweep_pixel(data: ThreesAndSevens) -> int:
    """The pixel whose mean differs most between the training 3s and 7s (its weight matters)."""
    x, y = data.flat("train")
    threes = y[:, 0] == 1
    return int((x[threes].mean(0) - x[~threes].mean(0)).abs().argmax())


def sweep_one_weight(init_params: Callable, linear1: Callable, mnist_loss: Callable,
                     batch_accuracy: Callable, data: ThreesAndSevens | None = None,
                     seed: int = 0) -> OneWeightSweep:
    """Weights and bias from init_params (std SWEEP_STD, seeded); then one weight is set to
    SWEEP_OFFSETS values around its start, and accuracy and loss are measured at each."""
    data = data or threes_and_sevens()
    with one_thread():
        return _sweep(init_params, linear1, mnist_loss, batch_accuracy, data, seed)


def _sweep(init_params: Callable, linear1: Callable, mnist_loss: Callable,
           batch_accuracy: Callable, data: ThreesAndSevens, seed: int) -> OneWeightSweep:
    x, y = data.flat("train")
    x, y = x[:SWEEP_IMAGES], y[:SWEEP_IMAGES]
    gen = t.Generator().manual_seed(seed)
    weights = init_params((x.shape[1], 1), std=SWEEP_STD, generator=gen)
    bias = init_params((1,), std=SWEEP_STD, generator=gen)
    pixel = sweep_pixel(data)
    start = float(weights.detach()[pixel, 0])
    loss = mnist_loss(linear1(x, weights, bias), y)
    loss.backward()
    slope = float(weights.grad[pixel, 0])
    values = start + t.linspace(-SWEEP_HALF_WIDTH, SWEEP_HALF_WIDTH, SWEEP_OFFSETS)
    accuracies, losses = [], []
    with t.no_grad():
        moved = weights.detach().clone()
        for value in values:
            moved[pixel, 0] = value
            predictions = linear1(x, moved, bias.detach())
            accuracies.append(float(batch_accuracy(predictions, y)))
            losses.append(float(mnist_loss(predictions, y)))
    return OneWeightSweep(pixel=pixel, start=start, values=values,
                          accuracy=t.tensor(accuracies), loss=t.tensor(losses),
                          loss_slope=slope, n_images=len(x))


def sweep_to_json(s: OneWeightSweep) -> dict[str, Any]:
    return {key: value.tolist() if isinstance(value, Tensor) else value
            for key, value in asdict(s).items()}


def sweep_from_json(saved: dict[str, Any]) -> OneWeightSweep:
    tensors = {k: t.tensor(saved[k], dtype=t.float32) for k in ("values", "accuracy", "loss")}
    return OneWeightSweep(pixel=saved["pixel"], start=saved["start"], **tensors,
                          loss_slope=saved["loss_slope"], n_images=saved["n_images"])
