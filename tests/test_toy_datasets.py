"""utils/toy_datasets.py gives scikit-learn's points, bit for bit: saved runs (micrograd's
reference run, chapter 2's warping snapshots) and checks were made with scikit-learn's."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import make_circles, make_moons

from utils.toy_datasets import two_circles, two_moons

SIZES_AND_SEEDS = [(100, 1337), (101, 0), (512, 42), (7, 3), (2, 5)]


@pytest.mark.parametrize("n, seed", SIZES_AND_SEEDS)
@pytest.mark.parametrize("noise", [0.0, 0.05, 0.1])
def test_two_moons_are_scikit_learns(n, seed, noise):
    points, labels = two_moons(n, noise=noise, seed=seed)
    expected_points, expected_labels = make_moons(n_samples=n, noise=noise, random_state=seed)
    np.testing.assert_array_equal(points, expected_points)
    np.testing.assert_array_equal(labels, expected_labels)
    assert labels.dtype == expected_labels.dtype and points.dtype == np.float64


@pytest.mark.parametrize("n, seed", SIZES_AND_SEEDS)
@pytest.mark.parametrize("factor", [0.5, 0.8])
def test_two_circles_are_scikit_learns(n, seed, factor):
    points, labels = two_circles(n, noise=0.1, factor=factor, seed=seed)
    expected_points, expected_labels = make_circles(n_samples=n, noise=0.1, factor=factor,
                                                    random_state=seed)
    np.testing.assert_array_equal(points, expected_points)
    np.testing.assert_array_equal(labels, expected_labels)
    assert labels.dtype == expected_labels.dtype and points.dtype == np.float64


def test_the_seed_matters():
    assert not np.array_equal(two_moons(100, noise=0.1, seed=1)[0],
                              two_moons(100, noise=0.1, seed=2)[0])
