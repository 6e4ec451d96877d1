"""Chapter 5.2's initialisation figure measures what the Modules page says it shows."""

import math

import pytest

from utils.figures import part2_cnns as figures

DEFAULT, ONE_OVER_SQRT_IN, KAIMING, BATCH_NORM = figures.INIT_SCHEMES


def _ratios(stds: list[float], layers: int = 5) -> list[float]:
    """How much each layer multiplies the variance, over the first few layers."""
    return [(b / a) ** 2 for a, b in zip(stds[:layers], stds[1:layers + 1])]


@pytest.fixture(scope="module")
def relu_stack():
    return figures.activation_std_by_depth(256, "ReLU")


def test_pytorch_default_divides_the_variance_by_3_per_layer_and_by_6_with_relu(relu_stack):
    linear = figures.activation_std_by_depth(256, "none")[DEFAULT]
    # The page quotes the variances of five such layers: 0.34, 0.11, 0.038, 0.013, 0.004.
    quoted = [0.34, 0.11, 0.038, 0.013, 0.004]
    assert [round(s ** 2, len(str(q)) - 2) for s, q in zip(linear, quoted)] == quoted
    assert all(0.28 < r < 0.39 for r in _ratios(linear))
    assert 1 / 8 < math.prod(_ratios(relu_stack[DEFAULT])) ** (1 / 5) < 1 / 5


def test_kaiming_and_batch_norm_keep_the_spread_over_50_relu_layers(relu_stack):
    assert relu_stack[DEFAULT][19] < 1e-6 and relu_stack[ONE_OVER_SQRT_IN][19] < 1e-2
    assert all(0.5 < s < 3 for s in relu_stack[KAIMING])
    assert all(abs(s - 1) < 0.01 for s in relu_stack[BATCH_NORM])


def test_the_scale_does_not_depend_on_width(relu_stack):
    narrow = figures.activation_std_by_depth(64, "ReLU")
    for scheme in (DEFAULT, ONE_OVER_SQRT_IN):
        for layer in range(5):
            assert 0.7 < narrow[scheme][layer] / relu_stack[scheme][layer] < 1.4


def test_tanh_gain_5_over_3_keeps_a_tanh_stack_near_1():
    tanh = figures.activation_std_by_depth(256, "tanh")
    assert all(0.8 < s < 1.8 for s in tanh[KAIMING])
    assert tanh[ONE_OVER_SQRT_IN][-1] < 0.3
