"""Learner-facing checks: `from utils.checks import part1_ray_tracing as tests`.

Each chapter module defines `test_<name>(obj)` for every exercise object `<name>`; a check raises
AssertionError with a message a learner can act on, and prints one success line when it passes.
"""
