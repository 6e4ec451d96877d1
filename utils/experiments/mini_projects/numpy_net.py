"""Data and runs for chapter 6's sections 1-2 (the NumPy network) (no drawing).

The data is scikit-learn's handwritten digits (1,797 images of 8×8 pixels, shipped inside the
package, so nothing is downloaded), scaled to [0, 1] and split 80/20 with a fixed seed. A run is
the project's network (64 → 64 → ReLU → 10) trained by the reference `Network.fit`: a fraction of
a second, so it is computed on first use and cached, not saved.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass

import numpy as np

from solutions import mini_projects as reference
from utils.data import sklearn_digits
from utils.demos.mini_projects_settings import BATCH_SIZE, EPOCHS, HIDDEN, LR

SPLIT_SEED, INIT_SEED, FIT_SEED = 0, 1, 2


@dataclass(frozen=True)
class Digits:
    """The digits as float64 pixels in [0, 1] and integer labels, split 80/20."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


@functools.lru_cache(maxsize=1)
def digits_split() -> Digits:
    """scikit-learn's digits, pixels / 16, shuffled with SPLIT_SEED, 80 % to train."""
    pixels, labels = sklearn_digits()  # read from scikit-learn's file, without importing it
    X, y = pixels.reshape(len(pixels), -1) / 16.0, labels.astype(np.int64)
    order = np.random.default_rng(SPLIT_SEED).permutation(len(X))
    cut = int(0.8 * len(X))
    train, test = order[:cut], order[cut:]
    return Digits(X[train], y[train], X[test], y[test])


def train_digits(namespace: dict | None = None, epochs: int = EPOCHS, lr: float = LR,
                 batch_size: int = BATCH_SIZE, hidden: int = HIDDEN) -> dict:
    """The project's network built and trained with the classes in `namespace` (the reference's
    by default): epoch losses, train and test accuracy, the test confusion matrix, seconds."""
    names = vars(reference) if namespace is None else namespace
    data = digits_split()
    rng = np.random.default_rng(INIT_SEED)
    net = names["Network"]([names["Dense"](64, hidden, rng), names["ReLU"](),
                            names["Dense"](hidden, 10, rng)])
    started = time.perf_counter()
    losses = net.fit(data.X_train, data.y_train, epochs, lr, batch_size,
                     np.random.default_rng(FIT_SEED))
    seconds = time.perf_counter() - started
    predicted = np.asarray(net.predict(data.X_test))
    confusion = np.zeros((10, 10), dtype=np.int64)
    np.add.at(confusion, (data.y_test, predicted), 1)
    return {"losses": [float(v) for v in losses],
            "train_accuracy": float((np.asarray(net.predict(data.X_train)) == data.y_train).mean()),
            "test_accuracy": float((predicted == data.y_test).mean()),
            "confusion": confusion.tolist(), "seconds": seconds,
            "settings": {"epochs": epochs, "lr": lr, "batch_size": batch_size, "hidden": hidden}}


@functools.lru_cache(maxsize=1)
def reference_run() -> dict:
    """The reference network's run on the digits (cached for the server's life)."""
    return train_digits()
