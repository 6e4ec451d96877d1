"""Figures for chapter 6's sections 3-5 (forward mode, autodiff in any language, questions)."""

from __future__ import annotations
