"""Chapter 5.2's initialisation figure measures what the Modules page says it shows, and its
saved measurements (assets/part2_cnns/init_stds.json) are current and cover the widget."""

import importlib
import json
import math
import sys

import pytest

from tests.saved_runs import assert_close
from utils.experiments import part2_cnns as experiments
from utils.experiments.saved import top_level_code
from utils.figures import part2_cnns as figures

STALE = (f"what chapter 5.2's saved initialisation measurements were computed from has changed: "
         f"run `{experiments.INIT_STDS_SCRIPT}` and commit assets/part2_cnns/init_stds.json")

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


def test_saved_measurements_are_current():
    assert experiments.INIT_STDS_PATH.exists(), STALE
    saved = json.loads(experiments.INIT_STDS_PATH.read_text())
    assert saved["fingerprint"] == experiments.init_stds_fingerprint(), STALE
    assert_close(saved, experiments.compute_init_stds(), "init_stds")


def test_every_choice_of_the_widget_is_saved_and_drawn_from_the_file(monkeypatch):
    def not_measured(*args):
        raise AssertionError(f"measured {args} instead of reading the saved file")

    monkeypatch.setattr(figures, "measure_activation_stds", not_measured)
    saved = json.loads(experiments.INIT_STDS_PATH.read_text())["stds"]
    for width in figures.INIT_WIDTHS:
        for nonlinearity in figures.NONLINEARITIES:
            stds = figures.activation_std_by_depth(width, nonlinearity)
            assert stds == saved[experiments.init_stds_key(width, nonlinearity)]
            assert list(stds) == list(figures.INIT_SCHEMES)
            assert all(len(values) == figures.INIT_DEPTH for values in stds.values())


def test_what_was_not_saved_is_measured():
    assert experiments.saved_activation_stds(256, "ReLU", batch=64) is None
    assert experiments.saved_activation_stds(128, "ReLU") is None
    assert figures.activation_std_by_depth(128, "none") == \
        experiments.measure_activation_stds(128, "none")


def test_a_missing_file_is_measured_and_written_at_first_use(tmp_path, monkeypatch):
    monkeypatch.setattr(experiments, "INIT_STDS_PATH", tmp_path / "init_stds.json")
    monkeypatch.setattr(experiments, "measure_activation_stds",
                        lambda width, nonlinearity: {"made": [float(width)]})
    experiments.saved_init_stds.cache_clear()
    try:
        assert experiments.saved_activation_stds(512, "tanh") == {"made": [512.0]}
        written = json.loads((tmp_path / "init_stds.json").read_text())
        assert written["fingerprint"] == experiments.init_stds_fingerprint()
        assert len(written["stds"]) == len(figures.INIT_WIDTHS) * len(figures.NONLINEARITIES)
    finally:
        experiments.saved_init_stds.cache_clear()


def test_a_stale_file_is_not_read(tmp_path, monkeypatch):
    stale = json.loads(experiments.INIT_STDS_PATH.read_text())
    stale["fingerprint"] = "something else"
    stale["stds"]["64 none"] = {"wrong": [0.0]}
    (tmp_path / "init_stds.json").write_text(json.dumps(stale))
    monkeypatch.setattr(experiments, "INIT_STDS_PATH", tmp_path / "init_stds.json")
    experiments.saved_init_stds.cache_clear()
    try:
        assert experiments.saved_activation_stds(64, "none") is None
        assert figures.activation_std_by_depth(64, "none") == \
            experiments.measure_activation_stds(64, "none")
    finally:
        experiments.saved_init_stds.cache_clear()


def test_the_fingerprint_sees_the_code_and_constants_not_their_wording(tmp_path, monkeypatch):
    def fingerprint_of(source: str) -> str:
        (tmp_path / "measured_here.py").write_text(source)
        sys.modules.pop("measured_here", None)
        importlib.invalidate_caches()
        return top_level_code(importlib.import_module("measured_here"), ("SCALE", "measure"))

    monkeypatch.syspath_prepend(str(tmp_path))
    first = fingerprint_of('SCALE = 2\nOTHER = 1\n\ndef measure(x):\n    """Doubles."""\n'
                           '    return SCALE * x\n')
    assert first == fingerprint_of('SCALE = 2  # why\nOTHER = 5\n\ndef measure(x):\n'
                                   '    """Twice x."""\n    return SCALE * x  # twice\n')
    assert first != fingerprint_of('SCALE = 3\nOTHER = 1\n\ndef measure(x):\n'
                                   '    """Doubles."""\n    return SCALE * x\n')
    assert first != fingerprint_of('SCALE = 2\nOTHER = 1\n\ndef measure(x):\n'
                                   '    """Doubles."""\n    return SCALE + x\n')
    with pytest.raises(ValueError, match="MISSING"):
        top_level_code(importlib.import_module("measured_here"), ("SCALE", "MISSING"))
    sys.modules.pop("measured_here", None)
