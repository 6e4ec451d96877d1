"""Comparing a saved run (JSON-like: dicts, lists, floats, other values) with a fresh one, for the
tests that fail when a committed asset is stale."""

import math

import pytest


def assert_close(saved: object, fresh: object, where: str = "", rel: float = 1e-5,
                 abs: float = 1e-7) -> None:  # noqa: A002 - pytest.approx's own name
    """Equal structure, equal numbers up to float rounding (NaN equal to NaN); `where` names the
    first place that differs."""
    if isinstance(saved, dict):
        assert isinstance(fresh, dict) and saved.keys() == fresh.keys(), where
        for key in saved:
            assert_close(saved[key], fresh[key], f"{where}/{key}", rel, abs)
    elif isinstance(saved, list):
        assert isinstance(fresh, list) and len(saved) == len(fresh), where
        for i, (a, b) in enumerate(zip(saved, fresh)):
            assert_close(a, b, f"{where}[{i}]", rel, abs)
    elif isinstance(saved, float) and math.isnan(saved):
        assert isinstance(fresh, float) and math.isnan(fresh), where
    elif isinstance(saved, float):
        assert fresh == pytest.approx(saved, rel=rel, abs=abs), where
    else:
        assert saved == fresh, where
