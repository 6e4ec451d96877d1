"""Figures for chapter 6's sections 0-2 (the gradient checker, layers, the Network class)."""

from __future__ import annotations
