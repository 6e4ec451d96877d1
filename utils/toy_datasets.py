"""Two moons and two circles: scikit-learn's `make_moons` and `make_circles`, point for point.

Why not import scikit-learn? `sklearn.datasets` pulls in scikit-learn and SciPy: about 3 s of CPU
and 130 MB on the server (and as much in each code runner), for 100 points on a page.
These are the same points: the same shapes, the same seeded draws in the same order
(a shuffle of the rows, then the noise), so saved runs and checks made with scikit-learn's stay
valid, and `tests/test_toy_datasets.py` compares the two for several sizes and seeds.
"""

from __future__ import annotations

import numpy as np
from jaxtyping import Float, Int


def two_moons(n_samples: int, *, noise: float, seed: int
              ) -> tuple[Float[np.ndarray, "n 2"], Int[np.ndarray, "n"]]:
    """Two interleaved half circles of radius 1: the upper one centred at (0, 0), label 0
    (n_samples // 2 points), the lower one centred at (1, 0.5), label 1 (the rest); rows in a
    seeded random order, plus Gaussian noise of standard deviation `noise` on each coordinate."""
    n_upper = n_samples // 2
    upper = np.linspace(0, np.pi, n_upper)
    lower = np.linspace(0, np.pi, n_samples - n_upper)
    points = np.stack([np.concatenate([np.cos(upper), 1 - np.cos(lower)]),
                       np.concatenate([np.sin(upper), 1 - np.sin(lower) - 0.5])], axis=1)
    return _shuffled_with_noise(points, n_upper, noise, seed)


def two_circles(n_samples: int, *, noise: float, factor: float, seed: int
                ) -> tuple[Float[np.ndarray, "n 2"], Int[np.ndarray, "n"]]:
    """A circle of radius 1 around the origin, label 0 (n_samples // 2 points), and one of
    radius `factor` inside it, label 1 (the rest), each sampled at equal angles from 0 (the end
    point left out, so no point is doubled); then shuffled and noised as `two_moons`."""
    n_outer = n_samples // 2
    outer = np.linspace(0, 2 * np.pi, n_outer, endpoint=False)
    inner = np.linspace(0, 2 * np.pi, n_samples - n_outer, endpoint=False)
    points = np.stack([np.concatenate([np.cos(outer), np.cos(inner) * factor]),
                       np.concatenate([np.sin(outer), np.sin(inner) * factor])], axis=1)
    return _shuffled_with_noise(points, n_outer, noise, seed)


def _shuffled_with_noise(points: Float[np.ndarray, "n 2"], n_first: int, noise: float, seed: int
                         ) -> tuple[Float[np.ndarray, "n 2"], Int[np.ndarray, "n"]]:
    """The first `n_first` rows are label 0, the rest label 1. One legacy RandomState does both
    draws, shuffle first, as scikit-learn does: another generator or order gives other points."""
    labels = (np.arange(len(points)) >= n_first).astype(np.intp)
    generator = np.random.RandomState(seed)
    order = np.arange(len(points))
    generator.shuffle(order)
    points, labels = points[order], labels[order]
    return points + generator.normal(scale=noise, size=points.shape), labels
