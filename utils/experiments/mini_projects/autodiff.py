"""Runs and data for chapter 6's sections 3-5 (forward mode, autodiff in any language, questions) (no drawing)."""

from __future__ import annotations
